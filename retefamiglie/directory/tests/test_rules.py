"""Every permission of the catalogue, for every role, in every state of the
organisation that changes the answer.

``user.has_perm`` is what a view's permission check asks: Django lets an active
superuser through it always. ``rules.has_perm`` is the rule itself, which the
management views also ask; both are asserted.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from retefamiglie.core.testing import ROLES
from retefamiglie.network.models import Organisation
from retefamiglie.network.tests.factories import ProviderFactory

from .factories import EventFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"coordinator", "superuser"}
OWN_STAFF = {"org_editor", "org_admin"}


def assert_perm(people, role, permission, obj, allowed):
    user = people[role] or AnonymousUser()
    assert rules.has_perm(permission, user, obj) is (role in allowed), permission
    assert user.has_perm(permission, obj) is (role in allowed or role == "superuser")


def suspend(organisation):
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()


@pytest.mark.parametrize("role", ROLES)
def test_manage_listings(people, organisation, role):
    """Staff of any active member, and managers; a suspended member's staff not."""
    everyone_active = {"other_org_staff", *OWN_STAFF, *MANAGERS}
    assert_perm(people, role, "directory.manage_listings", None, everyone_active)
    suspend(organisation)
    assert_perm(
        people,
        role,
        "directory.manage_listings",
        None,
        {"other_org_staff", *MANAGERS},
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("factory", [ServiceFactory, EventFactory])
@pytest.mark.parametrize(
    "permission", ["directory.change_listing", "directory.view_bookings"]
)
def test_own_listings_while_the_member_is_active(
    people, organisation, role, factory, permission
):
    """Its own staff and managers; never another member's staff or a family."""
    listing = factory(organisation=organisation)
    assert_perm(people, role, permission, listing, OWN_STAFF | MANAGERS)
    suspend(organisation)
    listing.refresh_from_db()
    assert_perm(people, role, permission, listing, MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_a_providers_services_are_kept_by_managers(people, role):
    """A provider has no staff: coordinators change its services."""
    service = ServiceFactory(organisation=ProviderFactory())
    assert_perm(people, role, "directory.change_listing", service, MANAGERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "permission", ["directory.feature_listing", "directory.manage_categories"]
)
def test_network_wide_permissions(people, organisation, role, permission):
    listing = ServiceFactory(organisation=organisation)
    assert_perm(people, role, permission, None, MANAGERS)
    assert_perm(people, role, permission, listing, MANAGERS)
