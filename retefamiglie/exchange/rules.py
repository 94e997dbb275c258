"""Who may do what in the exchange.

Taking part (posting, answering, writing) needs a verified e-mail address, the
exchange's terms accepted as an adult, and no suspension from the exchange.
Hidden listings (moderation) are seen only by their owner and coordinators.
"""

from datetime import timedelta
from typing import Any

import rules
from allauth.account.models import EmailAddress
from django.utils import timezone

from retefamiglie.accounts.rules import is_network_manager
from retefamiglie.moderation.selectors import active_suspension, is_hidden

from .models import Block, Conversation, ExchangeMember, Listing

SCOPE = "exchange"
PUBLIC_STATUSES = (
    Listing.Status.AVAILABLE,
    Listing.Status.RESERVED,
    Listing.Status.LENT,
    Listing.Status.CLOSED,
)
RENEWABLE_WITHIN_DAYS = 7


@rules.predicate
def is_member(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return ExchangeMember.objects.filter(user=user).exists()


@rules.predicate
def has_verified_email(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@rules.predicate
def is_suspended(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return active_suspension(person=user, scope=SCOPE) is not None


can_take_part = (
    rules.is_authenticated & rules.is_active & has_verified_email & is_member
) & ~is_suspended


@rules.predicate
def is_owner(user: Any, listing: Listing | None) -> bool:
    return bool(
        listing is not None and user.is_authenticated and listing.owner_id == user.pk
    )


@rules.predicate
def is_public(user: Any, listing: Listing | None) -> bool:
    return (
        listing is not None
        and listing.status in PUBLIC_STATUSES
        and not is_hidden(target=listing)
    )


@rules.predicate
def is_blocked_with_owner(user: Any, listing: Listing | None) -> bool:
    if listing is None or not user.is_authenticated:
        return False
    return Block.objects.filter(
        blocker_id__in=(user.pk, listing.owner_id),
        blocked_id__in=(user.pk, listing.owner_id),
    ).exists()


@rules.predicate
def is_available(user: Any, listing: Listing | None) -> bool:
    return listing is not None and listing.status == Listing.Status.AVAILABLE


@rules.predicate
def is_editable(user: Any, listing: Listing | None) -> bool:
    return listing is not None and listing.status in (
        Listing.Status.AVAILABLE,
        Listing.Status.EXPIRED,
    )


@rules.predicate
def is_renewable(user: Any, listing: Listing | None) -> bool:
    if listing is None:
        return False
    if listing.status == Listing.Status.EXPIRED:
        return True
    soon = timezone.now() + timedelta(days=RENEWABLE_WITHIN_DAYS)
    return listing.status == Listing.Status.AVAILABLE and listing.expires_at <= soon


@rules.predicate
def is_participant(user: Any, conversation: Conversation | None) -> bool:
    return bool(
        conversation is not None and user.is_authenticated and conversation.has(user)
    )


rules.add_perm("exchange.take_part", can_take_part)
rules.add_perm("exchange.add_listing", can_take_part)
rules.add_perm(
    "exchange.view_listing",
    is_owner | is_network_manager | (is_public & ~is_blocked_with_owner),
)
rules.add_perm("exchange.change_listing", is_owner & is_editable)
rules.add_perm("exchange.withdraw_listing", is_owner & is_editable)
rules.add_perm("exchange.renew_listing", is_owner & is_renewable & ~is_suspended)
rules.add_perm(
    "exchange.express_interest",
    can_take_part & ~is_owner & is_available & is_public & ~is_blocked_with_owner,
)
rules.add_perm(
    "exchange.write_to_owner",
    can_take_part & ~is_owner & is_public & ~is_blocked_with_owner,
)
rules.add_perm("exchange.view_conversation", is_participant)
rules.add_perm("exchange.view_figures", is_network_manager)
