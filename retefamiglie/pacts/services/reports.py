"""Members' reports (rendiconti) and the network's report. Views check rules.py.

A member's report starts pre-filled from what the platform already knows, so
nobody counts twice what they recorded once. Filed reports are final; the
network report adds up filed reports only.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retefamiglie.monitoring import selectors as monitoring_selectors
from retefamiglie.network.models import Organisation

from .. import selectors
from ..models import (
    Commitment,
    CommitmentUpdate,
    NetworkReport,
    Period,
    Report,
)

FIGURES = (
    "volunteer_hours",
    "families_reached",
    "children_reached",
    "help_requests_handled",
)
TEXTS = ("activities", "resources", "difficulties")
REPORT_FIELDS = FIGURES + TEXTS
HANDLED_REFERRAL_STATUSES = monitoring_selectors.HANDLED_REFERRAL_STATUSES


# ------------------------------------------------------------------------------
# Pre-filling a member's report
# ------------------------------------------------------------------------------

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
    start, end = selectors.period_bounds(year, period)
    initial: dict[str, Any] = {}
    for source in PREFILL_SOURCES:
        for name, value in source(organisation, start, end).items():
            if name in FIGURES:
                initial[name] = initial.get(name, 0) + value
            elif value:
                initial[name] = (
                    f"{initial[name]}\n\n{value}" if initial.get(name) else value
                )
    return initial


# ------------------------------------------------------------------------------
# Writing and filing a member's report
# ------------------------------------------------------------------------------


def _check_period(year: int, period: str) -> None:
    if period not in Period.values:
        raise ValidationError(_("Choose a reporting period."))
    start, _end = selectors.period_bounds(year, period)
    if year < 2000 or start > timezone.now():
        raise ValidationError(_("Reports can be written only for periods that began."))


def _apply(report: Report, data: dict[str, Any], *, actor, file: bool) -> Report:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if file:
        report.status = Report.Status.SUBMITTED
        report.submitted_by = actor
        report.submitted_at = timezone.now()
    report._history_user = actor  # type: ignore[attr-defined]
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_create(
    *,
    actor,
    organisation: Organisation,
    year: int,
    period: str,
    data: dict[str, Any],
    file: bool = False,
) -> Report:
    """A member's report for a period, kept as a draft or filed at once.

    Preconditions: the actor is staff of ``organisation``, an active member; the
    period has begun; the member has no report for it yet.
    """
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active members of the network file reports."))
    _check_period(year, period)
    if Report.objects.filter(
        organisation=organisation, year=year, period=period
    ).exists():
        raise ValidationError(
            _("%(name)s already has a report for this period.")
            % {"name": organisation.name}
        )
    report = Report(organisation=organisation, year=year, period=period)
    return _apply(report, data, actor=actor, file=file)


@transaction.atomic
def report_update(
    *, actor, report: Report, data: dict[str, Any], file: bool = False
) -> Report:
    """Change a draft report, and file it if asked.

    Preconditions: the actor is staff of the report's member; the report is a
    draft (filed reports are final).
    """
    # Locked so that two colleagues filing at once cannot both overwrite it.
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise ValidationError(_("This report has been filed: it can no longer change."))
    return _apply(report, data, actor=actor, file=file)


# ------------------------------------------------------------------------------
# The network's report
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
        for name in FIGURES:
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
    closed = (Commitment.Status.DONE, Commitment.Status.DROPPED)
    for objective, status, due_date, progress, target in rows:
        item = totals.setdefault(
            objective, ObjectiveTotals(objective=objective, label=objective)
        )
        item.count += 1
        item.done += status == Commitment.Status.DONE
        item.late += due_date < late_on and status not in closed
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
    start, end = selectors.period_bounds(year, period)
    total = Figures()
    members = []
    areas: dict[str, AreaFigures] = defaultdict(AreaFigures)
    for report in selectors.filed_reports(
        year=year, period=period, filed_before=filed_before
    ):
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


def _network_report_for(year: int, period: str) -> NetworkReport:
    _check_period(year, period)
    report, _created = NetworkReport.objects.select_for_update().get_or_create(
        year=year, period=period
    )
    if report.status == NetworkReport.Status.PUBLISHED:
        raise ValidationError(
            _("This network report has been published: it can no longer change.")
        )
    return report


@transaction.atomic
def network_report_save(
    *, actor, year: int, period: str, introduction: str
) -> NetworkReport:
    """Write the introduction of the network's report for a period (a draft).

    Preconditions: the actor compiles network reports (a coordinator); the report
    for the period, if it exists, is not published.
    """
    report = _network_report_for(year, period)
    report.introduction = introduction
    report._history_user = actor  # type: ignore[attr-defined]
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def network_report_publish(
    *, actor, year: int, period: str, introduction: str | None = None
) -> NetworkReport:
    """Publish the network's report: from now on everyone reads it.

    Preconditions: the actor compiles network reports; at least one member filed
    its report for the period; the report is not published yet.
    """
    report = _network_report_for(year, period)
    if not Report.objects.filter(
        Q(year=year, period=period, status=Report.Status.SUBMITTED)
    ).exists():
        raise ValidationError(
            _("No member has filed a report for this period yet: nothing to publish.")
        )
    if introduction is not None:
        report.introduction = introduction
    report.status = NetworkReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = actor
    report._history_user = actor  # type: ignore[attr-defined]
    report.full_clean()
    report.save()
    return report
