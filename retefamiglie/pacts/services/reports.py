"""Members' reports (rendiconti) and the network's report. Views check rules.py.

A member's report starts pre-filled from what the platform already knows, so
nobody counts twice what they recorded once. Filed reports are final; the
network report adds up filed reports only.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Organisation

from .. import selectors
from ..models import (
    NetworkReport,
    Period,
    Report,
)

TEXTS = ("activities", "resources", "difficulties")
# What a member writes in its report; what it is pre-filled with, and the network
# report's totals, are reads (selectors.report_prefill, network_report_totals).
REPORT_FIELDS = selectors.REPORT_FIGURES + TEXTS


# ------------------------------------------------------------------------------
# Writing and filing a member's report
# ------------------------------------------------------------------------------


def _check_period(year: int, period: str) -> None:
    if period not in Period.values:
        raise ValidationError(_("Choose a reporting period."))
    start, _end = selectors.period_bounds(year, period)
    if year < 2000 or start > timezone.now():
        raise ValidationError(_("Reports can be written only for periods that began."))


def _apply(report: Report, data: dict[str, Any], *, actor: User, file: bool) -> Report:
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
    actor: User,
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
    *, actor: User, report: Report, data: dict[str, Any], file: bool = False
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
    *, actor: User, year: int, period: str, introduction: str
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
    *, actor: User, year: int, period: str, introduction: str | None = None
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
