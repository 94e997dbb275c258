"""Generic booking rules: seats, e-mail confirmation, cancellation, promotion
from the waiting list, reminders (ADR 14).

A capability describes what is booked with a ``Slot``: its capacity, its
bookings and how to lock it. Seats are counted only under that lock, so two
people confirming at the same moment never take the same last seat. A booking
takes seats once it is confirmed by e-mail; with no seats left it joins the
waiting list, and a cancellation promotes the next waiting bookings that fit.

E-mails are the capability's own: it passes a ``Notify`` callable, called with a
kind (``"confirm_link"``, ``"confirmed"``, ``"waiting"``, ``"cancelled"``,
``"promoted"``, ``"reminder"``) and the booking, after the transaction commits.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User, Visitor
from retefamiglie.core.vocabularies import AgeBand

from .models import BookingBase, BookingStatus

Status = BookingStatus


class Notify(Protocol):
    def __call__(self, kind: str, booking: Any, /) -> None: ...


@dataclass(frozen=True)
class Slot:
    """What is booked: the bookings that share its seats and how to lock it.

    ``lock`` must lock a row every booking of the slot depends on (the event's,
    the meeting's) until the transaction ends and return the capacity read
    under that lock (``None``: no limit).
    """

    bookings: "models.QuerySet[Any]"
    lock: Callable[[], int | None]


def city_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def seats_taken(bookings: "models.QuerySet[Any]") -> int:
    confirmed = bookings.filter(status=Status.CONFIRMED).only("adults", "children")
    return sum(booking.seats for booking in confirmed)


def fits(capacity: int | None, booking: BookingBase, taken: int) -> bool:
    return capacity is None or taken + booking.seats <= capacity


def validate_children(children: dict[str, Any]) -> dict[str, int]:
    clean = {}
    for band, count in children.items():
        if band not in AgeBand.values:
            raise ValidationError(_("Unknown age band: %(band)s") % {"band": band})
        if int(count) < 0:
            raise ValidationError(_("A number of children cannot be negative."))
        if int(count):
            clean[band] = int(count)
    return clean


def has_verified_email(user: Visitor | None, email: str) -> bool:
    return bool(
        isinstance(user, User)
        and EmailAddress.objects.filter(
            user=user, email__iexact=email, verified=True
        ).exists()
    )


def fill[B: BookingBase](
    booking: B, *, data: dict[str, Any], user: Visitor | None, capacity: int | None
) -> B:
    """Copy the validated form data onto a new booking and check its seats."""
    booking.user = user if isinstance(user, User) else None
    booking.name = data["name"]
    booking.email = data["email"]
    booking.adults = data.get("adults") or 0
    booking.children = validate_children(data.get("children", {}))
    booking.needs_childcare = data.get("needs_childcare", False)
    booking.accessibility_needs = data.get("accessibility_needs", "")
    booking.interpreter_language = data.get("interpreter_language", "")
    if booking.seats < 1:
        raise ValidationError(_("Book at least one seat, for an adult or a child."))
    if capacity is not None and booking.seats > capacity:
        raise ValidationError(
            _("This event has %(capacity)d seats: book at most %(capacity)d.")
            % {"capacity": capacity}
        )
    return booking


def create[B: BookingBase](
    booking: B, *, slot: Slot, user: Visitor | None, notify: Notify
) -> B:
    """Save a filled booking: confirmed at once for a person logged in with
    that verified address, otherwise waiting for the link in the e-mail.

    Precondition: inside a transaction; the booking was ``fill``-ed.
    """
    booking.full_clean()
    booking.save()
    if has_verified_email(user, booking.email):
        return confirm(booking, slot=slot, notify=notify)
    transaction.on_commit(partial(notify, "confirm_link", booking))
    return booking


def confirm[B: BookingBase](booking: B, *, slot: Slot, notify: Notify) -> B:
    """Take the seats, or join the waiting list; a second call changes nothing.

    Precondition: inside a transaction.
    """
    capacity = slot.lock()
    booking.refresh_from_db()
    if booking.status != Status.UNCONFIRMED:
        return booking
    taken = seats_taken(slot.bookings)
    booking.status = (
        Status.CONFIRMED if fits(capacity, booking, taken) else Status.WAITING
    )
    booking.confirmed_at = timezone.now()
    booking.full_clean()
    booking.save()
    transaction.on_commit(partial(notify, str(booking.status), booking))
    return booking


def cancel[B: BookingBase](
    booking: B, *, slot: Slot, starts_at: datetime, notify: Notify
) -> B:
    """Cancel; the seats go to the next waiting bookings that fit.

    Precondition: inside a transaction. Cancelling a cancelled booking changes
    nothing; a booking whose slot has started cannot be cancelled.
    """
    capacity = slot.lock()
    booking.refresh_from_db()
    if booking.status == Status.CANCELLED:
        return booking
    if starts_at <= timezone.now():
        raise ValidationError(_("This event has already taken place."))
    held_seats = booking.status == Status.CONFIRMED
    booking.status = Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.full_clean()
    booking.save()
    transaction.on_commit(partial(notify, "cancelled", booking))
    if held_seats:
        promote(slot.bookings, capacity=capacity, notify=notify)
    return booking


def promote(
    bookings: "models.QuerySet[Any]", *, capacity: int | None, notify: Notify
) -> list[Any]:
    """Move the waiting bookings that now fit, in their order, to confirmed.

    A booking too large for the seats left keeps its place, and a smaller one
    behind it may go first: seats never stay empty while someone could use them.
    Precondition: the slot is locked.
    """
    taken = seats_taken(bookings)
    promoted = []
    waiting = bookings.filter(status=Status.WAITING).order_by("confirmed_at", "pk")
    for candidate in waiting:
        if not fits(capacity, candidate, taken):
            continue
        candidate.status = Status.CONFIRMED
        candidate.full_clean()
        candidate.save()
        taken += candidate.seats
        promoted.append(candidate)
        transaction.on_commit(partial(notify, "promoted", candidate))
    return promoted


def tomorrow_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Midnight to midnight of the city's next day."""
    tomorrow = now.astimezone(city_tz()).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=city_tz())
    return start, datetime.combine(
        tomorrow + timedelta(days=1), datetime.min.time(), tzinfo=city_tz()
    )


def send_reminders(bookings: Iterable[Any], *, notify: Notify) -> int:
    """E-mail each confirmed booking given, once.

    Each booking is marked in its own transaction before its e-mail leaves, so
    a run that stops half-way never reminds anyone twice.
    """
    sent = 0
    for booking in bookings:
        with transaction.atomic():
            marked = (
                type(booking)
                ._default_manager.filter(
                    pk=booking.pk, reminded_at__isnull=True, status=Status.CONFIRMED
                )
                .update(reminded_at=timezone.now())
            )
            if marked:
                transaction.on_commit(partial(notify, "reminder", booking))
                sent += 1
    return sent
