"""Reads on help requests, shared by views, reports and tasks."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Organisation, OrganisationStaff

from .models import (
    Activity,
    HelpKind,
    HelpOffer,
    HelpRequest,
    Outcome,
    Referral,
    inbox_order,
)
from .rules import VISIBLE_REFERRAL_STATUSES, is_network_manager

INBOX_FIELDS = (
    "public_id",
    "reference",
    "created_at",
    "kinds",
    "area__name",
    "urgency",
    "status",
)


def inbox_for(*, user: User, status: str = "") -> QuerySet[HelpRequest]:
    """Requests a person may see in the staff inbox: new first, then oldest first."""
    # Only the columns the inbox shows: the description, the contact details and
    # the organisations' profiles stay in the database (ADR 0029).
    queryset = (
        HelpRequest.objects.select_related("area")
        .only(*INBOX_FIELDS)
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("organisation").only(
                    "request_id", "status", "organisation__name"
                ),
            )
        )
    )
    if not is_network_manager(user):
        visible = Referral.objects.filter(
            request=OuterRef("pk"),
            organisation__staff__user=user,
            status__in=VISIBLE_REFERRAL_STATUSES,
        )
        queryset = queryset.filter(Exists(visible))
    if status == "open":
        queryset = queryset.filter(status__in=HelpRequest.OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    # New and returned (declined) requests need the coordinator first; the
    # model's index of the same expression serves this order (ADR 0029).
    return queryset.order_by(inbox_order(), "created_at")


def activities_for(
    *, help_request: HelpRequest, family_view: bool
) -> QuerySet[Activity]:
    queryset = help_request.activities.select_related("author", "organisation")
    if family_view:
        queryset = queryset.filter(visible_to_family=True)
    return queryset


def referrals_for(*, help_request: HelpRequest) -> QuerySet[Referral]:
    return help_request.referrals.select_related("organisation").order_by("created_at")


def my_referrals(*, user: User, help_request: HelpRequest) -> QuerySet[Referral]:
    return referrals_for(help_request=help_request).filter(
        organisation__staff__user=user
    )


@dataclass
class Suggestion:
    organisation: Organisation
    score: int
    open_referrals: int
    reasons: list[str] = field(default_factory=list)


def suggestions_for(*, help_request: HelpRequest, limit: int = 8) -> list[Suggestion]:
    """Member organisations that fit: kind of help, area, language, current load."""
    from django.utils.translation import gettext as _

    offers = (
        HelpOffer.objects.filter(
            accepts_referrals=True, organisation__status=Organisation.Status.ACTIVE
        )
        .select_related("organisation")
        .prefetch_related("areas")
        .annotate(
            load=Count(
                "organisation__help_referrals",
                filter=Q(
                    organisation__help_referrals__status__in=[
                        Referral.Status.PENDING,
                        Referral.Status.ACCEPTED,
                    ]
                ),
            )
        )
    )
    already = set(
        help_request.referrals.exclude(status=Referral.Status.CANCELLED).values_list(
            "organisation_id", flat=True
        )
    )
    kinds = set(help_request.kinds)
    suggestions = []
    for offer in offers:
        if offer.organisation_id in already:
            continue
        score, reasons = 0, []
        matching = kinds & set(offer.kinds)
        if matching:
            score += 3 * len(matching)
            reasons.append(_("kind of help"))
        if help_request.area_id and any(
            area.pk == help_request.area_id for area in offer.areas.all()
        ):
            score += 2
            reasons.append(_("area"))
        if help_request.language in offer.languages:
            score += 2
            reasons.append(_("language"))
        score -= min(offer.load, 5)
        if matching or help_request.area_id or not kinds:
            suggestions.append(
                Suggestion(offer.organisation, score, offer.load, reasons)
            )
    suggestions.sort(key=lambda s: (-s.score, s.open_referrals, s.organisation.name))
    return suggestions[:limit]


def organisations_for_referral() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by(
        "name"
    )


def staff_organisations(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=OrganisationStaff.objects.filter(user=user).values("organisation_id")
    )


@dataclass
class Statistics:
    total: int
    by_kind: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    median_first_answer: timedelta | None
    closed: int
    closed_with_outcome_share: float | None


def statistics(
    *, since: datetime | None = None, until: datetime | None = None
) -> Statistics:
    """Anonymous aggregates: no row of the result identifies a family."""
    queryset = HelpRequest.objects.all()
    if since:
        queryset = queryset.filter(created_at__gte=since)
    if until:
        queryset = queryset.filter(created_at__lt=until)
    rows = list(
        queryset.values_list(
            "kinds", "area__name", "outcome", "status", "created_at", "first_answer_at"
        )
    )
    kind_labels = dict(HelpKind.choices)
    outcome_labels = dict(Outcome.choices)
    status_labels = dict(HelpRequest.Status.choices)
    kinds: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    waits = []
    closed = closed_with_outcome = 0
    for row_kinds, area, outcome, status, created_at, first_answer_at in rows:
        for kind in row_kinds or []:
            kinds[str(kind_labels.get(kind, kind))] += 1
        areas[area or "—"] += 1
        statuses[str(status_labels.get(status, status))] += 1
        if status in (HelpRequest.Status.CLOSED, HelpRequest.Status.WITHDRAWN):
            closed += 1
            if outcome:
                closed_with_outcome += 1
                outcomes[str(outcome_labels.get(outcome, outcome))] += 1
        if first_answer_at:
            waits.append(first_answer_at - created_at)
    return Statistics(
        total=len(rows),
        by_kind=kinds.most_common(),
        by_area=areas.most_common(),
        by_outcome=outcomes.most_common(),
        by_status=statuses.most_common(),
        median_first_answer=(
            timedelta(seconds=median(w.total_seconds() for w in waits))
            if waits
            else None
        ),
        closed=closed,
        closed_with_outcome_share=(closed_with_outcome / closed) if closed else None,
    )
