import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from retefamiglie.accounts.models import User
from retefamiglie.accounts.rules import is_coordinator, is_municipal_officer

from .models import Organisation, OrganisationStaff


def organisation_id_of(obj: object) -> int | None:
    """The organisation an object belongs to: itself, or its ``organisation``."""
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def _staff_rows(
    user: User, *, role: str | None, active_member: bool
) -> QuerySet[OrganisationStaff]:
    staff = OrganisationStaff.objects.filter(user=user)
    if role is not None:
        staff = staff.filter(role=role)
    if active_member:
        staff = staff.filter(organisation__status=Organisation.Status.ACTIVE)
    return staff


def works_for(
    user: User | AnonymousUser,
    obj: object = None,
    *,
    role: str | None = None,
    active_member: bool = False,
) -> bool:
    """The one answer to "is this person staff of this organisation?".

    ``obj`` is an organisation or anything with an ``organisation`` (a service,
    a commitment, a report, a referral); without it, any organisation. ``role``
    asks for that role only (admin); ``active_member`` only for members of the
    network in good standing (not applicants, suspended members or mere
    providers).
    """
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    staff = _staff_rows(user, role=role, active_member=active_member)
    if obj is not None:
        organisation_id = organisation_id_of(obj)
        if organisation_id is None:
            return False
        staff = staff.filter(organisation_id=organisation_id)
    return staff.exists()


def organisations_worked_for(
    user: User | AnonymousUser,
    *,
    role: str | None = None,
    active_member: bool = False,
) -> QuerySet[OrganisationStaff, int]:
    """The ids of the organisations ``works_for`` answers yes for, as a subquery
    (``organisation_id__in=…``) for rules that ask about many objects at once."""
    if not isinstance(user, User) or not user.is_authenticated:
        return OrganisationStaff.objects.none().values_list(
            "organisation_id", flat=True
        )
    return _staff_rows(user, role=role, active_member=active_member).values_list(
        "organisation_id", flat=True
    )


@rules.predicate
def is_organisation_staff(user: User | AnonymousUser) -> bool:
    """Admin or editor of at least one active member organisation."""
    return works_for(user, active_member=True)


@rules.predicate
def is_active_member_admin(user: User | AnonymousUser) -> bool:
    """Admin of at least one active member organisation."""
    return works_for(user, role=OrganisationStaff.Role.ADMIN, active_member=True)


@rules.predicate
def is_admin_of(user: User | AnonymousUser, organisation: Organisation | None) -> bool:
    return organisation is not None and works_for(
        user, organisation, role=OrganisationStaff.Role.ADMIN
    )


@rules.predicate
def is_staff_of(user: User | AnonymousUser, obj: object) -> bool:
    """Staff of the organisation, or of the organisation ``obj`` belongs to."""
    return obj is not None and works_for(user, obj)


@rules.predicate
def is_active_staff_of(user: User | AnonymousUser, obj: object) -> bool:
    """``is_staff_of``, while the organisation is an active member."""
    return obj is not None and works_for(user, obj, active_member=True)


# The roles on the user first: only someone without one costs a query (the header's
# link to the staff area is checked on every page, ADR 0029).
can_enter_staff_area = (
    is_coordinator | is_municipal_officer | rules.is_superuser | is_organisation_staff
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
def is_active_organisation(
    user: User | AnonymousUser, organisation: Organisation | None
) -> bool:
    return (
        organisation is not None and organisation.status == Organisation.Status.ACTIVE
    )


rules.add_perm(
    "network.manage_staff", is_admin_of | is_coordinator | rules.is_superuser
)
# Leaving binds the member: only its own administrators decide it.
rules.add_perm("network.leave_network", is_admin_of & is_active_organisation)
