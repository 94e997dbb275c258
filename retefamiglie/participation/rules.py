"""Who may do what in the participatory process.

Reading is public. Taking part (proposals, comments, supports) needs an account
and a phase that allows it; running the process belongs to coordinators, with
member staff proposing meetings and updating the actions they own.
"""

from typing import Any

import rules
from django.utils import timezone

from retefamiglie.accounts.rules import is_coordinator
from retefamiglie.network.rules import is_organisation_staff, is_staff_of

from .models import Action, Meeting, Phase, Process, Proposal

is_manager = is_coordinator | rules.is_superuser


def current_phase(process: Process | None) -> Phase | None:
    """The phase whose dates include today (the first, if two overlap)."""
    if process is None:
        return None
    today = timezone.localdate()
    phases = getattr(process, "_prefetched_objects_cache", {}).get("phases")
    candidates = phases if phases is not None else process.phases.all()
    for phase in candidates:
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


def _process_of(obj: Any) -> Process | None:
    if isinstance(obj, Process):
        return obj
    return getattr(obj, "process", None)


@rules.predicate
def proposals_open(user: Any, obj: Any) -> bool:
    phase = current_phase(_process_of(obj))
    return phase is not None and phase.proposals_open


@rules.predicate
def supports_open(user: Any, obj: Any) -> bool:
    phase = current_phase(_process_of(obj))
    return phase is not None and phase.supports_open


@rules.predicate
def comments_open(user: Any, obj: Any) -> bool:
    phase = current_phase(_process_of(obj))
    return phase is not None and phase.comments_open


@rules.predicate
def is_author(user: Any, proposal: Proposal | None) -> bool:
    return (
        proposal is not None and user.is_authenticated and proposal.author_id == user.pk
    )


@rules.predicate
def is_open_proposal(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.is_open and not proposal.hidden


@rules.predicate
def is_commentable(user: Any, proposal: Proposal | None) -> bool:
    return (
        proposal is not None
        and not proposal.hidden
        and proposal.state not in {Proposal.State.WITHDRAWN, Proposal.State.MERGED}
    )


@rules.predicate
def has_no_supports(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.supports_count == 0


@rules.predicate
def is_meeting_organiser(user: Any, meeting: Meeting | None) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    return meeting.proposed_by_id == user.pk or bool(
        is_staff_of(user, meeting.organiser)
    )


@rules.predicate
def is_action_owner(user: Any, action: Action | None) -> bool:
    return action is not None and bool(is_staff_of(user, action.owner))


@rules.predicate
def is_past_meeting(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.starts_at <= timezone.now()


@rules.predicate
def is_published_meeting(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status == Meeting.Status.PUBLISHED


rules.add_perm("participation.access_management", is_manager | is_organisation_staff)
rules.add_perm("participation.manage_process", is_manager)
rules.add_perm("participation.propose_meeting", is_manager | is_organisation_staff)
rules.add_perm("participation.publish_meeting", is_manager)
rules.add_perm("participation.change_meeting", is_manager | is_meeting_organiser)
rules.add_perm(
    "participation.record_attendance",
    (is_manager | is_meeting_organiser) & is_published_meeting & is_past_meeting,
)
rules.add_perm("participation.add_proposal", rules.is_authenticated & proposals_open)
rules.add_perm(
    "participation.change_proposal",
    is_author & is_open_proposal & has_no_supports & proposals_open,
)
rules.add_perm("participation.withdraw_proposal", is_author & is_open_proposal)
rules.add_perm(
    "participation.support_proposal",
    rules.is_authenticated & ~is_author & is_open_proposal & supports_open,
)
rules.add_perm(
    "participation.comment_proposal",
    rules.is_authenticated & is_commentable & comments_open,
)
rules.add_perm("participation.answer_proposal", is_manager)
rules.add_perm("participation.merge_proposal", is_manager & is_open_proposal)
rules.add_perm("participation.manage_objectives", is_manager)
rules.add_perm("participation.update_action", is_manager | is_action_owner)
