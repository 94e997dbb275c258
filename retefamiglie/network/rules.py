from typing import Any

import rules

from retefamiglie.accounts.rules import is_coordinator, is_municipal_officer

from .models import Organisation, OrganisationStaff


def organisation_id_of(obj: object) -> int | None:
    """The organisation an object belongs to: itself, or its ``organisation``."""
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def works_for(
    user: Any,
    obj: object = None,
    *,
    role: str | None = None,
    active_member: bool = False,
) -> bool:
    """The one answer to "is this person staff of this organisation?".

    ``obj`` is an organisation or anything with an ``organisation`` (a service,
    a commitment, a report); without it, any organisation. ``role`` asks for
    that role only (admin); ``active_member`` only for members of the network
    in good standing (not applicants, suspended members or mere providers).
    """
    if not user.is_authenticated:
        return False
    staff = OrganisationStaff.objects.filter(user=user)
    if obj is not None:
        organisation_id = organisation_id_of(obj)
        if organisation_id is None:
            return False
        staff = staff.filter(organisation_id=organisation_id)
    if role is not None:
        staff = staff.filter(role=role)
    if active_member:
        staff = staff.filter(organisation__status=Organisation.Status.ACTIVE)
    return staff.exists()


@rules.predicate
def is_organisation_staff(user: Any) -> bool:
    """Admin or editor of at least one active member organisation."""
    return works_for(user, active_member=True)


@rules.predicate
def is_active_member_admin(user: Any) -> bool:
    """Admin of at least one active member organisation."""
    return works_for(user, role=OrganisationStaff.Role.ADMIN, active_member=True)


@rules.predicate
def is_admin_of(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and works_for(
        user, organisation, role=OrganisationStaff.Role.ADMIN
    )


@rules.predicate
def is_staff_of(user: Any, obj: object) -> bool:
    """Staff of the organisation, or of the organisation ``obj`` belongs to."""
    return obj is not None and works_for(user, obj)


@rules.predicate
def is_active_staff_of(user: Any, obj: object) -> bool:
    """``is_staff_of``, while the organisation is an active member."""
    return obj is not None and works_for(user, obj, active_member=True)


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
