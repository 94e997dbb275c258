"""Every write of the exchange: joining, listings, the exchange flow, messages.

Preconditions are checked here, before any write (CONVENTIONS: check, then do);
views check the same permissions to decide what to show.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.core import ratelimit
from retefamiglie.core.images import process_photo
from retefamiglie.network.models import Area

from . import notices
from .models import (
    SIZED_CATEGORIES,
    Block,
    Conversation,
    ExchangeMember,
    Gratitude,
    Handover,
    Interest,
    Listing,
    Message,
    Photo,
)
from .rules import can_take_part
from .safety import forbidden_reasons

MAX_PHOTOS = 5


def simmer() -> timedelta:
    """How long a giver waits before choosing (Buy Nothing's "let it simmer")."""
    return timedelta(hours=settings.EXCHANGE_SIMMER_HOURS)


def lifetime() -> timedelta:
    return timedelta(days=settings.EXCHANGE_LISTING_DAYS)


def _require_part(actor: User) -> None:
    if not can_take_part(actor):
        raise PermissionDenied


def _blocked_between(first: User, second: User) -> bool:
    return Block.objects.filter(
        Q(blocker=first, blocked=second) | Q(blocker=second, blocked=first)
    ).exists()


# Joining -------------------------------------------------------------------


@transaction.atomic
def member_join(*, user: User, adult: bool, accept_terms: bool) -> ExchangeMember:
    """``user`` joins the exchange, confirming being 18 or over and its terms."""
    errors: dict[str, str] = {}
    if not adult:
        errors["adult"] = _("Only adults (18 or over) can take part in the exchange.")
    if not accept_terms:
        errors["accept_terms"] = _("Accept the terms of the exchange to take part.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    member, _created = ExchangeMember.objects.update_or_create(
        user=user,
        defaults={
            "adult_confirmed_at": now,
            "terms_version": settings.EXCHANGE_TERMS_VERSION,
            "terms_accepted_at": now,
        },
    )
    return member


# Listings ------------------------------------------------------------------


def _clean_listing(listing: Listing) -> None:
    errors: dict[str, Any] = {}
    reasons = forbidden_reasons(listing.title, listing.description)
    if reasons:
        errors["__all__"] = [str(reason) for reason in reasons]
    if listing.how == Listing.How.LEND:
        if listing.return_by is None:
            errors["return_by"] = _("Say by when the loan is to be returned.")
        elif listing.return_by <= timezone.localdate():
            errors["return_by"] = _("The return date must be after today.")
    if listing.category not in SIZED_CATEGORIES:
        listing.size = ""
    if listing.what != Listing.What.GOOD:
        listing.condition = ""
    elif not listing.condition and listing.kind == Listing.Kind.OFFER:
        errors["condition"] = _("Say in which condition the thing is.")
    if errors:
        raise ValidationError(errors)
    listing.full_clean()


@transaction.atomic
def listing_create(
    *,
    actor: User,
    kind: str,
    what: str,
    how: str,
    category: str,
    age_band: str,
    area: Area,
    title: str,
    description: str = "",
    size: str = "",
    condition: str = "",
    pickup_window: str = "",
    return_by: date | None = None,
    photos: Sequence[tuple[IO[bytes], str]] = (),
) -> Listing:
    """Publish a listing. Refused with the reason if it names a forbidden thing.
    Once committed, the people whose saved search it matches hear of it."""
    _require_part(actor)
    now = timezone.now()
    listing = Listing(
        owner=actor,
        kind=kind,
        what=what,
        how=how,
        category=category,
        age_band=age_band,
        area=area,
        title=title.strip(),
        description=description.strip(),
        size=size.strip(),
        condition=condition,
        pickup_window=pickup_window.strip(),
        return_by=return_by if how == Listing.How.LEND else None,
        published_at=now,
        expires_at=now + lifetime(),
    )
    _clean_listing(listing)
    listing.save()
    for upload, caption in photos:
        photo_add(actor=actor, listing=listing, upload=upload, description=caption)
    transaction.on_commit(partial(_announce, listing.pk))
    return listing


def _announce(pk: int) -> None:
    from .tasks import announce_listing

    announce_listing.enqueue(pk)


EDITABLE = (
    "category",
    "age_band",
    "area",
    "title",
    "description",
    "size",
    "condition",
    "pickup_window",
    "return_by",
)


@transaction.atomic
def listing_update(*, actor: User, listing: Listing, **changes: Any) -> Listing:
    if not actor.has_perm("exchange.change_listing", listing):
        raise PermissionDenied
    for field, value in changes.items():
        if field in EDITABLE:
            setattr(listing, field, value.strip() if isinstance(value, str) else value)
    _clean_listing(listing)
    listing.save()
    return listing


def _close_waiting(listing: Listing) -> None:
    """Families still waiting are told the listing went elsewhere or was withdrawn."""
    waiting = list(
        listing.interests.filter(status=Interest.Status.WAITING).select_related(
            "person"
        )
    )
    Interest.objects.filter(pk__in=[interest.pk for interest in waiting]).update(
        status=Interest.Status.NOT_CHOSEN
    )
    for interest in waiting:
        notices.notify(
            "not_chosen",
            to=interest.person,
            title=listing.title,
            path=listing.get_absolute_url(),
            about=listing,
        )


@transaction.atomic
def listing_withdraw(*, actor: User, listing: Listing) -> Listing:
    """The owner takes an open listing down; waiting families are told."""
    if not actor.has_perm("exchange.withdraw_listing", listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status not in (Listing.Status.AVAILABLE, Listing.Status.EXPIRED):
        raise ValidationError(_("Only an open listing can be withdrawn."))
    listing.status = Listing.Status.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    _close_waiting(listing)
    return listing


@transaction.atomic
def listing_renew(*, actor: User, listing: Listing) -> Listing:
    """Publish an expired (or soon expiring) listing again for another period."""
    if not actor.has_perm("exchange.renew_listing", listing):
        raise PermissionDenied
    now = timezone.now()
    listing.status = Listing.Status.AVAILABLE
    listing.published_at = now
    listing.expires_at = now + lifetime()
    listing.renewals += 1
    listing.save(
        update_fields=["status", "published_at", "expires_at", "renewals", "updated_at"]
    )
    return listing


def listings_expire(*, now: datetime | None = None) -> int:
    """Available listings past their expiry become expired; owners are told."""
    now = now or timezone.now()
    expired = 0
    for listing in Listing.objects.filter(
        status=Listing.Status.AVAILABLE, expires_at__lte=now
    ).select_related("owner"):
        with transaction.atomic():
            updated = Listing.objects.filter(
                pk=listing.pk, status=Listing.Status.AVAILABLE
            ).update(status=Listing.Status.EXPIRED, updated_at=now)
            if updated:
                expired += 1
                notices.notify(
                    "expiring",
                    to=listing.owner,
                    title=listing.title,
                    path=listing.get_absolute_url(),
                )
    return expired


@transaction.atomic
def photo_add(
    *, actor: User, listing: Listing, upload: IO[bytes], description: str
) -> Photo:
    """Add a photo: re-encoded without EXIF/GPS, resized, with a thumbnail."""
    if not actor.has_perm("exchange.change_listing", listing):
        raise PermissionDenied
    count = listing.photos.count()
    if count >= MAX_PHOTOS:
        raise ValidationError(
            _("A listing can have up to %(max)d photos.") % {"max": MAX_PHOTOS}
        )
    processed = process_photo(upload, stem=f"listing-{listing.pk}")
    photo = Photo(
        listing=listing,
        description=description.strip() or listing.title,
        width=processed.width,
        height=processed.height,
        position=count,
    )
    photo.image.save(processed.full.name or "photo.jpg", processed.full, save=False)
    photo.thumbnail.save(
        processed.thumbnail.name or "thumb.jpg", processed.thumbnail, save=False
    )
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, actor: User, photo: Photo) -> None:
    if not actor.has_perm("exchange.change_listing", photo.listing):
        raise PermissionDenied
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()


# The exchange --------------------------------------------------------------


@transaction.atomic
def interest_create(*, actor: User, listing: Listing, message: str = "") -> Interest:
    """``actor`` says "I'm interested" in an available listing of someone else."""
    _require_part(actor)
    if listing.owner_id == actor.pk:
        raise ValidationError(_("This is your own listing."))
    if not listing.is_open:
        raise ValidationError(_("This listing is no longer available."))
    if _blocked_between(actor, listing.owner):
        raise PermissionDenied
    interest, created = Interest.objects.get_or_create(
        listing=listing,
        person=actor,
        defaults={"message": message.strip()},
    )
    if not created:
        if interest.status != Interest.Status.WITHDRAWN:
            raise ValidationError(_("You have already said you are interested."))
        interest.status = Interest.Status.WAITING
        interest.message = message.strip()
        interest.created_at = timezone.now()
    interest.full_clean()
    interest.save()
    notices.notify(
        "interest",
        to=listing.owner,
        title=listing.title,
        path=listing.get_absolute_url(),
    )
    return interest


@transaction.atomic
def interest_withdraw(*, actor: User, interest: Interest) -> Interest:
    if interest.person_id != actor.pk or interest.status != Interest.Status.WAITING:
        raise PermissionDenied
    interest.status = Interest.Status.WITHDRAWN
    interest.save(update_fields=["status", "updated_at"])
    return interest


def simmer_ends_at(listing: Listing) -> datetime:
    return listing.published_at + simmer()


@transaction.atomic
def interest_choose(*, actor: User, interest: Interest) -> Handover:
    """The giver chooses ``interest``'s family; the listing becomes reserved.

    Preconditions: the actor owns the listing, the simmer period since
    publication is over, the listing is available and the interest waiting.
    The listing's row is locked (``select_for_update``, a no-op on SQLite,
    where writes are serialised anyway) so two choices at once cannot both
    reserve it; the partial unique constraints are the last line of defence.
    """
    listing = Listing.objects.select_for_update().get(pk=interest.listing_id)
    if listing.owner_id != actor.pk:
        raise PermissionDenied
    if timezone.now() < simmer_ends_at(listing):
        raise ValidationError(
            _("Let it simmer: you can choose from %(time)s, so everyone can answer.")
            % {"time": timezone.localtime(simmer_ends_at(listing)).strftime("%H:%M")}
        )
    if listing.status != Listing.Status.AVAILABLE:
        raise ValidationError(_("This listing is no longer available."))
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.status != Interest.Status.WAITING:
        raise ValidationError(_("This family is no longer waiting."))
    try:
        with transaction.atomic():
            interest.status = Interest.Status.CHOSEN
            interest.save(update_fields=["status", "updated_at"])
            handover = Handover.objects.create(
                listing=listing,
                interest=interest,
                giver=listing.owner
                if listing.kind == Listing.Kind.OFFER
                else interest.person,
                receiver=interest.person
                if listing.kind == Listing.Kind.OFFER
                else listing.owner,
                category=listing.category,
                age_band=listing.age_band,
                return_by=listing.return_by,
            )
    except IntegrityError as error:
        raise ValidationError(_("This listing is no longer available.")) from error
    listing.status = Listing.Status.RESERVED
    listing.save(update_fields=["status", "updated_at"])
    notices.notify(
        "chosen",
        to=interest.person,
        title=listing.title,
        path=listing.get_absolute_url(),
    )
    return handover


def _lock_handover(handover: Handover) -> Handover:
    return (
        Handover.objects.select_for_update()
        .select_related("listing")
        .get(pk=handover.pk)
    )


@transaction.atomic
def handover_confirm(*, actor: User, handover: Handover) -> Handover:
    """Giver or receiver confirms the handover; with both, it is done."""
    handover = _lock_handover(handover)
    if actor.pk not in (handover.giver_id, handover.receiver_id):
        raise PermissionDenied
    if handover.status != Handover.Status.RESERVED:
        raise ValidationError(_("This handover is not waiting for a confirmation."))
    now = timezone.now()
    if actor.pk == handover.giver_id:
        handover.giver_confirmed_at = handover.giver_confirmed_at or now
    else:
        handover.receiver_confirmed_at = handover.receiver_confirmed_at or now
    listing = handover.listing
    other = handover.receiver if actor.pk == handover.giver_id else handover.giver
    if handover.giver_confirmed_at and handover.receiver_confirmed_at:
        handover.status = Handover.Status.HANDED_OVER
        handover.handed_over_at = now
        listing.status = (
            Listing.Status.LENT if listing.is_loan else Listing.Status.CLOSED
        )
        listing.save(update_fields=["status", "updated_at"])
        _close_waiting(listing)
    handover.save()
    notices.notify(
        "handed_over", to=other, title=listing.title, path=listing.get_absolute_url()
    )
    return handover


@transaction.atomic
def handover_cancel(*, actor: User, handover: Handover) -> Handover:
    """Either side calls off a reservation; the listing is available again."""
    handover = _lock_handover(handover)
    if actor.pk not in (handover.giver_id, handover.receiver_id):
        raise PermissionDenied
    if handover.status != Handover.Status.RESERVED:
        raise ValidationError(_("Only a reservation can be called off."))
    handover.status = Handover.Status.CANCELLED
    handover.save(update_fields=["status", "updated_at"])
    Interest.objects.filter(pk=handover.interest_id).update(
        status=Interest.Status.WITHDRAWN
    )
    listing = handover.listing
    listing.status = Listing.Status.AVAILABLE
    listing.save(update_fields=["status", "updated_at"])
    return handover


@transaction.atomic
def return_confirm(*, actor: User, handover: Handover) -> Handover:
    """Each side confirms a loan came back; with both, the listing closes."""
    handover = _lock_handover(handover)
    if actor.pk not in (handover.giver_id, handover.receiver_id):
        raise PermissionDenied
    if handover.status != Handover.Status.HANDED_OVER or not handover.listing.is_loan:
        raise ValidationError(_("This is not a loan waiting to be returned."))
    now = timezone.now()
    if actor.pk == handover.giver_id:
        handover.giver_return_confirmed_at = handover.giver_return_confirmed_at or now
    else:
        handover.receiver_return_confirmed_at = (
            handover.receiver_return_confirmed_at or now
        )
    listing = handover.listing
    other = handover.receiver if actor.pk == handover.giver_id else handover.giver
    if handover.giver_return_confirmed_at and handover.receiver_return_confirmed_at:
        handover.status = Handover.Status.RETURNED
        handover.returned_at = now
        listing.status = Listing.Status.CLOSED
        listing.save(update_fields=["status", "updated_at"])
    handover.save()
    notices.notify(
        "returned", to=other, title=listing.title, path=listing.get_absolute_url()
    )
    return handover


def loans_remind(*, today: date | None = None) -> int:
    """Remind both sides before a loan's return date, and once when overdue."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=settings.EXCHANGE_LOAN_REMINDER_DAYS)
    sent = 0
    lent = Handover.objects.filter(
        status=Handover.Status.HANDED_OVER, return_by__isnull=False
    ).select_related("listing", "giver", "receiver")
    for handover in lent.filter(reminder_sent_at__isnull=True, return_by__lte=soon):
        for person in (handover.giver, handover.receiver):
            notices.notify(
                "loan_reminder",
                to=person,
                title=handover.listing.title,
                path=handover.listing.get_absolute_url(),
            )
        Handover.objects.filter(pk=handover.pk).update(reminder_sent_at=timezone.now())
        sent += 1
    for handover in lent.filter(
        overdue_notice_sent_at__isnull=True, return_by__lt=today
    ):
        for person in (handover.giver, handover.receiver):
            notices.notify(
                "loan_overdue",
                to=person,
                title=handover.listing.title,
                path=handover.listing.get_absolute_url(),
            )
        Handover.objects.filter(pk=handover.pk).update(
            overdue_notice_sent_at=timezone.now()
        )
        sent += 1
    return sent


@transaction.atomic
def gratitude_create(*, actor: User, handover: Handover, text: str) -> Gratitude:
    """The receiver thanks the giver in public, once the handover is done."""
    if actor.pk != handover.receiver_id:
        raise PermissionDenied
    if handover.status not in (Handover.Status.HANDED_OVER, Handover.Status.RETURNED):
        raise ValidationError(_("You can say thank you once the handover is done."))
    if Gratitude.objects.filter(handover=handover).exists():
        raise ValidationError(_("You have already said thank you."))
    reasons = forbidden_reasons(text)
    if reasons:
        raise ValidationError([str(reason) for reason in reasons])
    gratitude = Gratitude(handover=handover, text=text.strip())
    gratitude.full_clean()
    gratitude.save()
    return gratitude


# Messages ------------------------------------------------------------------


@transaction.atomic
def conversation_start(
    *, actor: User, listing: Listing, body: str, client: str = ""
) -> Conversation:
    """``actor`` writes to the owner of ``listing`` (or reopens their conversation).

    New conversations are limited per person per day (setting), against spam.
    """
    _require_part(actor)
    if listing.owner_id == actor.pk:
        raise ValidationError(_("This is your own listing."))
    if _blocked_between(actor, listing.owner):
        raise PermissionDenied
    conversation = Conversation.objects.filter(listing=listing, other=actor).first()
    if conversation is None:
        count = ratelimit.hit("exchange-conversation", str(actor.pk), window=24 * 3600)
        if count > settings.EXCHANGE_NEW_CONVERSATIONS_PER_DAY:
            raise ValidationError(
                _(
                    "You have started many conversations today: wait until tomorrow "
                    "or reply in the ones you have."
                )
            )
        conversation = Conversation.objects.create(
            listing=listing, owner=listing.owner, other=actor
        )
    message_send(actor=actor, conversation=conversation, body=body)
    return conversation


@transaction.atomic
def message_send(*, actor: User, conversation: Conversation, body: str) -> Message:
    if not conversation.has(actor):
        raise PermissionDenied
    _require_part(actor)
    other = conversation.counterpart(actor)
    if _blocked_between(actor, other):
        raise PermissionDenied
    if ratelimit.hit("exchange-message", str(actor.pk), window=3600) > (
        settings.EXCHANGE_MESSAGES_PER_HOUR
    ):
        raise ValidationError(_("Too many messages in an hour: wait a little."))
    message = Message(conversation=conversation, sender=actor, body=body.strip())
    message.full_clean()
    message.save()
    now = message.created_at
    read_field = (
        "owner_read_at" if actor.pk == conversation.owner_id else "other_read_at"
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now, **{read_field: now}
    )
    notices.notify(
        "message",
        to=other,
        title=conversation.listing.title,
        path=conversation.get_absolute_url(),
    )
    return message


def conversation_mark_read(*, actor: User, conversation: Conversation) -> None:
    if not conversation.has(actor):
        raise PermissionDenied
    field = "owner_read_at" if actor.pk == conversation.owner_id else "other_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field: timezone.now()})


@transaction.atomic
def block_create(*, actor: User, blocked: User) -> Block:
    if not actor.is_authenticated or blocked.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, _created = Block.objects.get_or_create(blocker=actor, blocked=blocked)
    return block


@transaction.atomic
def block_remove(*, actor: User, blocked: User) -> None:
    Block.objects.filter(blocker=actor, blocked=blocked).delete()


# Personal data -------------------------------------------------------------


@transaction.atomic
def person_erase(*, user: User) -> None:
    """Before an account is anonymised (ADR 4): open listings go, texts are erased.

    Closed exchanges keep what, when and the age band (the handover row and the
    listing's category), so the network's figures do not change.
    """
    for photo in Photo.objects.filter(listing__owner=user):
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
    Photo.objects.filter(listing__owner=user).delete()
    Listing.objects.filter(owner=user).exclude(
        handovers__status__in=[Handover.Status.HANDED_OVER, Handover.Status.RETURNED]
    ).delete()
    Listing.objects.filter(owner=user).update(
        title="—",
        description="",
        pickup_window="",
        size="",
        updated_at=timezone.now(),  # the cards kept in the cache (ADR 30)
    )
    Message.objects.filter(sender=user).update(body="")
    Interest.objects.filter(person=user, status=Interest.Status.WAITING).delete()
    Interest.objects.filter(person=user).update(message="")
    Gratitude.objects.filter(handover__receiver=user).update(text="")
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    ExchangeMember.objects.filter(user=user).delete()
