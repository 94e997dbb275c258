"""Members' reports (rendicontazione) and the network's report for a period.

Members write their own report, pre-filled from the platform, and file it; a
filed report is final. Coordinators add up the filed reports into the network's
report and publish it: before that, only they and municipal officers read it.
"""

import csv
from dataclasses import dataclass

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.network.models import Organisation

from .. import selectors
from ..forms_reports import NetworkReportForm, NewReportForm, PeriodForm, ReportForm
from ..models import NetworkReport, Period, Report
from ..rules import is_staff_of_its_member
from ..services import reports as services

# ------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------


def _get_report(request, pk, **kwargs) -> Report:
    return get_object_or_404(
        Report.objects.select_related("organisation", "submitted_by"), pk=pk
    )


def _mfa_redirect(request):
    """The way to set up MFA for roles that need it, or None if all is well."""
    return mfa_required_for_roles(lambda request: None)(request)


def _period_label(year: int, period: str) -> str:
    return f"{Period(period).label} {year}"


def _create_url(organisation: Organisation, year: int, period: str) -> str:
    query = urlencode(
        {"organisation": organisation.slug, "year": str(year), "period": period}
    )
    return f"{reverse('pacts:report_create')}?{query}"


# ------------------------------------------------------------------------------
# Members' reports
# ------------------------------------------------------------------------------


@dataclass
class MemberRow:
    organisation: Organisation
    report: Report | None
    create_url: str


def _staff_context(user, due_year: int, due_period: str) -> dict:
    organisations = list(selectors.report_organisations_for(user))
    if not organisations:
        return {}
    reports = list(selectors.reports_of_staff(user))
    due = {
        report.organisation_id: report
        for report in reports
        if report.year == due_year and report.period == due_period
    }
    return {
        "my_members": [
            MemberRow(
                organisation,
                due.get(organisation.pk),
                _create_url(organisation, due_year, due_period),
            )
            for organisation in organisations
        ],
        "my_reports": reports,
        "new_report_form": NewReportForm(
            organisations=selectors.report_organisations_for(user),
            initial={"year": due_year, "period": due_period},
        ),
    }


def _follower_context(request, due_year: int, due_period: str) -> dict:
    """Coordinators and officers: which member filed for a period, which did not."""
    form = PeriodForm(
        request.GET or None, initial={"year": due_year, "period": due_period}
    )
    year, period = due_year, due_period
    if form.is_bound and form.is_valid():
        year, period = form.cleaned_data["year"], form.cleaned_data["period"]
    rows = selectors.reports_by_member(year=year, period=period)
    filed = sum(
        1 for _m, report in rows if report and report.status == Report.Status.SUBMITTED
    )
    return {
        "period_form": form,
        "status_year": year,
        "status_period": period,
        "status_label": _period_label(year, period),
        "status_rows": rows,
        "status_filed": filed,
        "status_missing": len(rows) - filed,
        "status_network_report": NetworkReport.objects.filter(
            year=year, period=period
        ).first(),
    }


@require_GET
def report_list(request):
    user = request.user
    due_year, due_period = selectors.period_to_report()
    context = {
        "due_label": _period_label(due_year, due_period),
        "published": selectors.published_network_reports(),
        **_staff_context(user, due_year, due_period),
    }
    if user.has_perm("pacts.view_draft_network_report"):
        context.update(_follower_context(request, due_year, due_period))
    return render(request, "pacts/reports/list.html", context)


def _new_report_target(request) -> tuple[Organisation, int, str]:
    """The member and period asked for in the query string, checked."""
    organisation = get_object_or_404(
        Organisation, slug=request.GET.get("organisation", "")
    )
    if organisation.status != Organisation.Status.ACTIVE or not (
        is_staff_of_its_member(request.user, organisation)
    ):
        raise PermissionDenied
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Choose a year and a reporting period."))
    return organisation, form.cleaned_data["year"], form.cleaned_data["period"]


def _report_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.REPORT_FIELDS}


def _saved(request, report: Report):
    if report.status == Report.Status.SUBMITTED:
        messages.success(
            request,
            _("The report has been filed: the network's coordinators can read it."),
        )
    else:
        messages.success(request, _("The report has been saved as a draft."))
    return redirect("pacts:report", pk=report.pk)


@login_required
@permission_required("pacts.add_report", raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def report_create(request):
    organisation, year, period = _new_report_target(request)
    existing = Report.objects.filter(
        organisation=organisation, year=year, period=period
    ).first()
    if existing is not None:
        name = (
            "pacts:report_edit"
            if existing.status == Report.Status.DRAFT
            else "pacts:report"
        )
        return redirect(name, pk=existing.pk)
    start, _end = selectors.period_bounds(year, period)
    if start > timezone.now():
        messages.error(
            request, _("Reports can be written only for periods that began.")
        )
        return redirect("pacts:reports")
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_create(
                    actor=request.user,
                    organisation=organisation,
                    year=year,
                    period=period,
                    data=_report_data(form),
                    file=request.POST.get("action") == "file",
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return _saved(request, report)
    else:
        initial = selectors.report_prefill(
            organisation=organisation, year=year, period=period
        )
        # Nothing on the platform counts volunteer hours: the member writes them,
        # rather than confirming a zero nobody measured.
        initial.setdefault("volunteer_hours", None)
        form = ReportForm(initial=initial)
    return render(
        request,
        "pacts/reports/form.html",
        {
            "form": form,
            "organisation": organisation,
            "period_label": _period_label(year, period),
            "report": None,
        },
    )


@login_required
@permission_required("pacts.view_report", fn=_get_report, raise_exception=True)
@mfa_required_for_roles
@require_GET
def report_detail(request, pk):
    report = _get_report(request, pk)
    return render(
        request,
        "pacts/reports/detail.html",
        {
            "report": report,
            "period_label": _period_label(report.year, report.period),
            # The rule itself, not has_perm: a superuser passes every has_perm,
            # but nobody edits another member's report.
            "can_change": rules.has_perm("pacts.change_report", request.user, report),
        },
    )


@login_required
@permission_required("pacts.change_report", fn=_get_report, raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _get_report(request, pk)
    if not rules.has_perm("pacts.change_report", request.user, report):
        raise PermissionDenied
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_update(
                actor=request.user,
                report=report,
                data=_report_data(form),
                file=request.POST.get("action") == "file",
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _saved(request, report)
    return render(
        request,
        "pacts/reports/form.html",
        {
            "form": form,
            "organisation": report.organisation,
            "period_label": _period_label(report.year, report.period),
            "report": report,
        },
    )


# ------------------------------------------------------------------------------
# The network's report
# ------------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_AREA = 340
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_LENGTH = 30


@dataclass
class Bar:
    label: str
    short_label: str
    value: int
    text: str
    y: int
    text_y: int
    width: int
    value_x: int


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, int]],
    *,
    label_header: str,
    value_header: str,
    unit: str = "",
    maximum: int | None = None,
) -> dict:
    """A horizontal bar chart drawn with SVG attributes only (strict CSP: no style),
    with its title for screen readers and the same data in a table beside it."""
    largest = maximum or max((value for _label, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        width = round(BAR_AREA * min(value, largest) / largest) if largest else 0
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            Bar(
                label=label,
                short_label=label
                if len(label) <= LABEL_LENGTH
                else label[: LABEL_LENGTH - 1] + "…",
                value=value,
                text=f"{value}{unit}",
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=width,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return {
        "id": chart_id,
        "title": title,
        "label_header": label_header,
        "value_header": value_header,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }


@dataclass
class MemberLine:
    name: str
    url: str
    type: str
    area: str
    figures: selectors.MemberFigures


def _member_lines(totals: selectors.NetworkTotals) -> list[MemberLine]:
    lines = []
    for member in totals.members:
        organisation = member.organisation
        shown = selectors.member_display(organisation)
        lines.append(
            MemberLine(
                name=str(shown["name"]),
                url=shown["url"],
                type=organisation.get_type_display(),
                area=str(organisation.area or "—"),
                figures=member,
            )
        )
    # By the name shown, so the place of an unnamed member reveals nothing.
    return sorted(lines, key=lambda line: line.name.casefold())


def _network_report_or_denied(request, year: int, period: str):
    """The network report of the period (maybe not created yet) if the person may
    read it: published ones everyone, drafts coordinators and officers."""
    if period not in Period.values:
        raise Http404
    report = (
        NetworkReport.objects.filter(year=year, period=period)
        .select_related("published_by")
        .first()
    )
    if report is not None and report.status == NetworkReport.Status.PUBLISHED:
        return report
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("pacts.view_draft_network_report"):
        raise PermissionDenied
    # A draft is a staff page: roles that need MFA use it.
    return _mfa_redirect(request) or report


def _network_context(year: int, period: str, report: NetworkReport | None) -> dict:
    published = report is not None and report.status == NetworkReport.Status.PUBLISHED
    totals = selectors.network_report_totals(
        year=year,
        period=period,
        filed_before=report.published_at if report is not None and published else None,
    )
    members = _member_lines(totals)
    charts = [
        bar_chart(
            "chart-objectives",
            _("Progress of the commitments towards their targets, by objective"),
            [(item.label, item.percent) for item in totals.objectives],
            label_header=_("Objective"),
            value_header=_("Reached of the target"),
            unit="%",
            maximum=100,
        ),
        bar_chart(
            "chart-areas",
            _("Families reached, by area"),
            [(item.area, item.families_reached) for item in totals.areas],
            label_header=_("Area"),
            value_header=_("Families reached"),
        ),
        bar_chart(
            "chart-members",
            _("Volunteer hours, by member"),
            [(line.name, line.figures.volunteer_hours) for line in members],
            label_header=_("Member"),
            value_header=_("Volunteer hours"),
        ),
    ]
    return {
        "year": year,
        "period": period,
        "period_label": _period_label(year, period),
        "network_report": report,
        "published": published,
        "totals": totals,
        "members": members,
        "charts": charts,
    }


@require_http_methods(["GET", "POST"])
def network_report(request, year: int, period: str):
    report = _network_report_or_denied(request, year, period)
    if isinstance(report, HttpResponse):
        return report
    published = report is not None and report.status == NetworkReport.Status.PUBLISHED
    can_compile = not published and rules.has_perm(
        "pacts.compile_network_report", request.user
    )
    form = None
    if can_compile:
        form = NetworkReportForm(
            request.POST if request.method == "POST" else None, instance=report
        )
    if request.method == "POST":
        # Published reports are final; only coordinators compile drafts (and
        # drafts already went through the MFA check above).
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if request.POST.get("action") == "publish":
                    services.network_report_publish(
                        actor=request.user,
                        year=year,
                        period=period,
                        introduction=form.cleaned_data["introduction"],
                    )
                    messages.success(
                        request, _("The network report has been published.")
                    )
                else:
                    services.network_report_save(
                        actor=request.user,
                        year=year,
                        period=period,
                        introduction=form.cleaned_data["introduction"],
                    )
                    messages.success(request, _("The network report has been saved."))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return redirect("pacts:network_report", year=year, period=period)
    context = _network_context(year, period, report)
    context["form"] = form
    return render(request, "pacts/reports/network_report.html", context)


def _download_name(year: int, period: str, extension: str) -> str:
    return f"rendiconto-rete-{year}-{period}.{extension}"


@require_GET
def network_report_csv(request, year: int, period: str):
    report = _network_report_or_denied(request, year, period)
    if isinstance(report, HttpResponse):
        return report
    context = _network_context(year, period, report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(year, period, "csv")}"'
    )
    # A byte-order mark, so spreadsheets open accented names correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Member"),
            _("Type"),
            _("Area"),
            _("Volunteer hours"),
            _("Families reached"),
            _("Children reached"),
            _("Help requests handled"),
            _("Filed"),
        ]
    )
    for line in context["members"]:
        figures = line.figures
        writer.writerow(
            [
                line.name,
                line.type,
                line.area,
                figures.volunteer_hours,
                figures.families_reached,
                figures.children_reached,
                figures.help_requests_handled,
                timezone.localdate(figures.report.submitted_at).isoformat()
                if figures.report and figures.report.submitted_at
                else "",
            ]
        )
    return response


@require_GET
def network_report_pdf(request, year: int, period: str):
    report = _network_report_or_denied(request, year, period)
    if isinstance(report, HttpResponse):
        return report
    # Imported here: WeasyPrint is heavy, and only this view needs it.
    import weasyprint

    html = render_to_string(
        "pacts/reports/network_report_pdf.html",
        _network_context(year, period, report),
        request=request,
    )
    pdf = weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/")
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{_download_name(year, period, "pdf")}"'
    )
    return response
