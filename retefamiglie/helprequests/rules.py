"""Who may do what with help requests (privacy rules in DESIGN.md).

A family reaches its own request through its private link or its account;
organisation staff see only what was referred to their organisation, and nothing
once their organisation declined; coordinators see everything; municipal officers
see only anonymous aggregates.
"""

import rules
from django.contrib.auth.models import AnonymousUser

from retefamiglie.accounts.models import User
from retefamiglie.accounts.rules import is_municipal_officer, is_network_manager
from retefamiglie.network.rules import (
    is_organisation_staff,
    organisations_worked_for,
    works_for,
)

from .models import HelpRequest, Referral

VISIBLE_REFERRAL_STATUSES = (
    Referral.Status.PENDING,
    Referral.Status.ACCEPTED,
    Referral.Status.CLOSED,
    Referral.Status.CANCELLED,
)


def _referred_to_staff(
    user: User | AnonymousUser,
    help_request: HelpRequest | None,
    statuses: tuple[str, ...],
) -> bool:
    """A referral of the request in one of ``statuses`` went to an organisation
    the person works for (network.rules, the one "staff of" answer)."""
    if help_request is None or not user.is_authenticated:
        return False
    return help_request.referrals.filter(
        organisation_id__in=organisations_worked_for(user), status__in=statuses
    ).exists()


@rules.predicate
def is_owner(user: User | AnonymousUser, help_request: HelpRequest | None) -> bool:
    return bool(
        help_request is not None
        and user.is_authenticated
        and help_request.family_id == user.pk
    )


@rules.predicate
def is_referred_staff(
    user: User | AnonymousUser, help_request: HelpRequest | None
) -> bool:
    return _referred_to_staff(user, help_request, VISIBLE_REFERRAL_STATUSES)


@rules.predicate
def is_accepting_staff(
    user: User | AnonymousUser, help_request: HelpRequest | None
) -> bool:
    return _referred_to_staff(user, help_request, (Referral.Status.ACCEPTED,))


@rules.predicate
def is_open(user: User | AnonymousUser, help_request: HelpRequest | None) -> bool:
    return help_request is not None and help_request.is_open


@rules.predicate
def is_pending_referral_staff(
    user: User | AnonymousUser, referral: Referral | None
) -> bool:
    return (
        referral is not None
        and referral.status == Referral.Status.PENDING
        and referral.request.is_open
        and works_for(user, referral)
    )


rules.add_perm("helprequests.access_inbox", is_network_manager | is_organisation_staff)
rules.add_perm("helprequests.view_request", is_network_manager | is_referred_staff)
rules.add_perm("helprequests.view_own_request", is_owner)
rules.add_perm("helprequests.triage_request", is_network_manager & is_open)
rules.add_perm("helprequests.refer_request", is_network_manager & is_open)
rules.add_perm("helprequests.answer_referral", is_pending_referral_staff)
rules.add_perm(
    "helprequests.message_family",
    (is_network_manager | is_accepting_staff) & is_open,
)
rules.add_perm(
    "helprequests.close_request", (is_network_manager | is_accepting_staff) & is_open
)
rules.add_perm(
    "helprequests.add_note", (is_network_manager | is_referred_staff) & is_open
)
rules.add_perm("helprequests.view_access_log", is_network_manager)
rules.add_perm(
    "helprequests.view_statistics", is_network_manager | is_municipal_officer
)
rules.add_perm("helprequests.change_helpoffer", is_network_manager)
