"""The pact's permissions, as the views ask them (rules.has_perm: a superuser
is refused what nobody may do), for every role."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from retefamiglie.core.testing import ROLES
from retefamiglie.network.models import Organisation

from .factories import CommitmentFactory, PactVersionFactory

pytestmark = pytest.mark.django_db

HISTORY = {
    "anonymous": False,
    "family": False,
    "other_org_staff": False,
    "org_editor": True,
    "org_admin": True,
    "coordinator": True,
    "municipal_officer": True,
    "superuser": True,
}


@pytest.fixture
def commitment(organisation):
    return CommitmentFactory(
        organisation=organisation, version=PactVersionFactory(in_force=True)
    )


def person(people, role):
    return people[role] or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_history_of_a_commitment(people, commitment, role):
    """Its member and those who follow the pact; not the public, not others."""
    user = person(people, role)
    assert (
        rules.has_perm("pacts.view_commitment_history", user, commitment)
        is HISTORY[role]
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_a_commitment_in_each_state(people, commitment, role):
    user = person(people, role)
    may = role in {"org_editor", "org_admin", "coordinator", "superuser"}
    assert rules.has_perm("pacts.change_commitment", user, commitment) is may
    commitment.status = commitment.Status.DONE
    assert rules.has_perm("pacts.change_commitment", user, commitment) is False


@pytest.mark.parametrize("role", ROLES)
def test_a_suspended_member_adds_no_commitment(people, organisation, role):
    user = person(people, role)
    before = rules.has_perm("pacts.add_commitment", user)
    organisation.status = Organisation.Status.SUSPENDED
    organisation.save()
    after = rules.has_perm("pacts.add_commitment", user)
    if role in {"org_editor", "org_admin"}:
        assert (before, after) == (True, False)
    else:
        assert before == after


MANAGERS = {"coordinator", "superuser"}
STEPS = {
    # (from, to): who takes the step
    ("draft", "consultation"): ("pacts.open_consultation", MANAGERS),
    ("consultation", "draft"): ("pacts.return_version_to_draft", MANAGERS),
    # Only the municipality approves: not even a superuser.
    ("consultation", "approved"): ("pacts.approve_version", {"municipal_officer"}),
    ("approved", "in_force"): (
        "pacts.put_version_in_force",
        {"municipal_officer", *MANAGERS},
    ),
    ("in_force", "expired"): ("pacts.expire_version", MANAGERS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
def test_who_takes_each_step_of_a_version(people, role, step):
    """The permission says who; the steps offered on a version follow it."""
    from retefamiglie.pacts.services.versions import transitions_for

    permission, allowed = STEPS[step]
    user = person(people, role)
    assert rules.has_perm(permission, user) is (role in allowed)
    version = PactVersionFactory(status=step[0])
    offered = {t.target for t in transitions_for(version=version, user=user)}
    assert (step[1] in offered) is (role in allowed)
