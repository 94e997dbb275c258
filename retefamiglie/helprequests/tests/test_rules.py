"""Every permission on help requests, for every role, in every state that
changes the answer (privacy rules in DESIGN.md).

``user.has_perm`` is what a view's permission check asks: Django lets an active
superuser through it always. ``rules.has_perm`` is the rule itself, which the
staff views also ask so that a superuser does nothing the rule forbids; both are
asserted.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from retefamiglie.core.testing import ROLES
from retefamiglie.helprequests.models import HelpRequest, Referral
from retefamiglie.network.models import Organisation

from .factories import HelpRequestFactory, ReferralFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"coordinator", "superuser"}
OWN_STAFF = {"org_editor", "org_admin"}
ACTIVE_STAFF = {"other_org_staff", *OWN_STAFF}
NOBODY: set[str] = set()


def as_user(people, role):
    return people[role] or AnonymousUser()


def assert_perm(people, role, permission, obj, allowed):
    user = as_user(people, role)
    assert rules.has_perm(permission, user, obj) is (role in allowed), permission
    # A view's permission check: a superuser passes every one.
    assert user.has_perm(permission, obj) is (role in allowed or role == "superuser")


def referral_to(organisation, status=Referral.Status.PENDING, **request):
    return ReferralFactory(
        organisation=organisation,
        status=status,
        request=HelpRequestFactory(status=HelpRequest.Status.REFERRED, **request),
    )


def closed(help_request):
    """The request as it is once closed (in memory: the rules read its status)."""
    help_request.status = HelpRequest.Status.CLOSED
    return help_request


@pytest.mark.parametrize("role", ROLES)
def test_access_inbox(people, organisation, role):
    """Staff of active members and managers; not once the member is suspended."""
    assert_perm(
        people, role, "helprequests.access_inbox", None, ACTIVE_STAFF | MANAGERS
    )
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()
    assert_perm(
        people, role, "helprequests.access_inbox", None, {"other_org_staff", *MANAGERS}
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("status", "staff_sees"),
    [
        (Referral.Status.PENDING, True),
        (Referral.Status.ACCEPTED, True),
        (Referral.Status.CLOSED, True),
        (Referral.Status.CANCELLED, True),
        (Referral.Status.DECLINED, False),
    ],
)
def test_view_request(people, organisation, role, status, staff_sees):
    """Staff of the organisation it was referred to, unless it declined."""
    help_request = referral_to(organisation, status).request
    allowed = (OWN_STAFF if staff_sees else NOBODY) | MANAGERS
    assert_perm(people, role, "helprequests.view_request", help_request, allowed)
    # Closing the request hides nothing from those who worked on it.
    assert_perm(
        people, role, "helprequests.view_request", closed(help_request), allowed
    )


@pytest.mark.parametrize("role", ROLES)
def test_view_own_request(people, role):
    """Only the family who sent it; another family, staff, managers never."""
    own = HelpRequestFactory(family=people["family"])
    assert_perm(people, role, "helprequests.view_own_request", own, {"family"})
    someone_elses = HelpRequestFactory(family=people["org_editor"])
    assert_perm(
        people, role, "helprequests.view_own_request", someone_elses, {"org_editor"}
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "permission", ["helprequests.triage_request", "helprequests.refer_request"]
)
def test_triage_and_refer_while_open(people, role, permission):
    help_request = HelpRequestFactory()
    assert_perm(people, role, permission, help_request, MANAGERS)
    assert_perm(people, role, permission, closed(help_request), NOBODY)


@pytest.mark.parametrize("role", ROLES)
def test_answer_referral(people, organisation, role):
    """Staff of the organisation answer a pending referral of an open request."""
    pending = referral_to(organisation)
    assert_perm(people, role, "helprequests.answer_referral", pending, OWN_STAFF)
    answered = referral_to(organisation, Referral.Status.ACCEPTED)
    assert_perm(people, role, "helprequests.answer_referral", answered, NOBODY)
    closed(pending.request)
    assert_perm(people, role, "helprequests.answer_referral", pending, NOBODY)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "permission", ["helprequests.message_family", "helprequests.close_request"]
)
def test_message_and_close_by_the_accepting_organisation(
    people, organisation, role, permission
):
    accepted = referral_to(organisation, Referral.Status.ACCEPTED).request
    assert_perm(people, role, permission, accepted, OWN_STAFF | MANAGERS)
    pending = referral_to(organisation).request
    assert_perm(people, role, permission, pending, MANAGERS)
    assert_perm(people, role, permission, closed(accepted), NOBODY)


@pytest.mark.parametrize("role", ROLES)
def test_add_note(people, organisation, role):
    pending = referral_to(organisation).request
    assert_perm(people, role, "helprequests.add_note", pending, OWN_STAFF | MANAGERS)
    declined = referral_to(
        organisation, Referral.Status.DECLINED, contact_email="other@example.org"
    ).request
    assert_perm(people, role, "helprequests.add_note", declined, MANAGERS)
    assert_perm(people, role, "helprequests.add_note", closed(pending), NOBODY)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        ("helprequests.view_access_log", MANAGERS),
        ("helprequests.change_helpoffer", MANAGERS),
        ("helprequests.view_statistics", {"municipal_officer", *MANAGERS}),
    ],
)
def test_network_wide_permissions(people, role, permission, allowed):
    assert_perm(people, role, permission, None, allowed)
