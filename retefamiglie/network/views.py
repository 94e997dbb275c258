from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from retefamiglie.accounts.decorators import mfa_required_for_roles
from retefamiglie.core.navigation import items_for

from .forms import OrganisationForm
from .models import Organisation, OrganisationStaff
from .selectors import memberships_for_user, organisations_for_staff_area
from .services import organisation_update


@login_required
@permission_required("network.access_staff_area", raise_exception=True)
@mfa_required_for_roles
def staff_home(request):
    # One query for the rows the person may edit, instead of one per row.
    if request.user.has_perm("network.change_organisation"):
        editable = None  # every row
    else:
        editable = set(
            memberships_for_user(user=request.user)
            .filter(role=OrganisationStaff.Role.ADMIN)
            .values_list("organisation_id", flat=True)
        )
    organisations = list(organisations_for_staff_area(user=request.user))
    for organisation in organisations:
        organisation.can_edit = editable is None or organisation.pk in editable
    return render(
        request,
        "network/staff_home.html",
        {
            "organisations": organisations,
            "staff_links": items_for("staff", request.user),
        },
    )


def _get_organisation(request, slug):
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
