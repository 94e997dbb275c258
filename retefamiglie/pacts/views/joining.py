"""Joining the network: the applicant's pages and the coordinators' review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors

from .. import selectors
from ..forms_joining import JoinApplicationForm, ReviewForm
from ..models import JoinApplication
from ..services import joining as services

PAGE_SIZE = 25
Status = JoinApplication.Status


# ------------------------------------------------------------------------------
# The applicant
# ------------------------------------------------------------------------------


@login_required
@permission_required("pacts.apply_to_join", raise_exception=True)
@require_http_methods(["GET", "POST"])
def apply(request):
    version = selectors.version_in_force(with_sections=True)
    own = JoinApplication.objects.filter(applicant=request.user).order_by("-created_at")
    if version is None:
        return render(
            request,
            "pacts/joining/apply.html",
            {"version": None, "form": None, "own_applications": own},
        )
    form = JoinApplicationForm(
        request.POST or None,
        version=version,
        initial={
            "contact_name": request.user.display_name,
            "contact_email": request.user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                applicant=request.user, data=form.application_data(), version=version
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your application has been sent. A coordinator of "
                    "the network will read it and answer you by e-mail."
                ),
            )
            return redirect("pacts:application", pk=application.pk)
    return render(
        request,
        "pacts/joining/apply.html",
        {"version": version, "form": form, "own_applications": own},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application(request, pk):
    # Only its applicant reaches the page; anyone else learns nothing of it.
    application = get_object_or_404(
        JoinApplication.objects.select_related("version", "area", "organisation"),
        pk=pk,
        applicant=request.user,
    )
    form = None
    version = None
    if application.status == Status.CHANGES_REQUESTED:
        version = selectors.version_in_force(with_sections=True)
    if version is not None:
        form = JoinApplicationForm(
            request.POST or None,
            version=version,
            initial=model_to_dict(application, fields=services.APPLICATION_FIELDS),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.application_amend(
                    application=application,
                    data=form.application_data(),
                    version=version,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your application has been sent again to the coordinators."),
                )
                return redirect("pacts:application", pk=application.pk)
    elif request.method == "POST":
        messages.error(request, _("This application cannot be changed now."))
        return redirect("pacts:application", pk=application.pk)
    return render(
        request,
        "pacts/joining/application.html",
        {"application": application, "form": form, "version": version},
    )


# ------------------------------------------------------------------------------
# The coordinators
# ------------------------------------------------------------------------------


@login_required
@permission_required("pacts.review_application", raise_exception=True)
@mfa_required_for_roles
@require_GET
def application_list(request):
    # Waiting ones first, then those back with the applicant, then the decided.
    applications = (
        JoinApplication.objects.select_related("area", "organisation", "reviewed_by")
        .annotate(
            waiting=Case(
                When(status=Status.SUBMITTED, then=Value(0)),
                When(status=Status.CHANGES_REQUESTED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "created_at", "pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pacts/joining/list.html", {"page": page})


def _get_application(request, pk) -> JoinApplication:
    return get_object_or_404(
        JoinApplication.objects.select_related(
            "version", "area", "organisation", "applicant", "reviewed_by"
        ),
        pk=pk,
    )


@login_required
@permission_required(
    "pacts.review_application", fn=_get_application, raise_exception=True
)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def application_review(request, pk):
    application = _get_application(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        message = form.cleaned_data["message"]
        try:
            if decision == ReviewForm.APPROVE:
                organisation = services.application_approve(
                    application=application, reviewer=request.user
                )
                text = _("%(name)s is now a member of the network.") % {
                    "name": organisation.name
                }
            elif decision == ReviewForm.CHANGES:
                services.application_request_changes(
                    application=application, reviewer=request.user, message=message
                )
                text = _("The application has been sent back to the applicant.")
            else:
                services.application_reject(
                    application=application, reviewer=request.user, reason=message
                )
                text = _("The application has been rejected.")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, text)
            return redirect("pacts:application_review", pk=application.pk)
    return render(
        request,
        "pacts/joining/review.html",
        {
            "application": application,
            "form": form,
            "can_review": application.status == Status.SUBMITTED,
        },
    )
