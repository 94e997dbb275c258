"""Reads of the participatory process, for views, pacts and monitoring.

Figures for monitoring (each for a date range, both days included, in the
city's time zone):

- ``meetings_held(start, end)``: published meetings that started in the range;
- ``attendance_by_kind(start, end)``: people counted at those meetings, by kind
  (``families``, ``members``, ``citizens``, ``officers``, ``total``);
- ``proposals_by_state(start, end)``: proposals submitted in the range, by state
  (every state present, zeros included);
- ``proposals_answered(start, end)``: proposals answered in the range, by the
  state given, and the mean days from submission to answer;
- ``objectives_progress()``: each objective with its actions' mean progress.

Pacts reads ``accepted_proposals_for_pact(section_kinds)``: accepted or
implemented proposals that name a section of the pact, as suggestions for
whoever drafts the next version.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from retefamiglie.bookings.services import city_tz
from retefamiglie.moderation.selectors import visible
from retefamiglie.network.models import Location, Organisation

from .models import (
    Action,
    Comment,
    Meeting,
    Objective,
    Phase,
    Process,
    Proposal,
    Registration,
    Support,
)

ORDERS = {
    "recenti": ("-created_at", "-pk"),
    "sostenute": ("-supports_count", "-created_at", "-pk"),
    "commentate": ("-comments_count", "-created_at", "-pk"),
}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=city_tz()),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=city_tz()),
    )


# Processes -------------------------------------------------------------------------


def processes() -> QuerySet[Process]:
    return Process.objects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("order", "starts_on"))
    )


def current_process() -> Process | None:
    """The process whose phases include today, else the newest."""
    today = timezone.localdate()
    running = (
        processes()
        .filter(phases__starts_on__lte=today, phases__ends_on__gte=today)
        .distinct()
        .first()
    )
    return running or processes().first()


# Meetings --------------------------------------------------------------------------


def meeting_places() -> QuerySet[Location]:
    """The places a meeting may be held at: those of active members."""
    return (
        Location.objects.filter(organisation__status=Organisation.Status.ACTIVE)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def meetings_published() -> QuerySet[Meeting]:
    return Meeting.objects.filter(status=Meeting.Status.PUBLISHED).select_related(
        "process", "phase", "area", "organiser", "location"
    )


def meetings_upcoming(*, process: Process | None = None) -> QuerySet[Meeting]:
    meetings = meetings_published().filter(ends_at__gt=timezone.now())
    if process is not None:
        meetings = meetings.filter(process=process)
    return meetings.order_by("starts_at", "pk")


def meetings_past(*, process: Process | None = None) -> QuerySet[Meeting]:
    meetings = meetings_published().filter(ends_at__lte=timezone.now())
    if process is not None:
        meetings = meetings.filter(process=process)
    return meetings.order_by("-starts_at", "-pk")


def meeting_detail(slug: str) -> Meeting | None:
    return (
        Meeting.objects.select_related(
            "process", "phase", "area", "organiser", "location__area"
        )
        .prefetch_related(
            "agenda",
            "attachments",
            Prefetch(
                "proposals",
                queryset=visible(Proposal.objects.order_by("title")),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def meeting_seats_taken(meeting: Meeting) -> int:
    confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED)
    return sum(r.seats for r in confirmed.only("adults", "children"))


def meeting_childcare_requests(meeting: Meeting) -> dict[str, Any]:
    """Children to look after, by age band, among confirmed registrations."""
    bands: dict[str, int] = {}
    confirmed = meeting.registrations.filter(
        status=Registration.Status.CONFIRMED, needs_childcare=True
    )
    for registration in confirmed.only("children"):
        for band, count in registration.children.items():
            bands[band] = bands.get(band, 0) + int(count)
    return bands


def meetings_for_management() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("process", "organiser").order_by(
        "-starts_at", "-pk"
    )


# Proposals -------------------------------------------------------------------------


def proposals_public(
    *,
    process: Process | None = None,
    state: str = "",
    category: str = "",
    area: Any = None,
    phase: Phase | None = None,
    order: str = "recenti",
    user: Any = None,
) -> QuerySet[Proposal]:
    """Proposals anyone may read, with the filters of the list."""
    proposals = visible(Proposal.objects.all()).select_related(
        "author", "area", "phase", "process"
    )
    if process is not None:
        proposals = proposals.filter(process=process)
    if state:
        proposals = proposals.filter(state=state)
    if category:
        proposals = proposals.filter(category=category)
    if area is not None:
        proposals = proposals.filter(area=area)
    if phase is not None:
        proposals = proposals.filter(phase=phase)
    if user is not None and user.is_authenticated:
        proposals = proposals.annotate(
            supported_by_me=Exists(
                Support.objects.filter(proposal=OuterRef("pk"), user=user)
            )
        )
    return proposals.order_by(*ORDERS.get(order, ORDERS["recenti"]))


# What the coordinators' list shows (``mostra``), first the default.
FOR_ANSWER = ("da-rispondere", "in-attesa", "tutte")


def proposals_for_answer(show: str = "da-rispondere") -> QuerySet[Proposal]:
    """The coordinators' list: proposals not answered yet (the default), only
    those whose supports reached the threshold ("in-attesa"), or all; those
    awaiting an answer first, the longest waiting at the top."""
    proposals = Proposal.objects.select_related("process", "author", "area")
    if show == "in-attesa":
        proposals = proposals.filter(
            threshold_reached_at__isnull=False, state=Proposal.State.PUBLISHED
        )
    elif show != "tutte":
        proposals = proposals.filter(state=Proposal.State.PUBLISHED)
    return proposals.order_by(
        F("threshold_reached_at").asc(nulls_last=True), "-supports_count", "-pk"
    )


def proposal_detail(pk: int) -> Proposal | None:
    comments = visible(Comment.objects.select_related("author"))
    return (
        Proposal.objects.select_related(
            "author", "area", "phase", "process", "objective", "merged_into"
        )
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=comments.filter(parent__isnull=True).prefetch_related(
                    Prefetch("replies", queryset=comments)
                ),
                to_attr="threads",
            ),
            Prefetch("meetings", queryset=Meeting.objects.filter(status="published")),
            "merged",
        )
        .filter(pk=pk)
        .first()
    )


def has_supported(proposal: Proposal, user: Any) -> bool:
    return bool(
        user.is_authenticated
        and Support.objects.filter(proposal=proposal, user=user).exists()
    )


def accepted_proposals_for_pact(
    section_kinds: list[str] | None = None,
) -> QuerySet[Proposal]:
    """Accepted or implemented proposals naming a pact section (for pacts)."""
    proposals = visible(
        Proposal.objects.filter(
            state__in=[Proposal.State.ACCEPTED, Proposal.State.IMPLEMENTED]
        ).exclude(pact_section="")
    )
    if section_kinds is not None:
        proposals = proposals.filter(pact_section__in=section_kinds)
    return proposals.select_related("author").order_by(
        "pact_section", "-supports_count", "pk"
    )


# Objectives ------------------------------------------------------------------------


def objectives_with_progress() -> QuerySet[Objective]:
    return (
        Objective.objects.select_related("area", "process")
        .annotate(
            progress=Coalesce(Avg("actions__progress"), 0.0),
            actions_total=Count("actions", distinct=True),
        )
        .order_by("title", "pk")
    )


def objective_detail(slug: str) -> Objective | None:
    return (
        objectives_with_progress()
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").prefetch_related(
                    "milestones", "updates__author"
                ),
            ),
            Prefetch(
                "proposals",
                queryset=visible(Proposal.objects.order_by("title")),
            ),
        )
        .filter(slug=slug)
        .first()
    )


# Figures for monitoring ------------------------------------------------------------


def meetings_held(start: date, end: date) -> QuerySet[Meeting]:
    """Published meetings that started between ``start`` and ``end``."""
    low, high = _bounds(start, end)
    return meetings_published().filter(starts_at__gte=low, starts_at__lt=high)


def attendance_by_kind(start: date, end: date) -> dict[str, int]:
    totals = meetings_held(start, end).aggregate(
        families=Coalesce(Sum("families_count"), 0),
        members=Coalesce(Sum("members_count"), 0),
        citizens=Coalesce(Sum("citizens_count"), 0),
        officers=Coalesce(Sum("officers_count"), 0),
    )
    totals["total"] = sum(totals.values())
    return totals


def proposals_by_state(start: date, end: date) -> dict[str, int]:
    low, high = _bounds(start, end)
    counts = dict(
        Proposal.objects.filter(created_at__gte=low, created_at__lt=high)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in Proposal.State.values}


def proposals_answered(start: date, end: date) -> dict[str, Any]:
    low, high = _bounds(start, end)
    answered = Proposal.objects.filter(answered_at__gte=low, answered_at__lt=high)
    by_state = dict(
        answered.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    days = [
        (answered_at - created_at).total_seconds() / 86400
        for created_at, answered_at in answered.values_list("created_at", "answered_at")
        if answered_at is not None
    ]
    return {
        "by_state": by_state,
        "total": sum(by_state.values()),
        "mean_days_to_answer": round(sum(days) / len(days), 1) if days else None,
    }


def objectives_progress() -> list[dict[str, Any]]:
    return [
        {
            "objective": objective.title,
            "slug": objective.slug,
            "actions": objective.actions_total,  # type: ignore[attr-defined]
            "progress": round(objective.progress),  # type: ignore[attr-defined]
        }
        for objective in objectives_with_progress()
    ]


# The contract of monitoring (ADR 18) -----------------------------------------------

Fact = tuple[str, str, dict[str, tuple[str, ...]], int]


def monitoring_facts(*, start: datetime, end: datetime) -> Iterator[Fact]:
    """Facts for the dashboard between ``start`` (included) and ``end``:
    ``meetings`` and ``meeting_attendees`` (weighted by the people counted) of
    the published meetings that started then, ``proposals`` made then by their
    ``answer`` (state), ``actions_done`` completed then by ``objective``."""
    meetings = meetings_published().filter(starts_at__gte=start, starts_at__lt=end)
    for meeting in meetings:
        area = meeting.area.slug if meeting.area else ""
        yield ("meetings", area, {}, 1)
        if meeting.attendance_total:
            yield ("meeting_attendees", area, {}, meeting.attendance_total)
    proposals = Proposal.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).select_related("area")
    for proposal in proposals:
        area = proposal.area.slug if proposal.area else ""
        yield ("proposals", area, {"answer": (proposal.state,)}, 1)
    done = Action.objects.filter(
        status=Action.Status.DONE, updated_at__gte=start, updated_at__lt=end
    ).select_related("objective__area")
    for action in done:
        objective = action.objective
        area = objective.area.slug if objective.area else ""
        yield ("actions_done", area, {"objective": (objective.slug,)}, 1)


def monitoring_labels(dimension: str) -> dict[str, str]:
    """Labels of a dimension's value codes, in the active language."""
    if dimension == "answer":
        return {value: str(label) for value, label in Proposal.State.choices}
    if dimension == "objective":
        return dict(Objective.objects.values_list("slug", "title"))
    return {}
