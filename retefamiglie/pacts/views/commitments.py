"""Members' commitments under the pact: public list and detail, staff writes.

Anyone reads what members committed to and how far they got; staff of the
member, or a coordinator, records progress and edits. Lateness is flagged for
those who follow the pact (coordinators, municipal officers).
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.middleware import public_page

from .. import selectors
from ..forms_commitments import (
    CommitmentEditForm,
    CommitmentFilterForm,
    CommitmentForm,
    ProgressForm,
)
from ..models import Commitment
from ..services import commitments as services

PAGE_SIZE = 25


def _get_commitment(request, pk, **kwargs) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("organisation", "area", "version"), pk=pk
    )


@public_page
@require_GET
def commitment_list(request):
    user = request.user
    sees_late = user.has_perm("pacts.view_late_commitments")
    form = CommitmentFilterForm(request.GET or None, show_late=sees_late)
    queryset = selectors.commitments_list(**form.filters(), late_first=sees_late)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for commitment in page:
        commitment.member = selectors.member_display(
            commitment.organisation, reveal=sees_late
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sees_late": sees_late,
        "late_count": queryset.filter(is_late=True).count() if sees_late else None,
        "can_add": user.has_perm("pacts.add_commitment"),
    }
    template = "pacts/commitments/list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@permission_required("pacts.add_commitment", raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def commitment_create(request):
    organisations = selectors.commitment_organisations_for(request.user)
    version = selectors.version_in_force()
    form = CommitmentForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and version is not None and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name in form.cleaned_data
        }
        try:
            commitment = services.commitment_create(actor=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The commitment has been published."))
            return redirect(commitment)
    return render(
        request,
        "pacts/commitments/form.html",
        {"form": form, "version": version, "commitment": None},
    )


def _render_detail(request, commitment: Commitment, progress_form=None, status=200):
    user = request.user
    can_change = rules.has_perm("pacts.change_commitment", user, commitment)
    if can_change and progress_form is None:
        progress_form = ProgressForm(
            initial={"progress_value": commitment.progress_value}
        )
    sees_history = rules.has_perm("pacts.view_commitment_history", user, commitment)
    context = {
        "commitment": commitment,
        "member": selectors.member_display(
            commitment.organisation, reveal=sees_history
        ),
        "updates": selectors.commitment_updates(commitment),
        "is_late": user.has_perm("pacts.view_late_commitments")
        and selectors.commitment_is_late(commitment),
        "can_change": can_change,
        "progress_form": progress_form if can_change else None,
        "history": selectors.commitment_history(commitment) if sees_history else None,
        "reveal_authors": sees_history,
    }
    return render(request, "pacts/commitments/detail.html", context, status=status)


@login_required
@permission_required(
    "pacts.change_commitment", fn=_get_commitment, raise_exception=True
)
@mfa_required_for_roles
def _record_progress(request, pk):
    commitment = _get_commitment(request, pk)
    # A superuser passes every has_perm: the rule itself says whether the
    # commitment is still open.
    if not rules.has_perm("pacts.change_commitment", request.user, commitment):
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.commitment_update_progress(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The progress has been recorded."))
            return redirect(commitment)
    return _render_detail(request, commitment, progress_form=form, status=400)


@public_page
@require_http_methods(["GET", "POST"])
def commitment_detail(request, pk):
    if request.method == "POST":
        return _record_progress(request, pk=pk)
    return _render_detail(request, _get_commitment(request, pk))


@login_required
@permission_required(
    "pacts.change_commitment", fn=_get_commitment, raise_exception=True
)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def commitment_edit(request, pk):
    commitment = _get_commitment(request, pk)
    if not rules.has_perm("pacts.change_commitment", request.user, commitment):
        raise PermissionDenied
    form = CommitmentEditForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        status = data.pop("status")
        drop_reason = data.pop("drop_reason", "")
        try:
            services.commitment_edit(
                actor=request.user,
                commitment=commitment,
                status=status,
                drop_reason=drop_reason,
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
            services.commitment_link_objectives(
                actor=request.user,
                commitment=commitment,
                objectives=data.get("participation_objectives", []),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The commitment has been saved."))
            return redirect(commitment)
    return render(
        request,
        "pacts/commitments/form.html",
        {"form": form, "commitment": commitment, "version": commitment.version},
    )
