"""Flagging (anyone logged in) and the coordinators' queue in the staff area."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors

from . import registry, selectors, services
from .forms import DecisionForm, FlagForm, QueueFilterForm, SuspensionForm
from .models import Case, Suspension

PAGE_SIZE = 25


def _next_url(request, target) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return "/"


@login_required
@permission_required("moderation.flag_object", raise_exception=True)
@require_http_methods(["GET", "POST"])
def flag(request, app_label: str, model_name: str, pk: int):
    model = registry.flaggable_model(app_label, model_name)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    # An object the person cannot see cannot be flagged by them (ADR 16).
    visible_to = getattr(target, "moderation_visible_to", None)
    if callable(visible_to) and not visible_to(request.user):
        raise Http404
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                actor=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the coordinators of the network will look at it."),
            )
            return redirect(_next_url(request, target))
    return render(
        request,
        "moderation/flag.html",
        {"form": form, "target": target, "next": _next_url(request, target)},
    )


@login_required
@permission_required("moderation.view_queue", raise_exception=True)
@mfa_required_for_roles
@never_cache
@require_GET
def queue(request):
    filters = QueueFilterForm(request.GET or None)
    show = filters.selected()
    page = Paginator(selectors.queue(show=show), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.author = selectors.author_of(case.content_object)
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "filters": filters, "show": show},
    )


def _case_context(case: Case, **forms) -> dict:
    target = case.content_object
    author = selectors.author_of(target)
    if author is None and isinstance(target, get_user_model()):
        author = target
    return {
        "case": case,
        "target": target,
        "author": author,
        "excerpt": getattr(target, "moderation_excerpt", "") if target else "",
        "suspension": (
            selectors.active_suspensions().filter(person_id=author.pk) if author else []
        ),
        **forms,
    }


@login_required
@permission_required("moderation.view_queue", raise_exception=True)
@mfa_required_for_roles
@never_cache
@require_GET
def case_detail(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    case = selectors.case_with_history(pk=case.pk)
    return render(
        request,
        "moderation/case.html",
        _case_context(
            case, decision_form=DecisionForm(), suspension_form=SuspensionForm()
        ),
    )


@login_required
@permission_required("moderation.decide_case", raise_exception=True)
@mfa_required_for_roles
@require_POST
def decide(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_create(
                actor=request.user,
                case=case,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("moderation:case", pk=case.pk)
    case = selectors.case_with_history(pk=case.pk)
    return render(
        request,
        "moderation/case.html",
        _case_context(case, decision_form=form, suspension_form=SuspensionForm()),
        status=400,
    )


@login_required
@permission_required("moderation.suspend_person", raise_exception=True)
@mfa_required_for_roles
@require_POST
def suspend(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    case = selectors.case_with_history(pk=case.pk)
    context = _case_context(case)
    form = SuspensionForm(request.POST)
    if context["author"] is None:
        raise Http404
    if form.is_valid():
        try:
            services.suspension_create(
                actor=request.user,
                person=context["author"],
                scope=form.cleaned_data["scope"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The person is suspended and told why."))
            return redirect("moderation:case", pk=case.pk)
    context.update(decision_form=DecisionForm(), suspension_form=form)
    return render(request, "moderation/case.html", context, status=400)


@login_required
@permission_required("moderation.suspend_person", raise_exception=True)
@mfa_required_for_roles
@never_cache
@require_GET
def suspensions(request):
    page = Paginator(selectors.active_suspensions(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scopes = registry.suspension_scopes()
    for suspension in page:
        suspension.scope_label = scopes.get(suspension.scope, suspension.scope)
    return render(request, "moderation/suspensions.html", {"page": page})


@login_required
@permission_required("moderation.suspend_person", raise_exception=True)
@mfa_required_for_roles
@require_POST
def suspension_lift(request, pk: int):
    suspension = get_object_or_404(Suspension, pk=pk, lifted_at__isnull=True)
    services.suspension_lift(actor=request.user, suspension=suspension)
    messages.success(request, _("The suspension is lifted."))
    return redirect("moderation:suspensions")
