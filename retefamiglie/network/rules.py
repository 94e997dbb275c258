import rules

from retefamiglie.accounts.rules import is_coordinator, is_municipal_officer

from .models import Organisation, OrganisationStaff


@rules.predicate
def is_organisation_staff(user) -> bool:
    """Admin or editor of at least one active member organisation."""
    if not user.is_authenticated:
        return False
    return OrganisationStaff.objects.filter(
        user=user, organisation__status=Organisation.Status.ACTIVE
    ).exists()


@rules.predicate
def is_admin_of(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return OrganisationStaff.objects.filter(
        user=user, organisation=organisation, role=OrganisationStaff.Role.ADMIN
    ).exists()


@rules.predicate
def is_staff_of(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return OrganisationStaff.objects.filter(
        user=user, organisation=organisation
    ).exists()


can_enter_staff_area = (
    is_organisation_staff | is_coordinator | is_municipal_officer | rules.is_superuser
)

rules.add_perm("network.access_staff_area", can_enter_staff_area)
rules.add_perm(
    "network.view_organisation_in_staff_area",
    is_staff_of | is_coordinator | is_municipal_officer | rules.is_superuser,
)
rules.add_perm(
    "network.change_organisation", is_admin_of | is_coordinator | rules.is_superuser
)


@rules.predicate
def is_active_organisation(user, organisation: Organisation | None) -> bool:
    return (
        organisation is not None and organisation.status == Organisation.Status.ACTIVE
    )


rules.add_perm(
    "network.manage_staff", is_admin_of | is_coordinator | rules.is_superuser
)
# Leaving binds the member: only its own administrators decide it.
rules.add_perm("network.leave_network", is_admin_of & is_active_organisation)
