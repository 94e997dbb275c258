"""iCalendar files (RFC 5545) of dated things, for calendar applications.

App-neutral: it takes plain values. Each app says what its entries are (an
event, a meeting) and gets one file, or one feed, with the site's own time zone
in it, so calendars show local times.
"""

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT.

    ``uid`` is stable across edits ("event-12"), so calendars update an entry
    instead of adding one; the site's host is added to it. ``rrule`` is an
    RRULE value (no "RRULE:"); one that cannot be read is left out, and the
    calendar shows the first date only.
    """

    uid: str
    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime
    url: str
    updated_at: datetime | None = None
    location: str = ""
    rrule: str = ""
    categories: Sequence[str] = ()


def _vevent(entry: CalendarEntry, host: str, zone: ZoneInfo) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"{entry.uid}@{host}")
    vevent.add("dtstamp", entry.updated_at or timezone.now())
    vevent.add("last-modified", entry.updated_at or timezone.now())
    vevent.add("dtstart", entry.starts_at.astimezone(zone))
    vevent.add("dtend", entry.ends_at.astimezone(zone))
    if entry.rrule:
        with contextlib.suppress(ValueError):
            vevent.add("rrule", vRecur.from_ical(entry.rrule))
    vevent.add("summary", entry.summary)
    vevent.add("description", entry.description)
    if entry.location:
        vevent.add("location", entry.location)
    vevent.add("url", entry.url)
    if entry.categories:
        vevent.add("categories", list(entry.categories))
    return vevent


def calendar_bytes(
    *, name: str, product: str, entries: Iterable[CalendarEntry]
) -> bytes:
    """A VCALENDAR named ``name`` (``X-WR-CALNAME``) holding ``entries``;
    ``product`` names what the file lists in its PRODID ("Eventi")."""
    cal = Calendar()
    cal.add("prodid", f"-//Rete Famiglie//{product}//IT")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    zone = ZoneInfo(settings.TIME_ZONE)
    for entry in entries:
        cal.add_component(_vevent(entry, host, zone))
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar_response(
    *,
    name: str,
    product: str,
    entries: Iterable[CalendarEntry],
    filename: str | None = None,
) -> HttpResponse:
    """The calendar as a ``text/calendar`` response; with ``filename``, one to
    save (a single entry's file) rather than a feed to subscribe to."""
    response = HttpResponse(
        calendar_bytes(name=name, product=product, entries=entries),
        content_type="text/calendar; charset=utf-8",
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
