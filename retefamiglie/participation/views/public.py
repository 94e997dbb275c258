"""Public pages of the participatory process: the process, meetings with
registration and calendars, minutes, proposals, objectives.

A registration needs no account: its private link (a long random token) is the
key to it, so every page showing one is kept out of caches and search engines.
"""

from datetime import timedelta
from functools import wraps
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retefamiglie.bookings.forms import BookingDetailsForm
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.ical import CalendarEntry, calendar_response
from retefamiglie.core.pagination import CappedPaginator
from retefamiglie.core.types import AuthenticatedHttpRequest

from .. import selectors, services
from ..forms import (
    AnswerForm,
    CommentForm,
    MergeForm,
    ProposalFilterForm,
    ProposalForm,
    pact_section_label,
)
from ..models import Comment, Meeting, Process, Proposal, Registration
from ..rules import current_phase
from ..search import search_proposals

PAGE_SIZE = 20
# What the calendar files list, in their PRODID.
CALENDAR_PRODUCT = "Incontri"
# The online link shows to registered people from this long before the start.
ONLINE_LINK_BEFORE = timedelta(hours=1)


def private_page(view: Any) -> Any:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = never_cache(view)(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# The process -------------------------------------------------------------------------


def _steps(process: Process) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "phase": phase,
            "state": "done"
            if phase.ends_on < today
            else ("current" if phase.starts_on <= today else "next"),
        }
        for phase in process.phases.all()
    ]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    process = selectors.current_process()
    if process is None:
        return render(request, "participation/index.html", {"process": None})
    return _render_process(request, process, "participation/index.html")


@require_GET
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(selectors.processes(), slug=slug)
    return _render_process(request, process, "participation/process.html")


def _render_process(
    request: HttpRequest, process: Process, template: str
) -> HttpResponse:
    context = {
        "process": process,
        "steps": _steps(process),
        "phase": current_phase(process),
        "meetings": selectors.meetings_upcoming(process=process)[:3],
        "proposals": selectors.proposals_public(process=process)[:5],
        "objectives": selectors.objectives_with_progress().filter(process=process),
        "other_processes": selectors.processes().exclude(pk=process.pk),
        "can_propose": rules.has_perm(
            "participation.add_proposal", request.user, process
        ),
    }
    return render(request, template, context)


# Meetings ----------------------------------------------------------------------------


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("passati") == "1"
    meetings = selectors.meetings_past() if past else selectors.meetings_upcoming()
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "participation/meetings/list.html",
        {"page": page, "meetings": page.object_list, "past": past},
    )


def _visible_meeting(request: HttpRequest, slug: str) -> Meeting:
    meeting = selectors.meeting_detail(slug)
    if meeting is None:
        raise Http404
    if meeting.status != Meeting.Status.PUBLISHED and not rules.has_perm(
        "participation.change_meeting", request.user, meeting
    ):
        raise Http404
    return meeting


def _render_meeting(
    request: HttpRequest, meeting: Meeting, form: Any = None, status: int = 200
) -> HttpResponse:
    taken = selectors.meeting_seats_taken(meeting)
    open_for_registration = (
        meeting.status == Meeting.Status.PUBLISHED
        and meeting.starts_at > timezone.now()
    )
    if form is None and open_for_registration:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.short_name, "email": request.user.email}
        form = BookingDetailsForm(capacity=meeting.capacity, initial=initial)
    if form is not None and not meeting.childcare_offered:
        form.fields.pop("needs_childcare", None)
    context = {
        "meeting": meeting,
        "form": form,
        "seats_left": None
        if meeting.capacity is None
        else max(meeting.capacity - taken, 0),
        "open_for_registration": open_for_registration,
        "can_change": rules.has_perm(
            "participation.change_meeting", request.user, meeting
        ),
        "can_record": rules.has_perm(
            "participation.record_attendance", request.user, meeting
        ),
    }
    return render(request, "participation/meetings/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _visible_meeting(request, slug)
    if request.method != "POST":
        return _render_meeting(request, meeting)
    form = BookingDetailsForm(request.POST, capacity=meeting.capacity)
    if not meeting.childcare_offered:
        form.fields.pop("needs_childcare", None)
    if not form.is_valid():
        return _render_meeting(request, meeting, form, status=400)
    try:
        registration = services.registration_create(
            meeting=meeting, data=form.booking_data(), user=request.user
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _render_meeting(request, meeting, form, status=400)
    if registration.status == Registration.Status.UNCONFIRMED:
        messages.success(
            request,
            _("Almost done: open the link we sent to %(email)s to confirm.")
            % {"email": registration.email},
        )
    return redirect("participation:registration", token=registration.token)


def _meeting_entry(meeting: Meeting) -> CalendarEntry:
    url = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    where = meeting.where
    if meeting.mode == Meeting.Mode.ONLINE:
        where = _("Online (the link is sent to registered people)")
    return CalendarEntry(
        uid=f"meeting-{meeting.uid}",
        summary=meeting.title,
        description=f"{meeting.summary}\n\n{url}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        url=url,
        updated_at=meeting.updated_at,
        location=where,
    )


@require_GET
def meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = selectors.meetings_published().filter(slug=slug).first()
    if meeting is None:
        raise Http404
    return calendar_response(
        name=meeting.title,
        product=CALENDAR_PRODUCT,
        entries=[_meeting_entry(meeting)],
        filename=f"{meeting.slug}.ics",
    )


@require_GET
def meeting_feed(request: HttpRequest) -> HttpResponse:
    """Every published meeting from 30 days ago on."""
    since = timezone.now() - timedelta(days=30)
    return calendar_response(
        name=_("Meetings of %(network)s")
        % {"network": settings.RETEFAMIGLIE["NETWORK_NAME"]},
        product=CALENDAR_PRODUCT,
        entries=(
            _meeting_entry(meeting)
            for meeting in selectors.meetings_published().filter(ends_at__gte=since)
        ),
    )


def _published_minutes(slug: str) -> Meeting:
    meeting = selectors.meeting_detail(slug)
    if (
        meeting is None
        or meeting.status != Meeting.Status.PUBLISHED
        or meeting.minutes_published_at is None
    ):
        raise Http404
    return meeting


@require_GET
def minutes_print(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _published_minutes(slug)
    return render(
        request, "participation/meetings/minutes_print.html", {"meeting": meeting}
    )


@require_GET
def minutes_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    # Imported here: WeasyPrint is heavy and only this page needs it.
    import weasyprint

    meeting = _published_minutes(slug)
    html = render_to_string(
        "participation/meetings/minutes_pdf.html", {"meeting": meeting}, request=request
    )
    pdf = weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/")
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="verbale-{meeting.slug}.pdf"'
    return response


# Registrations -----------------------------------------------------------------------


def _registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("meeting"), token=token
    )


def _waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        meeting=registration.meeting,
        status=Registration.Status.WAITING,
        confirmed_at__lt=registration.confirmed_at,
    ).count()
    return ahead + 1


@private_page
@require_GET
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    meeting = registration.meeting
    now = timezone.now()
    show_link = (
        registration.status == Registration.Status.CONFIRMED
        and meeting.mode != Meeting.Mode.IN_PERSON
        and meeting.starts_at - ONLINE_LINK_BEFORE <= now < meeting.ends_at
    )
    context = {
        "registration": registration,
        "meeting": meeting,
        "children": registration.children_by_band(),
        "position": _waiting_position(registration),
        "show_online_link": show_link,
        "can_cancel": registration.status != Registration.Status.CANCELLED
        and meeting.starts_at > now,
    }
    return render(request, "participation/meetings/registration.html", context)


@private_page
@require_GET
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    try:
        services.registration_confirm(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("participation:registration", token=token)


@private_page
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return redirect("participation:registration", token=token)
    return render(
        request,
        "participation/meetings/registration_cancel.html",
        {"registration": registration, "meeting": registration.meeting},
    )


# Proposals ---------------------------------------------------------------------------


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    process = selectors.current_process()
    form = ProposalFilterForm(request.GET or None, process=process)
    proposals = selectors.proposals_public(user=request.user, **form.filters())
    query = form.query()
    if query:
        proposals = search_proposals(proposals, query)
    paginator = CappedPaginator(proposals, PAGE_SIZE, cap=1000)
    page = paginator.get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "participation/proposals/list.html",
        {
            "form": form,
            "page": page,
            "proposals": page.object_list,
            "query_string": params.urlencode(),
            "process": process,
            "can_propose": process is not None
            and rules.has_perm("participation.add_proposal", request.user, process),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    process = selectors.current_process()
    if process is None or not rules.has_perm(
        "participation.add_proposal", request.user, process
    ):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, process=process, data=form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your proposal has been published."))
            return redirect(proposal)
    return render(
        request,
        "participation/proposals/form.html",
        {"form": form, "process": process, "proposal": None},
        status=400 if form.errors else 200,
    )


def _visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    """A proposal hidden by moderation is seen only by its author and the
    people who decide on it."""
    proposal = selectors.proposal_detail(pk)
    if proposal is None:
        raise Http404
    if (
        proposal.hidden
        and proposal.author_id != request.user.pk
        and not rules.has_perm("participation.answer_proposal", request.user, proposal)
    ):
        raise Http404
    return proposal


def _render_proposal(
    request: HttpRequest,
    proposal: Proposal,
    comment_form: Any = None,
    answer_form: Any = None,
    merge_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "proposal": proposal,
        "pact_section": pact_section_label(proposal.pact_section)
        if proposal.pact_section
        else "",
        "supported": selectors.has_supported(proposal, user),
        "can_support": rules.has_perm("participation.support_proposal", user, proposal),
        "can_comment": rules.has_perm("participation.comment_proposal", user, proposal),
        "can_change": rules.has_perm("participation.change_proposal", user, proposal),
        "can_withdraw": rules.has_perm(
            "participation.withdraw_proposal", user, proposal
        ),
        "can_answer": rules.has_perm("participation.answer_proposal", user, proposal),
        "can_merge": rules.has_perm("participation.merge_proposal", user, proposal),
        "comment_form": comment_form or CommentForm(),
        "answer_form": answer_form
        or AnswerForm(initial={"state": proposal.state, "answer": proposal.answer}),
        "merge_form": merge_form or MergeForm(proposal=proposal),
    }
    return render(
        request, "participation/proposals/detail.html", context, status=status
    )


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_proposal(request, _visible_proposal(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not rules.has_perm("participation.change_proposal", request.user, proposal):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                actor=request.user, proposal=proposal, data=form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your proposal has been changed."))
            return redirect(proposal)
    return render(
        request,
        "participation/proposals/form.html",
        {"form": form, "process": proposal.process, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not rules.has_perm("participation.withdraw_proposal", request.user, proposal):
        raise PermissionDenied
    services.proposal_withdraw(actor=request.user, proposal=proposal)
    messages.success(request, _("Your proposal has been withdrawn."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_support(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if request.POST.get("action") == "remove":
        services.proposal_unsupport(actor=request.user, proposal=proposal)
        messages.success(request, _("You no longer support this proposal."))
    else:
        if not rules.has_perm("participation.support_proposal", request.user, proposal):
            raise PermissionDenied
        services.proposal_support(actor=request.user, proposal=proposal)
        messages.success(request, _("You support this proposal."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not rules.has_perm("participation.comment_proposal", request.user, proposal):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, comment_form=form, status=400)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(
            pk=form.cleaned_data["parent"], proposal=proposal
        ).first()
    try:
        services.comment_create(
            actor=request.user,
            proposal=proposal,
            body=form.cleaned_data["body"],
            stance=form.cleaned_data["stance"],
            parent=parent,
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _render_proposal(request, proposal, comment_form=form, status=400)
    messages.success(request, _("Your comment has been published."))
    return redirect(proposal.get_absolute_url() + "#commenti")


@login_required
@require_POST
def proposal_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not rules.has_perm("participation.answer_proposal", request.user, proposal):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_answer(
                actor=request.user,
                proposal=proposal,
                state=form.cleaned_data["state"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The answer has been published."))
            return redirect(proposal)
    return _render_proposal(request, proposal, answer_form=form, status=400)


@login_required
@require_POST
def proposal_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    if not rules.has_perm("participation.merge_proposal", request.user, proposal):
        raise PermissionDenied
    form = MergeForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_merge(
                actor=request.user, proposal=proposal, into=form.cleaned_data["into"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The proposal has been merged."))
            return redirect(form.cleaned_data["into"])
    return _render_proposal(request, proposal, merge_form=form, status=400)


# Objectives --------------------------------------------------------------------------


@require_GET
def objective_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/objectives/list.html",
        {"objectives": selectors.objectives_with_progress()},
    )


@require_GET
def objective_detail(request: HttpRequest, slug: str) -> HttpResponse:
    objective = selectors.objective_detail(slug)
    if objective is None:
        raise Http404
    actions = [
        (action, rules.has_perm("participation.update_action", request.user, action))
        for action in objective.actions.all()
    ]
    return render(
        request,
        "participation/objectives/detail.html",
        {
            "objective": objective,
            "actions": actions,
            "can_manage": request.user.has_perm("participation.manage_objectives"),
        },
    )
