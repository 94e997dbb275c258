"""Every write on bookings: book, confirm by e-mail, cancel, promote, remind.

Seats are counted only under a lock on the event's row (``_lock_event``), so two
families confirming at the same moment never take the same last seat. A booking
takes seats once it is confirmed by e-mail; with no seats left it joins the
waiting list, and a cancellation promotes the next waiting bookings that fit.
E-mails leave after the transaction commits.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retefamiglie.notifications.services import notify, person_or_address

from ..models import Booking, Event
from .events import city_tz, is_occurrence

Status = Booking.Status


class AgeBand(models.TextChoices):
    """Children are counted per age band, never named (as in helprequests)."""

    BAND_0_2 = "0-2", gettext_lazy("0–2 years")
    BAND_3_5 = "3-5", gettext_lazy("3–5 years")
    BAND_6_10 = "6-10", gettext_lazy("6–10 years")
    BAND_11_13 = "11-13", gettext_lazy("11–13 years")
    BAND_14_17 = "14-17", gettext_lazy("14–17 years")


# E-mails ------------------------------------------------------------------------


def booking_link(booking: Booking, name: str = "directory:booking") -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        name, kwargs={"token": booking.token}
    )


def _send(template: str, booking: Booking, **context: Any) -> None:
    """Notify ``directory.booking_<template>`` (``directory/events/email/``)."""
    with translation.override(settings.LANGUAGE_CODE):
        links = {
            "link": booking_link(booking),
            "confirm_link": booking_link(booking, "directory:booking_confirm"),
            "cancel_link": booking_link(booking, "directory:booking_cancel"),
            "event_link": settings.SITE_URL.rstrip("/")
            + booking.event.get_absolute_url(),
        }
    notify(
        recipient=person_or_address(booking.email, user=booking.user),
        kind=f"directory.booking_{template}",
        subject_object=booking,
        context={
            "booking": booking,
            "event": booking.event,
            "occurrence": booking.occurrence.astimezone(city_tz()),
            **links,
            **context,
        },
    )


def _notify_status(booking: Booking) -> None:
    """Tell the family where its booking stands after a confirmation."""
    if booking.status == Status.CONFIRMED:
        _send("confirmed", booking)
    elif booking.status == Status.WAITING:
        _send("waiting", booking)


# Seats --------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    """Lock the event's row until the transaction ends, before seats are counted.

    On PostgreSQL ``select_for_update`` makes concurrent confirmations and
    cancellations of the same event wait for each other; on SQLite it is a no-op
    and the IMMEDIATE transaction mode (settings) serialises every write.
    """
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event: Event, occurrence: datetime) -> int:
    bookings = Booking.objects.filter(
        event=event, occurrence=occurrence, status=Status.CONFIRMED
    ).only("adults", "children")
    return sum(booking.seats for booking in bookings)


def _fits(event: Event, booking: Booking, taken: int) -> bool:
    return event.capacity is None or taken + booking.seats <= event.capacity


def _validate_children(children: dict[str, int]) -> dict[str, int]:
    clean = {}
    for band, count in children.items():
        if band not in AgeBand.values:
            raise ValidationError(_("Unknown age band: %(band)s") % {"band": band})
        if int(count) < 0:
            raise ValidationError(_("A number of children cannot be negative."))
        if int(count):
            clean[band] = int(count)
    return clean


# Services -----------------------------------------------------------------------


def _has_verified_email(user, email: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and EmailAddress.objects.filter(
            user=user, email__iexact=email, verified=True
        ).exists()
    )


@transaction.atomic
def booking_create(
    *, event: Event, occurrence: datetime, data: dict[str, Any], user=None
) -> Booking:
    """A family books seats at one occurrence of an event.

    Preconditions: the event is published and takes bookings, ``occurrence`` is
    one of its future occurrences, ``data`` was validated by ``BookingForm``.
    A person logged in with that verified e-mail address is confirmed at once;
    anyone else receives a link that confirms the booking.
    """
    if event.status != Event.Status.PUBLISHED or not event.booking_enabled:
        raise ValidationError(_("This event does not take bookings."))
    if occurrence <= timezone.now() or not is_occurrence(event, occurrence):
        raise ValidationError(_("Choose one of the next dates of the event."))
    booking = Booking(
        event=event,
        occurrence=occurrence,
        user=user if user is not None and user.is_authenticated else None,
        name=data["name"],
        email=data["email"],
        adults=data.get("adults") or 0,
        children=_validate_children(data.get("children", {})),
        needs_childcare=data.get("needs_childcare", False),
        accessibility_needs=data.get("accessibility_needs", ""),
        interpreter_language=data.get("interpreter_language", ""),
    )
    if booking.seats < 1:
        raise ValidationError(_("Book at least one seat, for an adult or a child."))
    if event.capacity is not None and booking.seats > event.capacity:
        raise ValidationError(
            _("This event has %(capacity)d seats: book at most %(capacity)d.")
            % {"capacity": event.capacity}
        )
    booking.full_clean()
    booking.save()
    if _has_verified_email(user, booking.email):
        return _confirm(booking)
    transaction.on_commit(partial(_send, "confirm_link", booking))
    return booking


def _confirm(booking: Booking) -> Booking:
    event = _lock_event(booking.event)
    booking.refresh_from_db()
    if booking.status != Status.UNCONFIRMED:
        return booking
    taken = _seats_taken(event, booking.occurrence)
    booking.status = (
        Status.CONFIRMED if _fits(event, booking, taken) else Status.WAITING
    )
    booking.confirmed_at = timezone.now()
    booking.full_clean()
    booking.save()
    transaction.on_commit(partial(_notify_status, booking))
    return booking


@transaction.atomic
def booking_confirm(*, booking: Booking) -> Booking:
    """The family opened the link in the e-mail: the booking takes its seats, or
    joins the waiting list when they are not enough.

    Opening the link again changes nothing. Precondition: the occurrence has not
    started yet.
    """
    if booking.status == Status.UNCONFIRMED and booking.occurrence <= timezone.now():
        raise ValidationError(_("This event has already taken place."))
    return _confirm(booking)


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    """The family cancels; the seats go to the next waiting bookings that fit.

    Precondition: the occurrence has not started. Cancelling a cancelled booking
    changes nothing.
    """
    event = _lock_event(booking.event)
    booking.refresh_from_db()
    if booking.status == Status.CANCELLED:
        return booking
    if booking.occurrence <= timezone.now():
        raise ValidationError(_("This event has already taken place."))
    held_seats = booking.status == Status.CONFIRMED
    booking.status = Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.full_clean()
    booking.save()
    transaction.on_commit(partial(_send, "cancelled", booking))
    if held_seats:
        _promote(event, booking.occurrence)
    return booking


def _promote(event: Event, occurrence: datetime) -> list[Booking]:
    """Move the waiting bookings that now fit, in their order, to confirmed.

    A booking too large for the seats left keeps its place, and a smaller one
    behind it may go first: seats never stay empty while someone could use them.
    Precondition: the event's row is locked.
    """
    taken = _seats_taken(event, occurrence)
    promoted = []
    waiting = Booking.objects.filter(
        event=event, occurrence=occurrence, status=Status.WAITING
    ).order_by("confirmed_at", "pk")
    for candidate in waiting:
        if not _fits(event, candidate, taken):
            continue
        candidate.status = Status.CONFIRMED
        candidate.full_clean()
        candidate.save()
        taken += candidate.seats
        promoted.append(candidate)
        transaction.on_commit(partial(_send, "promoted", candidate))
    return promoted


def _tomorrow_bounds(now: datetime) -> tuple[datetime, datetime]:
    tomorrow = now.astimezone(city_tz()).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=city_tz())
    return start, datetime.combine(
        tomorrow + timedelta(days=1), datetime.min.time(), tzinfo=city_tz()
    )


def bookings_to_remind(now: datetime | None = None) -> Iterable[Booking]:
    start, end = _tomorrow_bounds(now or timezone.now())
    return Booking.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        occurrence__gte=start,
        occurrence__lt=end,
        event__status=Event.Status.PUBLISHED,
    ).select_related("event__location__area", "event__organisation")


def bookings_send_reminders(*, now: datetime | None = None) -> int:
    """E-mail each confirmed booking whose occurrence is tomorrow, once.

    Each booking is marked in its own transaction before its e-mail leaves, so
    a run that stops half-way never reminds anyone twice.
    """
    sent = 0
    for booking in bookings_to_remind(now):
        with transaction.atomic():
            marked = Booking.objects.filter(
                pk=booking.pk, reminded_at__isnull=True, status=Status.CONFIRMED
            ).update(reminded_at=timezone.now())
            if marked:
                transaction.on_commit(partial(_send, "reminder", booking))
                sent += 1
    return sent
