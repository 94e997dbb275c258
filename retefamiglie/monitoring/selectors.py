"""Reads of the indicators, shared by the dashboard, the exports and the pact's
network report (one source for every figure the network publishes)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from retefamiglie.helprequests.models import Referral
from retefamiglie.network.models import Area, Organisation

from .models import CITY, AreaPopulation, Snapshot
from .periods import Period, PeriodKind

# ------------------------------------------------------------------------------
# Figures of one member (the pact's reports pre-fill from these)
# ------------------------------------------------------------------------------

HANDLED_REFERRAL_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.CLOSED)


@dataclass(frozen=True)
class HelpHandled:
    requests: int
    families: int
    children: int


def children_count(counts: object) -> int:
    """Children of a family or booking given as counts per age band."""
    total = 0
    for count in (counts if isinstance(counts, dict) else {}).values():
        try:
            total += max(int(count), 0)
        except (TypeError, ValueError):
            continue
    return total


def help_requests_handled(
    *, organisation: Organisation, start: datetime, end: datetime
) -> HelpHandled:
    """Help requests a member took on in a period (accepted, then maybe closed):
    one family each; its children counted per age band, never named.

    Half-years only reach the pact's reports: never a month with the member's
    name in public (ADR 0019).
    """
    rows = Referral.objects.filter(
        organisation=organisation,
        status__in=HANDLED_REFERRAL_STATUSES,
        answered_at__gte=start,
        answered_at__lt=end,
    ).values_list("request_id", "request__children")
    # One referral per request and organisation (a constraint): one per family.
    children_by_request = dict(rows)
    children = sum(children_count(c) for c in children_by_request.values())
    return HelpHandled(
        requests=len(children_by_request),
        families=len(children_by_request),
        children=children,
    )


# ------------------------------------------------------------------------------
# Snapshots
# ------------------------------------------------------------------------------


def snapshot_for(*, period: Period, area: str = CITY) -> Snapshot | None:
    return Snapshot.objects.filter(period_key=period.key, area=area).first()


def snapshot_pair(
    *, period: Period, area: str = CITY
) -> tuple[Snapshot | None, Snapshot | None]:
    """The period's snapshot and the previous period's, in one query."""
    previous = period.previous()
    found = {
        snapshot.period_key: snapshot
        for snapshot in Snapshot.objects.filter(
            period_key__in=[period.key, previous.key], area=area
        )
    }
    return found.get(period.key), found.get(previous.key)


def periods_available() -> dict[str, list[Period]]:
    """Periods with snapshots, newest first, by kind."""
    keys = (
        Snapshot.objects.filter(area=CITY)
        .order_by("-period_key")
        .values_list("period_key", flat=True)
    )
    found: dict[str, list[Period]] = {kind: [] for kind in PeriodKind.values}
    for key in keys:
        period = Period.from_key(key)
        if period is not None:
            found[period.kind].append(period)
    for periods in found.values():
        periods.sort(key=lambda p: p.start, reverse=True)
    return found


def latest_computation() -> datetime | None:
    snapshot = Snapshot.objects.order_by("-computed_at").only("computed_at").first()
    return snapshot.computed_at if snapshot else None


def snapshots_of(*, period_keys: list[str] | None = None) -> QuerySet[Snapshot]:
    """Snapshots in a stable order (for the exports)."""
    queryset = Snapshot.objects.all()
    if period_keys is not None:
        queryset = queryset.filter(period_key__in=period_keys)
    return queryset.order_by("period_key", "area")


def areas() -> QuerySet[Area]:
    return Area.objects.order_by("name")


def populations() -> dict[int, AreaPopulation]:
    return {p.area_id: p for p in AreaPopulation.objects.all()}
