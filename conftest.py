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
def _default_language():
    """Each test starts in the site's default language (Italian).

    The test client leaves the language of its last request active in the
    thread; without this, a test would see the language of the one before it.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
