"""Events as iCalendar entries: an event's file and the feed of the catalogue
(core.ical writes the files)."""

import contextlib
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse

from retefamiglie.core.ical import CalendarEntry, calendar_response

from .models import Event
from .services.events import normalised_rule

PRODUCT = "Eventi"


def _where(event: Event) -> str:
    location = event.location
    if location is None:
        return ""
    parts = (
        location.name,
        location.address,
        f"{location.postal_code} {location.city}".strip(),
    )
    return ", ".join(part for part in parts if part)


def event_entry(event: Event) -> CalendarEntry:
    """The event with its repeat rule, so one entry holds every date.

    Reads prefetched ``categories`` and the selected ``location``.
    """
    url = settings.SITE_URL.rstrip("/") + event.get_absolute_url()
    rule = ""
    if event.rrule.strip():
        # An invalid rule: the calendar shows the first date only.
        with contextlib.suppress(ValueError):
            rule = normalised_rule(event.rrule)
    return CalendarEntry(
        uid=f"event-{event.pk}",
        summary=event.name,
        description=f"{event.summary}\n\n{event.description}\n\n{url}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        url=url,
        updated_at=event.updated_at,
        location=_where(event),
        rrule=rule,
        categories=[category.label for category in event.categories.all()],
    )


def event_calendar_response(event: Event) -> HttpResponse:
    """One event's ``.ics`` file, to save."""
    return calendar_response(
        name=event.name,
        product=PRODUCT,
        entries=[event_entry(event)],
        filename=f"{event.slug}.ics",
    )


def events_feed_response(events: Iterable[Event]) -> HttpResponse:
    """The feed of ``events``, named after the network, to subscribe to."""
    return calendar_response(
        name=settings.RETEFAMIGLIE["NETWORK_NAME"],
        product=PRODUCT,
        entries=(event_entry(event) for event in events),
    )
