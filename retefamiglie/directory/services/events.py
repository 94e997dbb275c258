"""When events happen: occurrences of recurring events (RFC 5545 RRULE).

A rule repeats the wall-clock time of ``starts_at`` in the city's time zone
(settings.TIME_ZONE, Europe/Rome): an activity every Saturday at 10:00 stays at
10:00 when the clocks change. Expansion is always bounded, by a range and by a
maximum number of occurrences, so a rule without an end never runs forever.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import islice, takewhile
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.core.pagecache import bump_now_and_on_commit

from ..models import Event, EventOccurrence, occurrence_key

# No event is expanded into more occurrences than this, whatever the range.
MAX_OCCURRENCES = 1000
# A rule without COUNT or UNTIL is expanded at most this far ahead of today (or
# of its first start, if later); directory_periodic moves the horizon on.
OPEN_RULE_HORIZON = timedelta(days=2 * 366)
FORBIDDEN_PARTS = {"DTSTART", "TZID", "EXDATE", "RDATE", "EXRULE"}


@cache
def city_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time an event happens."""

    event: Event
    starts_at: datetime
    ends_at: datetime

    @property
    def local_date(self) -> date:
        return self.starts_at.astimezone(city_tz()).date()

    @property
    def key(self) -> str:
        """How a form or a URL names this occurrence: its start in ISO 8601, UTC."""
        return occurrence_key(self.starts_at)


class Timed(Protocol):
    """What expansion reads of an event: also a migration's historical Event."""

    starts_at: datetime
    ends_at: datetime
    rrule: str


def _parts(rule_text: str) -> list[tuple[str, str]]:
    text = rule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts = []
    for chunk in text.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(chunk)
        parts.append((name.strip().upper(), value.strip().upper()))
    return parts


def normalised_rule(rule_text: str) -> str:
    """The rule with UNTIL in UTC, as RFC 5545 wants beside a DTSTART with TZID.

    Staff may write UNTIL=20260630 or UNTIL=20260630T180000: both are read as
    local time in the city (a date means the end of that day).
    """
    parts = []
    for name, value in _parts(rule_text):
        if name in FORBIDDEN_PARTS or "\n" in value:
            raise ValueError(name)
        if name == "UNTIL" and not value.endswith("Z"):
            if "T" in value:
                local = datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007
            else:
                local = datetime.combine(
                    datetime.strptime(value, "%Y%m%d").date(),  # noqa: DTZ007
                    time(23, 59, 59),
                )
            value = (
                occurrence_key(local.replace(tzinfo=city_tz()))
                .replace("-", "")
                .replace(":", "")
            )
        parts.append(f"{name}={value}")
    return ";".join(parts)


def parse_rule(rule_text: str, starts_at: datetime) -> rrule:
    """The dateutil rule of an event, anchored at its local start.

    Raises ValidationError with a message for the staff when the rule is invalid.
    """
    local_start = starts_at.astimezone(city_tz())
    try:
        parsed = rrulestr(normalised_rule(rule_text), dtstart=local_start)
    except (ValueError, TypeError, KeyError) as error:
        raise ValidationError(
            _(
                "This repetition rule is not valid. Write it as in iCalendar, "
                "e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8"
            ),
            code="invalid_rrule",
        ) from error
    if not isinstance(parsed, rrule):
        raise ValidationError(_("Write a single repetition rule."), code="invalid")
    return parsed


def validate_rule(*, rule_text: str, starts_at: datetime) -> None:
    """For the staff forms: the rule parses and gives at least one occurrence."""
    if not rule_text.strip():
        return
    parsed = parse_rule(rule_text, starts_at)
    if next(iter(parsed), None) is None:
        raise ValidationError(
            _("With this rule the event never happens: check COUNT and UNTIL."),
            code="no_occurrence",
        )


def _is_open_ended(parsed: rrule) -> bool:
    return parsed._count is None and parsed._until is None


def _starts(event: Timed) -> Iterable[datetime]:
    """Every start of the event, in order, bounded by MAX_OCCURRENCES."""
    if not event.rrule.strip():
        return [event.starts_at]
    try:
        parsed = parse_rule(event.rrule, event.starts_at)
    except ValidationError:
        # A rule saved before validation existed: show the first date only.
        return [event.starts_at]
    starts: Iterable[datetime] = parsed
    if _is_open_ended(parsed):
        horizon = _horizon(event)
        starts = takewhile(lambda moment: moment <= horizon, parsed)
    return islice(starts, MAX_OCCURRENCES)


def _horizon(event: Timed) -> datetime:
    return max(event.starts_at, timezone.now()) + OPEN_RULE_HORIZON


def event_occurrences(
    event: Event,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences of ``event`` that are still going on at ``start`` and begin
    before ``end`` (both optional), in order, at most ``limit``."""
    duration = event.ends_at - event.starts_at
    found: list[Occurrence] = []
    for moment in _starts(event):
        if end is not None and moment >= end:
            break
        if start is not None and moment + duration <= start:
            continue
        found.append(Occurrence(event, moment, moment + duration))
        if limit is not None and len(found) >= limit:
            break
    return found


def is_occurrence(event: Event, moment: datetime) -> bool:
    return any(
        occurrence.starts_at == moment
        for occurrence in event_occurrences(
            event,
            start=moment - timedelta(seconds=1),
            end=moment + timedelta(seconds=1),
        )
    )


def last_start(event: Timed) -> datetime:
    """The start of the last occurrence (within the horizon, for an open rule)."""
    last = event.starts_at
    for last in _starts(event):  # noqa: B007
        pass
    return last


def occurrence_times(event: Timed) -> list[tuple[datetime, datetime]]:
    """(start, end) of every occurrence of ``event``, in order: what the
    EventOccurrence table holds for it, bounded like every expansion by
    MAX_OCCURRENCES and, for a rule without end, by the horizon."""
    duration = event.ends_at - event.starts_at
    return [(moment, moment + duration) for moment in _starts(event)]


@transaction.atomic
def event_refresh_occurrences(*, event: Event) -> Event:
    """Rewrite the stored occurrences of ``event`` and its ``last_starts_at``
    from its times and rule; call it after every save that changes
    ``starts_at``, ``ends_at`` or ``rrule``.

    ``last_starts_at`` is the start of the last occurrence (``starts_at`` for a
    one-off event). A rule with no COUNT or UNTIL repeats without end: its
    occurrences stop at the horizon (OPEN_RULE_HORIZON from today), which
    ``events_refresh_open_ended()`` moves on every day. The times are read
    again from the database, under a lock of the event's row, so two refreshes
    of one event (an edit and the daily task) write one after the other, each
    from the committed times.
    """
    current = (
        Event.objects.select_for_update()
        .only("pk", "starts_at", "ends_at", "rrule")
        .get(pk=event.pk)
    )
    wanted = occurrence_times(current)
    stored = list(
        EventOccurrence.objects.filter(event=current)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    # Rows that are a prefix of the wanted ones stay: when only the horizon of
    # an open rule moved, the new dates are appended. Otherwise (new times or
    # rule) every row is rewritten.
    kept = stored if stored == wanted[: len(stored)] else []
    if kept != stored:
        _delete_occurrences(current)
    EventOccurrence.objects.bulk_create(
        EventOccurrence(event=current, starts_at=start, ends_at=end)
        for start, end in wanted[len(kept) :]
    )
    if kept != stored or len(kept) < len(wanted):
        # Bulk writes send no signals: renew the cached public pages.
        bump_now_and_on_commit()
    event.last_starts_at = wanted[-1][0] if wanted else current.starts_at
    Event.objects.filter(pk=event.pk).update(last_starts_at=event.last_starts_at)
    return event


def _delete_occurrences(event: Event) -> None:
    """One DELETE statement: QuerySet.delete() would read every row first and
    send a signal for each, since the page cache listens to every deletion."""
    table = connection.ops.quote_name(EventOccurrence._meta.db_table)
    column = connection.ops.quote_name(EventOccurrence._meta.get_field("event").column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [event.pk])  # noqa: S608


def open_ended_events() -> QuerySet[Event]:
    """Events whose rule has neither COUNT nor UNTIL."""
    return Event.objects.exclude(rrule="").exclude(
        Q(rrule__icontains="COUNT=") | Q(rrule__icontains="UNTIL=")
    )


def events_refresh_open_ended() -> int:
    """Move the occurrences of rules without end along with the horizon."""
    count = 0
    for event in open_ended_events().only("pk", "starts_at", "ends_at", "rrule"):
        event_refresh_occurrences(event=event)
        count += 1
    return count
