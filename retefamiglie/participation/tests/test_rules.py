"""Every permission of participation, for every role, in every phase and state.

Checked through ``rules.has_perm``, as the views do: a superuser passes every
``User.has_perm``, but the process's own rules (phase closed, proposal
answered) hold for everyone.
"""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from retefamiglie.core.testing import ROLES
from retefamiglie.participation.models import Meeting, Proposal

from .factories import (
    ActionFactory,
    MeetingFactory,
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
    today,
)

MANAGERS = {"coordinator", "superuser"}
STAFF = {"org_editor", "org_admin", "other_org_staff"}
OWN_STAFF = {"org_editor", "org_admin"}


def allowed(people, perm, obj=None):
    """The roles that have ``perm`` on ``obj``."""
    return {
        role
        for role in ROLES
        if rules.has_perm(perm, people[role] or AnonymousUser(), obj)
    }


@pytest.fixture
def process(db):
    return ProcessFactory()


def _proposal(process, state, **kwargs):
    if state == Proposal.State.MERGED:
        kwargs["merged_into"] = ProposalFactory(process=process)
    return ProposalFactory(process=process, state=state, answer="Perché sì.", **kwargs)


def _phase(process, **flags):
    defaults = {
        "proposals_open": False,
        "supports_open": False,
        "comments_open": False,
        "meetings_open": False,
    }
    return PhaseFactory(process=process, **(defaults | flags))


def test_management_is_for_coordinators_and_member_staff(people):
    assert allowed(people, "participation.access_management") == MANAGERS | STAFF
    assert allowed(people, "participation.propose_meeting") == MANAGERS | STAFF
    assert allowed(people, "participation.publish_meeting") == MANAGERS
    assert allowed(people, "participation.manage_process") == MANAGERS
    assert allowed(people, "participation.manage_objectives") == MANAGERS
    assert allowed(people, "participation.answer_proposal") == MANAGERS


@pytest.mark.parametrize("open_", [True, False])
def test_proposals_need_an_account_and_an_open_phase(people, process, open_):
    _phase(process, proposals_open=open_)
    expected = set(ROLES) - {"anonymous"} if open_ else set()
    assert allowed(people, "participation.add_proposal", process) == expected


def test_no_proposal_outside_every_phase(people, process):
    PhaseFactory(
        process=process,
        starts_on=today() - datetime.timedelta(days=30),
        ends_on=today() - datetime.timedelta(days=1),
    )
    assert allowed(people, "participation.add_proposal", process) == set()


@pytest.mark.parametrize("state", Proposal.State.values)
@pytest.mark.parametrize("open_", [True, False])
def test_support_and_comment(people, process, state, open_):
    _phase(process, supports_open=open_, comments_open=open_)
    proposal = _proposal(process, state)
    logged_in = set(ROLES) - {"anonymous"}
    is_open = state in {"published", "evaluating"}
    commentable = state not in {"withdrawn", "merged"}
    assert allowed(people, "participation.support_proposal", proposal) == (
        logged_in if is_open and open_ else set()
    )
    assert allowed(people, "participation.comment_proposal", proposal) == (
        logged_in if commentable and open_ else set()
    )
    assert allowed(people, "participation.merge_proposal", proposal) == (
        MANAGERS if is_open else set()
    )


def test_the_author_cannot_support_their_own_proposal(people, process):
    _phase(process, supports_open=True)
    proposal = ProposalFactory(process=process, author=people["family"])
    assert "family" not in allowed(people, "participation.support_proposal", proposal)


@pytest.mark.parametrize("state", Proposal.State.values)
@pytest.mark.parametrize("open_", [True, False])
def test_only_the_author_edits_and_withdraws(people, process, state, open_):
    _phase(process, proposals_open=open_)
    proposal = _proposal(process, state, author=people["family"])
    is_open = state in {"published", "evaluating"}
    assert allowed(people, "participation.change_proposal", proposal) == (
        {"family"} if is_open and open_ else set()
    )
    assert allowed(people, "participation.withdraw_proposal", proposal) == (
        {"family"} if is_open else set()
    )


def test_a_supported_proposal_cannot_be_edited(people, process):
    _phase(process, proposals_open=True)
    proposal = ProposalFactory(process=process, author=people["family"])
    proposal.supports_count = 1
    assert allowed(people, "participation.change_proposal", proposal) == set()
    assert allowed(people, "participation.withdraw_proposal", proposal) == {"family"}


def test_a_hidden_proposal_takes_no_support_nor_comment(people, process):
    _phase(process, supports_open=True, comments_open=True)
    proposal = ProposalFactory(process=process)
    proposal._hidden = True  # what moderation says, read by Proposal.hidden
    assert allowed(people, "participation.support_proposal", proposal) == set()
    assert allowed(people, "participation.comment_proposal", proposal) == set()


@pytest.mark.parametrize("status", Meeting.Status.values)
@pytest.mark.parametrize("past", [True, False])
def test_meetings(people, organisation, status, past):
    starts = timezone.now() + datetime.timedelta(days=-2 if past else 2)
    meeting = MeetingFactory(
        organiser=organisation,
        status=status,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    may_change = MANAGERS | OWN_STAFF
    assert allowed(people, "participation.change_meeting", meeting) == may_change
    assert allowed(people, "participation.record_attendance", meeting) == (
        may_change if past and status == "published" else set()
    )


def test_the_person_who_proposed_a_meeting_may_change_it(people):
    meeting = MeetingFactory(proposed_by=people["other_org_staff"])
    assert "other_org_staff" in allowed(people, "participation.change_meeting", meeting)


def test_actions_are_updated_by_their_owner_and_coordinators(people, organisation):
    action = ActionFactory(owner=organisation)
    assert allowed(people, "participation.update_action", action) == (
        MANAGERS | OWN_STAFF
    )
