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


@task
def announce_listing(model_name: str, pk: int) -> int:
    """Tell the families a newly published service or event concerns."""
    from .announce import listing_announce
    from .models import Event, Service

    model = Event if model_name == "event" else Service
    listing = model.objects.filter(pk=pk).select_related("organisation").first()
    return listing_announce(listing) if listing else 0


@task
def event_tell_followers(pk: int) -> int:
    """Tell the followers of an event that it changed."""
    from .announce import event_changed
    from .models import Event

    event = Event.objects.filter(pk=pk).first()
    return event_changed(event) if event else 0
