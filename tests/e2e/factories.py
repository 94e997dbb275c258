"""People of each role for the browser tests, made with the apps' own factories."""

from retefamiglie.accounts.models import User
from retefamiglie.accounts.tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    MunicipalOfficerFactory,
    SuperuserFactory,
    UserFactory,
)
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.tests.factories import OrganisationFactory, StaffFactory

__all__ = ["PASSWORD", "ROLES", "OrganisationFactory", "UserFactory", "user_with_role"]

ROLES = ("family", "org_staff", "coordinator", "municipal_officer", "superuser")


def user_with_role(role: str, **user_fields) -> User:
    """A person who holds ``role``, with a verified e-mail address and ``PASSWORD``.

    ``org_staff`` is the administrator of a new active member organisation.
    """
    if role == "family":
        return UserFactory(**user_fields)
    if role == "org_staff":
        return StaffFactory(
            user=UserFactory(**user_fields), role=OrganisationStaff.Role.ADMIN
        ).user
    if role == "coordinator":
        return CoordinatorFactory(**user_fields)
    if role == "municipal_officer":
        return MunicipalOfficerFactory(**user_fields)
    if role == "superuser":
        return SuperuserFactory(**user_fields)
    raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
