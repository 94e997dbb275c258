"""Fixtures shared by every test: one person per role of the network."""

import pytest

from retefamiglie.accounts.tests.factories import (
    CoordinatorFactory,
    MunicipalOfficerFactory,
    SuperuserFactory,
    UserFactory,
)
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.tests.factories import OrganisationFactory, StaffFactory

ROLES = [
    "anonymous",
    "family",
    "other_org_staff",
    "org_editor",
    "org_admin",
    "coordinator",
    "municipal_officer",
    "superuser",
]


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Panathlon Club Lucca", slug="panathlon")


@pytest.fixture
def people(db, organisation):
    """One person for every role; staff roles refer to ``organisation``."""
    other = OrganisationFactory()
    return {
        "anonymous": None,
        "family": UserFactory(),
        "other_org_staff": StaffFactory(organisation=other).user,
        "org_editor": StaffFactory(
            organisation=organisation, role=OrganisationStaff.Role.EDITOR
        ).user,
        "org_admin": StaffFactory(
            organisation=organisation, role=OrganisationStaff.Role.ADMIN
        ).user,
        "coordinator": CoordinatorFactory(),
        "municipal_officer": MunicipalOfficerFactory(),
        "superuser": SuperuserFactory(),
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
