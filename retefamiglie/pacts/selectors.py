"""Reads on the pact, applications, commitments and reports, shared by views,
API and reports. Each returns what its page shows without one query per row.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Case,
    Field,
    ForeignObjectRel,
    Max,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.monitoring import selectors as monitoring_selectors
from retefamiglie.monitoring.periods import half_year_bounds
from retefamiglie.network.models import Area, Organisation, OrganisationStaff
from retefamiglie.network.rules import organisations_worked_for

from .models import (
    Commitment,
    CommitmentUpdate,
    NetworkReport,
    PactSection,
    PactVersion,
    Period,
    Report,
    SectionComment,
    SectionKind,
    Signature,
)
from .rules import is_manager

# ------------------------------------------------------------------------------
# The pact and its versions
# ------------------------------------------------------------------------------

KIND_ORDER = {kind.value: index for index, kind in enumerate(SectionKind)}


def version_in_force(*, with_sections: bool = False) -> PactVersion | None:
    """The version in force (at most one: a database constraint), or None;
    ``with_sections``: with its sections fetched, for the page that shows them
    (what new members accept)."""
    queryset = PactVersion.objects.filter(status=PactVersion.Status.IN_FORCE)
    if with_sections:
        queryset = queryset.prefetch_related("sections")
    return queryset.first()


def versions_visible_to(*, user: User | AnonymousUser) -> QuerySet[PactVersion]:
    """Every version but drafts, which only coordinators see; newest first."""
    queryset = PactVersion.objects.select_related("approved_by")
    if not is_manager(user):
        queryset = queryset.exclude(status=PactVersion.Status.DRAFT)
    return queryset.order_by("-number")


def sections_of(
    version: PactVersion, *, with_comments: bool = False
) -> list[PactSection]:
    """The version's sections in the order of the Labsus regulation (SectionKind)."""
    queryset = version.sections.all()
    if with_comments:
        queryset = queryset.prefetch_related(
            Prefetch(
                "comments",
                queryset=SectionComment.objects.select_related(
                    "author", "organisation", "answered_by"
                ),
            )
        )
    return sorted(queryset, key=lambda s: (KIND_ORDER.get(s.kind, 99), s.order))


def signatures_of(version: PactVersion) -> QuerySet[Signature]:
    """The members who signed the version, by name."""
    return (
        Signature.objects.filter(version=version)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def members_to_resign(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Active members the person administers that have not signed the version in
    force, each with ``last_signed_number``: the latest version it signed, or None.
    """
    version = version_in_force()
    if version is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            pk__in=organisations_worked_for(
                user, role=OrganisationStaff.Role.ADMIN, active_member=True
            )
        )
        .exclude(signatures__version=version)
        .annotate(last_signed_number=Max("signatures__version__number"))
        .order_by("name")
    )


def active_member_admin_emails() -> list[str]:
    """E-mail addresses of the administrators of every active member."""
    return sorted(
        set(
            OrganisationStaff.objects.filter(
                Q(role=OrganisationStaff.Role.ADMIN),
                organisation__status=Organisation.Status.ACTIVE,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def comment_organisations_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The active members on whose behalf a person may comment the pact."""
    return Organisation.objects.filter(
        pk__in=organisations_worked_for(user, active_member=True)
    ).order_by("name")


# ------------------------------------------------------------------------------
# Commitments
# ------------------------------------------------------------------------------


def late_commitments_q(today: date | None = None) -> Q:
    """Late: the due date has passed and the commitment is neither done nor dropped."""
    return Q(due_date__lt=today or timezone.localdate()) & ~Q(
        status__in=Commitment.CLOSED_STATUSES
    )


def commitments_list(
    *,
    organisation: Organisation | None = None,
    objective: str = "",
    status: str = "",
    late_only: bool = False,
    late_first: bool = False,
) -> QuerySet[Commitment]:
    """Commitments with their member and ``is_late``; late ones first if asked."""
    late = late_commitments_q()
    queryset = Commitment.objects.select_related("organisation", "area").annotate(
        is_late=Case(When(late, then=True), default=False, output_field=BooleanField())
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if objective:
        queryset = queryset.filter(objective=objective)
    if status:
        queryset = queryset.filter(status=status)
    if late_only:
        queryset = queryset.filter(late)
    if late_first:
        return queryset.order_by("-is_late", "due_date", "pk")
    return queryset.order_by("due_date", "pk")


def commitment_updates(commitment: Commitment) -> QuerySet[CommitmentUpdate]:
    """Progress updates, newest first, with their authors."""
    return commitment.updates.select_related("author").order_by("-created_at", "-pk")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    who: str
    when: datetime
    created: bool
    changes: list[FieldChange]


def _history_value(field: Field[Any, Any] | ForeignObjectRel, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def commitment_history(commitment: Commitment) -> list[HistoryEntry]:
    """Who changed the commitment, when and which fields; newest first."""
    records = list(
        commitment.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    areas = dict(Area.objects.values_list("pk", "name"))
    entries = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(
                previous, excluded_fields=["created_at", "updated_at"]
            )
            for change in delta.changes:
                field = Commitment._meta.get_field(change.field)
                if field.name == "area":
                    old, new = areas.get(change.old, "—"), areas.get(change.new, "—")
                else:
                    old = _history_value(field, change.old)
                    new = _history_value(field, change.new)
                label = getattr(field, "verbose_name", field.name)
                changes.append(FieldChange(str(label), old, new))
        user = record.history_user
        entries.append(
            HistoryEntry(
                who=user.short_name if user else "—",
                when=record.history_date,
                created=previous is None,
                changes=changes,
            )
        )
        previous = record
    return entries[::-1]


def commitment_organisations_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The active members a person may add commitments for."""
    queryset = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
    if not user.is_authenticated:
        return queryset.none()
    if not is_manager(user):
        queryset = queryset.filter(pk__in=organisations_worked_for(user))
    return queryset.order_by("name")


# ------------------------------------------------------------------------------
# Reports
# ------------------------------------------------------------------------------


def period_bounds(year: int, period: str) -> tuple[datetime, datetime]:
    """Start (included) and end (excluded) of a reporting period, local time
    (the half-years of monitoring.periods, shared with the dashboard)."""
    return half_year_bounds(year, second=period == Period.SECOND_HALF)


def period_to_report(today: date | None = None) -> tuple[int, str]:
    """The last half-year that has ended: the one members report on now."""
    today = today or timezone.localdate()
    if today.month >= 7:
        return today.year, Period.FIRST_HALF
    return today.year - 1, Period.SECOND_HALF


def report_organisations_for(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Active members a person works for: the ones whose reports they write."""
    return Organisation.objects.filter(
        pk__in=organisations_worked_for(user, active_member=True)
    ).order_by("name")


def reports_of_staff(user: User | AnonymousUser) -> QuerySet[Report]:
    """Reports of the members a person works for, newest period first."""
    return Report.objects.filter(
        organisation_id__in=organisations_worked_for(user)
    ).select_related("organisation", "submitted_by")


def reports_by_member(
    *, year: int, period: str
) -> list[tuple[Organisation, Report | None]]:
    """Every active member with its report for the period, or None if it has none."""
    reports = {
        report.organisation_id: report
        for report in Report.objects.filter(year=year, period=period).select_related(
            "submitted_by"
        )
    }
    members = Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by(
        "name"
    )
    return [(member, reports.get(member.pk)) for member in members]


def filed_reports(
    *, year: int, period: str, filed_before: datetime | None = None
) -> QuerySet[Report]:
    """Filed reports of a period with their member and its area."""
    queryset = Report.objects.filter(
        year=year, period=period, status=Report.Status.SUBMITTED
    ).select_related("organisation__area")
    if filed_before is not None:
        queryset = queryset.filter(submitted_at__lte=filed_before)
    return queryset.order_by("organisation__name", "pk")


def published_network_reports() -> QuerySet[NetworkReport]:
    return NetworkReport.objects.filter(status=NetworkReport.Status.PUBLISHED).order_by(
        "-year", "-period"
    )


# ------------------------------------------------------------------------------
# What a member's report is pre-filled with
# ------------------------------------------------------------------------------

REPORT_FIGURES = (
    "volunteer_hours",
    "families_reached",
    "children_reached",
    "help_requests_handled",
)

PrefillSource = Callable[[Organisation, datetime, datetime], dict[str, Any]]


def _from_help_requests(
    organisation: Organisation, start: datetime, end: datetime
) -> dict[str, Any]:
    """Help requests the member took on in the period, as the dashboard and the
    exports count them (monitoring.selectors, one source for every figure)."""
    handled = monitoring_selectors.help_requests_handled(
        organisation=organisation, start=start, end=end
    )
    return {
        "help_requests_handled": handled.requests,
        "families_reached": handled.families,
        "children_reached": handled.children,
    }


def _from_commitments(
    organisation: Organisation, start: datetime, end: datetime
) -> dict[str, Any]:
    """Where each commitment stands, and the progress recorded in the period."""
    commitments = list(
        organisation.commitments.exclude(status=Commitment.Status.DROPPED).order_by(
            "due_date", "pk"
        )
    )
    updates = (
        CommitmentUpdate.objects.filter(
            commitment__organisation=organisation,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("commitment")
        .order_by("created_at", "pk")
    )
    lines = []
    if commitments:
        lines.append(_("Commitments:"))
        lines.extend(
            "- "
            + _("%(title)s: %(progress)s/%(target)s %(unit)s")
            % {
                "title": commitment.title,
                "progress": commitment.progress_value,
                "target": commitment.target_value,
                "unit": commitment.target_unit,
            }
            for commitment in commitments
        )
    update_lines = [
        f"- {date_format(timezone.localtime(update.created_at), 'SHORT_DATE_FORMAT')}, "
        f"{update.commitment.title}: {update.text}"
        for update in updates
    ]
    if update_lines:
        if lines:
            lines.append("")
        lines.append(_("Progress recorded in the period:"))
        lines.extend(update_lines)
    return {"activities": "\n".join(lines)} if lines else {}


# Each source adds what one capability knows about the member in the period:
# numbers are summed, texts joined. Events and bookings (the directory app, not
# built yet) will add a source here counting the member's events held in the
# period and the families and children booked on them.
PREFILL_SOURCES: list[PrefillSource] = [_from_help_requests, _from_commitments]


def report_prefill(*, organisation: Organisation, year: int, period: str) -> dict:
    """Initial values of a member's report for a period, from the platform's data.

    Only what was recorded: a figure nobody recorded (volunteer hours) is left to
    the member, never estimated.
    """
    start, end = period_bounds(year, period)
    initial: dict[str, Any] = {}
    for source in PREFILL_SOURCES:
        for name, value in source(organisation, start, end).items():
            if name in REPORT_FIGURES:
                initial[name] = initial.get(name, 0) + value
            elif value:
                initial[name] = (
                    f"{initial[name]}\n\n{value}" if initial.get(name) else value
                )
    return initial


# ------------------------------------------------------------------------------
# The network's report: totals of the filed reports
# ------------------------------------------------------------------------------


@dataclass
class ObjectiveTotals:
    objective: str
    label: str
    count: int = 0
    done: int = 0
    late: int = 0
    progress: int = 0
    target: int = 0

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.target)) if self.target else 0


@dataclass
class Figures:
    volunteer_hours: int = 0
    families_reached: int = 0
    children_reached: int = 0
    help_requests_handled: int = 0

    def add(self, report: Report) -> None:
        for name in REPORT_FIGURES:
            setattr(self, name, getattr(self, name) + getattr(report, name))


@dataclass
class MemberFigures(Figures):
    organisation: Organisation = field(kw_only=True)
    report: Report = field(kw_only=True)


@dataclass
class AreaFigures(Figures):
    area: str = ""
    members: int = 0


@dataclass
class NetworkTotals:
    year: int
    period: str
    objectives: list[ObjectiveTotals]
    areas: list[AreaFigures]
    members: list[MemberFigures]
    total: Figures = field(default_factory=Figures)

    @property
    def filed(self) -> int:
        return len(self.members)


def _objective_totals(start: datetime, end: datetime) -> list[ObjectiveTotals]:
    """Commitments running in the period (made before it ended, due after it
    began), by objective. Late: due before the end of the period (or today, if
    sooner) and still neither done nor dropped."""
    today = timezone.localdate()
    late_on = min(today, timezone.localtime(end).date())
    choices = Commitment._meta.get_field("objective").flatchoices
    totals = {
        value: ObjectiveTotals(objective=value, label=str(label))
        for value, label in choices
    }
    rows = Commitment.objects.filter(
        created_at__lt=end, due_date__gte=timezone.localtime(start).date()
    ).values_list("objective", "status", "due_date", "progress_value", "target_value")
    for objective, status, due_date, progress, target in rows:
        item = totals.setdefault(
            objective, ObjectiveTotals(objective=objective, label=objective)
        )
        item.count += 1
        item.done += status == Commitment.Status.DONE
        item.late += due_date < late_on and status not in Commitment.CLOSED_STATUSES
        if status != Commitment.Status.DROPPED:
            item.progress += min(progress, target)
            item.target += target
    return list(totals.values())


def network_report_totals(
    *, year: int, period: str, filed_before: datetime | None = None
) -> NetworkTotals:
    """What the network did in a period: per objective, per area, per member.

    Figures of members come from their filed reports only; a published network
    report passes ``filed_before`` (its publication), so reports filed late do not
    change what was published.
    """
    start, end = period_bounds(year, period)
    total = Figures()
    members = []
    areas: dict[str, AreaFigures] = defaultdict(AreaFigures)
    for report in filed_reports(year=year, period=period, filed_before=filed_before):
        member = MemberFigures(organisation=report.organisation, report=report)
        member.add(report)
        members.append(member)
        total.add(report)
        area_name = str(report.organisation.area or _("No area"))
        area = areas[area_name]
        area.area = area_name
        area.members += 1
        area.add(report)
    return NetworkTotals(
        year=year,
        period=period,
        objectives=_objective_totals(start, end),
        areas=sorted(areas.values(), key=lambda a: a.area),
        members=members,
        total=total,
    )


def member_display(organisation: Organisation, *, reveal: bool = False) -> dict:
    """How a member is named in public: by name with a link, unless it chose not to
    be listed (a single citizen, usually), which is then named by its kind only."""
    if organisation.is_public or reveal:
        return {
            "name": organisation.name,
            "url": organisation.get_absolute_url() if organisation.is_public else "",
        }
    if organisation.type == Organisation.Type.CITIZEN:
        return {"name": _("An active citizen"), "url": ""}
    return {"name": _("A member of the network"), "url": ""}


def commitment_is_late(commitment: Commitment, today: date | None = None) -> bool:
    return (
        commitment.due_date < (today or timezone.localdate())
        and commitment.status not in Commitment.CLOSED_STATUSES
    )
