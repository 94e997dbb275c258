"""The pact's permissions, as the views ask them (rules.has_perm: a superuser
is refused what nobody may do), for every role."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from conftest import ROLES
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
