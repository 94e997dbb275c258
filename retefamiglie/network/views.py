from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.forms import apply_errors as _apply_errors
from retefamiglie.core.middleware import public_page
from retefamiglie.core.navigation import items_for

from . import selectors, services
from .forms import DirectoryFilterForm, LeaveForm, OrganisationForm, StaffInvitationForm
from .models import Organisation, OrganisationStaff, StaffInvitation
from .selectors import memberships_for_user, organisations_for_staff_area
from .services import organisation_update

DIRECTORY_PAGE_SIZE = 24


@login_required
@permission_required("network.access_staff_area", raise_exception=True)
@mfa_required_for_roles
def staff_home(request):
    # One query for the rows the person may edit, instead of one per row.
    administered = set(
        memberships_for_user(user=request.user)
        .filter(role=OrganisationStaff.Role.ADMIN)
        .values_list("organisation_id", flat=True)
    )
    every_row = request.user.has_perm("network.change_organisation")
    organisations = list(organisations_for_staff_area(user=request.user))
    for organisation in organisations:
        organisation.can_edit = every_row or organisation.pk in administered
        # Mirrors network.leave_network without one query per row.
        organisation.can_leave = (
            organisation.pk in administered
            and organisation.status == Organisation.Status.ACTIVE
        )
    return render(
        request,
        "network/staff_home.html",
        {
            "organisations": organisations,
            "staff_links": items_for("staff", request.user),
        },
    )


def _get_organisation(request, slug, **kwargs):
    return get_object_or_404(Organisation, slug=slug)


@login_required
@permission_required(
    "network.change_organisation", fn=_get_organisation, raise_exception=True
)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = _get_organisation(request, slug)
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The organisation's profile has been saved."))
        return redirect("network:staff_home")
    return render(
        request,
        "network/organisation_edit.html",
        {"form": form, "organisation": organisation},
    )


# ------------------------------------------------------------------------------
# Public directory
# ------------------------------------------------------------------------------


@public_page
@require_GET
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    members = selectors.public_members(**form.filters())
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "network/directory.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode()},
    )


@public_page
@require_GET
def member(request, slug):
    organisation = get_object_or_404(selectors.public_member_profiles(), slug=slug)
    return render(request, "network/member.html", {"organisation": organisation})


# ------------------------------------------------------------------------------
# Staff of an organisation
# ------------------------------------------------------------------------------


def _staff_page(request, organisation, form, status=200):
    return render(
        request,
        "network/staff.html",
        {
            "organisation": organisation,
            "staff": selectors.staff_of(organisation=organisation),
            "invitations": selectors.pending_invitations(organisation=organisation),
            "form": form,
        },
        status=status,
    )


@login_required
@permission_required("network.manage_staff", fn=_get_organisation, raise_exception=True)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def staff(request, slug):
    organisation = _get_organisation(request, slug)
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.staff_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": invitation.email},
            )
            return redirect("network:staff", slug=organisation.slug)
    return _staff_page(request, organisation, form)


@login_required
@permission_required("network.manage_staff", fn=_get_organisation, raise_exception=True)
@mfa_required_for_roles
@require_POST
def staff_remove(request, slug, staff_id):
    organisation = _get_organisation(request, slug)
    member = get_object_or_404(
        OrganisationStaff.objects.select_related("user"),
        pk=staff_id,
        organisation=organisation,
    )
    try:
        services.staff_remove(staff=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer works for %(organisation)s on the platform.")
            % {"name": member.user, "organisation": organisation.name},
        )
    if member.user_id == request.user.pk and not request.user.has_perm(
        "network.manage_staff", organisation
    ):
        return redirect("network:staff_home")
    return redirect("network:staff", slug=organisation.slug)


@login_required
@permission_required("network.manage_staff", fn=_get_organisation, raise_exception=True)
@mfa_required_for_roles
@require_POST
def invitation_revoke(request, slug, invitation_id):
    organisation = _get_organisation(request, slug)
    invitation = get_object_or_404(
        StaffInvitation,
        pk=invitation_id,
        organisation=organisation,
        accepted_at__isnull=True,
    )
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request,
        _("The invitation to %(email)s has been withdrawn.")
        % {"email": invitation.email},
    )
    return redirect("network:staff", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = get_object_or_404(
        StaffInvitation.objects.select_related("organisation", "invited_by"),
        token=token,
        accepted_at__isnull=True,
    )
    matches = services.invitation_matches(invitation=invitation, user=request.user)
    if request.method == "POST" and matches:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You now work for %(organisation)s on the platform.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("network:staff_home")
    return render(
        request,
        "network/invitation.html",
        {"invitation": invitation, "matches": matches},
        status=200 if matches else 403,
    )


# ------------------------------------------------------------------------------
# Leaving the network
# ------------------------------------------------------------------------------


@login_required
@permission_required(
    "network.leave_network", fn=_get_organisation, raise_exception=True
)
@mfa_required_for_roles
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    organisation = _get_organisation(request, slug)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_leave(
                organisation=organisation,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s has left the network. Thank you for what you did.")
                % {"organisation": organisation.name},
            )
            return redirect("network:staff_home")
    return render(
        request, "network/leave.html", {"organisation": organisation, "form": form}
    )
