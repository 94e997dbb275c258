"""The staff area of the process (/gestione/partecipazione/): meetings proposed
by coordinators and member staff, published by coordinators; attendance and
minutes after a meeting; objectives and their actions."""

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.pagination import CappedPaginator
from retefamiglie.core.types import AuthenticatedHttpRequest
from retefamiglie.network.models import Organisation

from .. import selectors, services
from ..forms import (
    ActionForm,
    ActionUpdateForm,
    AttachmentForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    ObjectiveForm,
    PhaseFormSet,
    ProcessForm,
)
from ..models import (
    Action,
    Meeting,
    MinutesAttachment,
    Objective,
    Process,
    Registration,
)

PROPOSALS_PAGE_SIZE = 50


def staff_view(view: Any) -> Any:
    view = mfa_required_for_roles(view)
    view = permission_required("participation.access_management", raise_exception=True)(
        view
    )
    return login_required(view)


def _organisations_for(user: Any) -> Any:
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
    if user.is_superuser or user.is_coordinator:
        return active.order_by("name")
    return active.filter(staff__user=user).order_by("name").distinct()


def _meeting(request: HttpRequest, slug: str, perm: str) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("process", "organiser"), slug=slug
    )
    if not rules.has_perm(perm, request.user, meeting):
        raise PermissionDenied
    return meeting


@staff_view
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for_management()
    user = request.user
    if not user.has_perm("participation.manage_process"):
        meetings = meetings.filter(
            organiser__in=_organisations_for(user)
        ) | meetings.filter(proposed_by=user.pk)
    return render(
        request,
        "participation/manage/index.html",
        {
            "processes": selectors.processes(),
            "meetings": meetings[:100],
            "process": selectors.current_process(),
            "can_publish": user.has_perm("participation.publish_meeting"),
            "can_manage_objectives": user.has_perm("participation.manage_objectives"),
            "awaiting": selectors.proposals_for_answer("in-attesa").count()
            if user.has_perm("participation.answer_proposal")
            else 0,
        },
    )


@staff_view
@permission_required("participation.answer_proposal", raise_exception=True)
@require_GET
def proposals_to_answer(request: HttpRequest) -> HttpResponse:
    """The coordinators' list of proposals, filterable by "awaiting an answer"
    (their supports reached the process's threshold)."""
    show = request.GET.get("mostra", "")
    if show not in selectors.FOR_ANSWER:
        show = selectors.FOR_ANSWER[0]
    page = CappedPaginator(
        selectors.proposals_for_answer(show), PROPOSALS_PAGE_SIZE, cap=1000
    ).get_page(request.GET.get("pagina"))
    return render(
        request,
        "participation/manage/proposals.html",
        {
            "page": page,
            "proposals": page.object_list,
            "show": show,
            "query_string": f"mostra={show}",
        },
    )


@staff_view
@permission_required("participation.manage_process", raise_exception=True)
@require_http_methods(["GET", "POST"])
def process_edit(
    request: AuthenticatedHttpRequest, slug: str | None = None
) -> HttpResponse:
    """A coordinator writes a process and its phases (a pact renewal is a new one)."""
    process = get_object_or_404(Process, slug=slug) if slug else Process()
    form = ProcessForm(request.POST or None, instance=process)
    phases = PhaseFormSet(request.POST or None, instance=process, prefix="fasi")
    if request.method == "POST" and form.is_valid() and phases.is_valid():
        try:
            services.process_save(
                actor=request.user,
                process=form.instance,
                phases=[
                    (sub.instance if sub.instance.pk else None, sub.cleaned_data)
                    for sub in phases.forms
                    if sub.has_changed() and sub not in phases.deleted_forms
                ],
                deleted=[
                    sub.instance for sub in phases.deleted_forms if sub.instance.pk
                ],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The process has been saved."))
            return redirect("participation:manage_process", slug=form.instance.slug)
    return render(
        request,
        "participation/manage/process_form.html",
        {"form": form, "phases": phases, "process": process if slug else None},
        status=400 if request.method == "POST" else 200,
    )


@staff_view
@permission_required("participation.propose_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    process = selectors.current_process()
    if process is None:
        raise Http404
    form = MeetingForm(
        request.POST or None,
        process=process,
        organisations=_organisations_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user,
                process=process,
                data=form.cleaned_data,
                agenda=form.cleaned_data["agenda"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The meeting has been saved; a coordinator publishes it."),
            )
            return redirect("participation:manage_meeting", slug=meeting.slug)
    return render(
        request,
        "participation/manage/meeting_form.html",
        {"form": form, "meeting": None},
        status=400 if form.errors else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug, "participation.change_meeting")
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        process=meeting.process,
        organisations=_organisations_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data=form.cleaned_data,
                agenda=form.cleaned_data["agenda"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("participation:manage_meeting", slug=meeting.slug)
    registrations = meeting.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).order_by("status", "confirmed_at", "pk")
    return render(
        request,
        "participation/manage/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "registrations": registrations,
            "childcare": selectors.meeting_childcare_requests(meeting),
            "can_publish": request.user.has_perm("participation.publish_meeting"),
            "can_record": rules.has_perm(
                "participation.record_attendance", request.user, meeting
            ),
        },
        status=400 if form.errors else 200,
    )


@staff_view
@permission_required("participation.publish_meeting", raise_exception=True)
@require_POST
def meeting_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug, "participation.publish_meeting")
    if request.POST.get("action") == "cancel":
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting has been cancelled."))
    else:
        try:
            services.meeting_publish(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting has been published."))
    return redirect("participation:manage_meeting", slug=meeting.slug)


def _report_step(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    registrations: Any,
    forms: dict[str, Any],
) -> bool:
    """Handle one of the forms of the report page; false if it has errors (the
    bound form replaces the blank one in ``forms``)."""
    step = request.POST.get("step")
    user = request.user
    if step == "attendance":
        form: Any
        form = forms["attendance"] = AttendanceForm(
            request.POST, registrations=registrations
        )
        if not form.is_valid():
            return False
        data = form.cleaned_data
        services.meeting_record_attendance(
            actor=user,
            meeting=meeting,
            counts=data,
            attended=[int(pk) for pk in data.get("attended", [])]
            if "attended" in form.fields
            else None,
        )
        messages.success(request, _("Attendance has been recorded."))
        return True
    if step == "minutes":
        form = forms["minutes"] = MinutesForm(request.POST, process=meeting.process)
        if not form.is_valid():
            return False
        try:
            services.meeting_publish_minutes(
                actor=user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                proposals=form.cleaned_data["proposals"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
            return False
        messages.success(request, _("The minutes have been published."))
        return True
    if step == "attachment":
        form = forms["attachment"] = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return False
        services.minutes_attachment_add(
            actor=user,
            meeting=meeting,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            content_type=form.content_type,
        )
        messages.success(request, _("The attachment has been added."))
        return True
    if step == "remove_attachment":
        item = get_object_or_404(
            MinutesAttachment, pk=request.POST.get("attachment"), meeting=meeting
        )
        services.minutes_attachment_delete(actor=user, attachment=item)
        messages.success(request, _("The attachment has been removed."))
        return True
    return False


@staff_view
@require_http_methods(["GET", "POST"])
def meeting_report(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Attendance, minutes and attachments of a meeting that took place."""
    meeting = _meeting(request, slug, "participation.record_attendance")
    registrations = meeting.registrations.filter(
        status=Registration.Status.CONFIRMED
    ).order_by("name", "pk")
    attendance = AttendanceForm(
        initial={
            "families_count": meeting.families_count,
            "members_count": meeting.members_count,
            "citizens_count": meeting.citizens_count,
            "officers_count": meeting.officers_count,
            "attended": [str(r.pk) for r in registrations if r.attended],
        },
        registrations=registrations,
    )
    minutes = MinutesForm(
        initial={
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
            "proposals": list(meeting.proposals.all()),
        },
        process=meeting.process,
    )
    attachment = AttachmentForm()
    forms = {"attendance": attendance, "minutes": minutes, "attachment": attachment}
    status = 200
    if request.method == "POST":
        done = _report_step(request, meeting, registrations, forms)
        if done:
            return redirect("participation:manage_report", slug=slug)
        status = 400
    return render(
        request,
        "participation/manage/report.html",
        {
            "meeting": meeting,
            "attendance_form": forms["attendance"],
            "minutes_form": forms["minutes"],
            "attachment_form": forms["attachment"],
            "attachments": meeting.attachments.all(),
        },
        status=status,
    )


# Objectives and actions ------------------------------------------------------------


@staff_view
@permission_required("participation.manage_objectives", raise_exception=True)
@require_http_methods(["GET", "POST"])
def objective_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objective = services.objective_create(
            actor=request.user,
            process=selectors.current_process(),
            data=form.cleaned_data,
        )
        messages.success(request, _("The objective has been created."))
        return redirect(objective)
    return render(
        request,
        "participation/manage/objective_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@staff_view
@permission_required("participation.manage_objectives", raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    objective = get_object_or_404(Objective, slug=slug)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.action_create(
            actor=request.user, objective=objective, data=form.cleaned_data
        )
        messages.success(request, _("The action has been added."))
        return redirect(objective)
    return render(
        request,
        "participation/manage/action_form.html",
        {"form": form, "objective": objective},
        status=400 if form.errors else 200,
    )


@login_required
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def action_update(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related("objective", "owner"),
        pk=pk,
        objective__slug=slug,
    )
    if not rules.has_perm("participation.update_action", request.user, action):
        raise PermissionDenied
    form = ActionUpdateForm(
        request.POST or None,
        initial={"progress": action.progress, "status": action.status},
    )
    if request.method == "POST" and form.is_valid():
        services.action_update(actor=request.user, action=action, **form.cleaned_data)
        messages.success(request, _("The action has been updated."))
        return redirect(action.objective)
    return render(
        request,
        "participation/manage/action_update.html",
        {"form": form, "action": action},
        status=400 if form.errors else 200,
    )
