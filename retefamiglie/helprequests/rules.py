"""Who may do what with help requests (privacy rules in DESIGN.md).

A family reaches its own request through its private link or its account;
organisation staff see only what was referred to their organisation, and nothing
once their organisation declined; coordinators see everything; municipal officers
see only anonymous aggregates.
"""

import rules

from retefamiglie.accounts.rules import is_municipal_officer, is_network_manager
from retefamiglie.network.models import OrganisationStaff
from retefamiglie.network.rules import is_organisation_staff

from .models import HelpRequest, Referral

VISIBLE_REFERRAL_STATUSES = (
    Referral.Status.PENDING,
    Referral.Status.ACCEPTED,
    Referral.Status.CLOSED,
    Referral.Status.CANCELLED,
)


def _staff_org_ids(user) -> list[int]:
    return list(
        OrganisationStaff.objects.filter(user=user).values_list(
            "organisation_id", flat=True
        )
    )


@rules.predicate
def is_owner(user, help_request: HelpRequest | None) -> bool:
    return bool(
        help_request is not None
        and user.is_authenticated
        and help_request.family_id == user.pk
    )


@rules.predicate
def is_referred_staff(user, help_request: HelpRequest | None) -> bool:
    if help_request is None or not user.is_authenticated:
        return False
    return help_request.referrals.filter(
        organisation__staff__user=user, status__in=VISIBLE_REFERRAL_STATUSES
    ).exists()


@rules.predicate
def is_accepting_staff(user, help_request: HelpRequest | None) -> bool:
    if help_request is None or not user.is_authenticated:
        return False
    return help_request.referrals.filter(
        organisation__staff__user=user, status=Referral.Status.ACCEPTED
    ).exists()


@rules.predicate
def is_open(user, help_request: HelpRequest | None) -> bool:
    return help_request is not None and help_request.is_open


@rules.predicate
def is_pending_referral_staff(user, referral: Referral | None) -> bool:
    if referral is None or not user.is_authenticated:
        return False
    return (
        referral.status == Referral.Status.PENDING
        and referral.request.is_open
        and referral.organisation_id in _staff_org_ids(user)
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
