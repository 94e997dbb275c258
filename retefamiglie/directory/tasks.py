"""Periodic work on events and bookings, enqueued by cron (directory_periodic)."""

from django.tasks import task

from .services import bookings, events


@task
def send_booking_reminders() -> int:
    """E-mail confirmed bookings whose event is tomorrow, once each."""
    return bookings.bookings_send_reminders()


@task
def refresh_open_ended_events() -> int:
    """Move the last occurrence of events that repeat without end."""
    return events.events_refresh_open_ended()
