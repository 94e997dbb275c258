"""Every write on bookings of events: book, confirm by e-mail, cancel, promote,
remind.

The rules (seats counted under a lock on the event's row, waiting list,
promotion) are the shared ones of ``retefamiglie.bookings`` (ADR 14); this module
says what is booked (one occurrence of an event) and sends the e-mails.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import Visitor
from retefamiglie.bookings import services as shared

# Re-exported for the events views.
from retefamiglie.core.vocabularies import AgeBand as AgeBand
from retefamiglie.notifications.services import notify, person_or_address

from ..models import Booking, Event
from .events import city_tz, is_occurrence

Status = Booking.Status


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


def _slot(event: Event, occurrence: datetime) -> shared.Slot:
    return shared.Slot(
        bookings=Booking.objects.filter(event=event, occurrence=occurrence),
        lock=lambda: _lock_event(event).capacity,
    )


def _notify(kind: str, booking: Booking) -> None:
    """The one seam through which booking e-mails leave."""
    if kind in {Status.CONFIRMED, Status.WAITING}:
        _notify_status(booking)
    elif kind != Status.UNCONFIRMED:
        _send(kind, booking)


# Services -----------------------------------------------------------------------


@transaction.atomic
def booking_create(
    *,
    event: Event,
    occurrence: datetime,
    data: dict[str, Any],
    user: Visitor | None = None,
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
    booking = shared.fill(
        Booking(event=event, occurrence=occurrence),
        data=data,
        user=user,
        capacity=event.capacity,
    )
    return shared.create(
        booking, slot=_slot(event, occurrence), user=user, notify=_notify
    )


@transaction.atomic
def booking_confirm(*, booking: Booking) -> Booking:
    """The family opened the link in the e-mail: the booking takes its seats, or
    joins the waiting list when they are not enough.

    Opening the link again changes nothing. Precondition: the occurrence has not
    started yet.
    """
    if booking.status == Status.UNCONFIRMED and booking.occurrence <= timezone.now():
        raise ValidationError(_("This event has already taken place."))
    return shared.confirm(
        booking, slot=_slot(booking.event, booking.occurrence), notify=_notify
    )


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    """The family cancels; the seats go to the next waiting bookings that fit.

    Precondition: the occurrence has not started. Cancelling a cancelled booking
    changes nothing.
    """
    return shared.cancel(
        booking,
        slot=_slot(booking.event, booking.occurrence),
        starts_at=booking.occurrence,
        notify=_notify,
    )


def bookings_to_remind(now: datetime | None = None) -> "models.QuerySet[Booking]":
    start, end = shared.tomorrow_bounds(now or timezone.now())
    return Booking.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        occurrence__gte=start,
        occurrence__lt=end,
        event__status=Event.Status.PUBLISHED,
    ).select_related("event__location__area", "event__organisation")


def bookings_send_reminders(*, now: datetime | None = None) -> int:
    """E-mail each confirmed booking whose occurrence is tomorrow, once."""
    return shared.send_reminders(bookings_to_remind(now), notify=_notify)
