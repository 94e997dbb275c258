"""When events happen: occurrences of recurring events (RFC 5545 RRULE).

A rule repeats the wall-clock time of ``starts_at`` in the city's time zone
(settings.TIME_ZONE, Europe/Rome): an activity every Saturday at 10:00 stays at
10:00 when the clocks change. Expansion is always bounded, by a range and by a
maximum number of occurrences, so a rule without an end never runs forever.

Around a clock change a local time may not exist or may exist twice. It is
read as RFC 5545 (3.3.5) reads a local DATE-TIME, and as dateutil's rule with
zoneinfo gives it (``fold=0``): a time the clock skips (02:30 on the last
Sunday of March) with the offset before the change, so one hour later (03:30
summer time); a time the clock repeats (02:30 on the last Sunday of October)
as its first instance (summer time). An occurrence ends at its start's
wall-clock time plus the event's wall-clock length, read the same way
(01:30-03:30 stays so on the day of the change, and lasts one hour); when that
end would not come after the start (a start in the skipped hour, an end soon
after it on the clock), it lasts as long as the event's own first occurrence.
The occurrence at the event's own start has the event's own times, even when
that start is the second 02:30. Occurrences are instants in strictly
increasing order, compared and stored in UTC: a local time that reads as the
instant of an earlier one, or before it (a rule repeating within the skipped
hour and the next), gives none.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as fixed_offset
from functools import cache
from itertools import islice, takewhile
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
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
    """Every start of the event in local wall-clock time (a time the clock skips
    or repeats may come out), in order, bounded by MAX_OCCURRENCES."""
    local_start = event.starts_at.astimezone(city_tz())
    if not event.rrule.strip():
        return [local_start]
    try:
        parsed = parse_rule(event.rrule, event.starts_at)
    except ValidationError:
        # A rule saved before validation existed: show the first date only.
        return [local_start]
    starts: Iterable[datetime] = parsed
    if _is_open_ended(parsed):
        horizon = _horizon(event)
        starts = takewhile(lambda moment: moment <= horizon, parsed)
    return islice(starts, MAX_OCCURRENCES)


def _horizon(event: Timed) -> datetime:
    return max(event.starts_at, timezone.now()) + OPEN_RULE_HORIZON


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _times(event: Timed) -> Iterator[tuple[datetime, datetime]]:
    """(start, end) in UTC of every occurrence of ``event``, in strictly
    increasing order of start; see the module's docstring for clock changes.

    Every reader goes through here, so the stored rows, the event's page and
    the booking check agree on each instant."""
    own = (event.starts_at.astimezone(UTC), event.ends_at.astimezone(UTC))
    length = own[1] - own[0]
    local_start = event.starts_at.astimezone(city_tz())
    # Wall clock minus wall clock: the length a rule repeats in local time.
    wall_length = _naive(event.ends_at.astimezone(city_tz())) - _naive(local_start)
    previous: datetime | None = None
    for moment in _starts(event):
        if _naive(moment) == _naive(local_start):
            start, end = own
        else:
            # Aware arithmetic within one zone is on the wall clock; astimezone
            # then reads a skipped or repeated time with fold=0.
            start = moment.astimezone(UTC)
            end = (moment + wall_length).astimezone(UTC)
            if end <= start:
                end = start + length
        if previous is not None and start <= previous:
            continue
        previous = start
        yield start, end


def _at_local_offset(moment: datetime) -> datetime:
    """``moment`` at the city's UTC offset of that instant, as a fixed offset:
    it reads as local time, yet equals the stored row's UTC datetime, which a
    zoneinfo datetime in the repeated hour never does (PEP 495)."""
    offset = moment.astimezone(city_tz()).utcoffset()
    return moment.astimezone(fixed_offset(offset) if offset is not None else UTC)


def event_occurrences(
    event: Event,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences of ``event`` that are still going on at ``start`` and begin
    before ``end`` (both optional), in order, at most ``limit``: the instants
    of the EventOccurrence rows, at the city's offset of each."""
    found: list[Occurrence] = []
    for starts_at, ends_at in _times(event):
        if end is not None and starts_at >= end:
            break
        if start is not None and ends_at <= start:
            continue
        found.append(
            Occurrence(event, _at_local_offset(starts_at), _at_local_offset(ends_at))
        )
        if limit is not None and len(found) >= limit:
            break
    return found


def is_occurrence(event: Event, moment: datetime) -> bool:
    # In UTC: a local time in the repeated hour equals no other zone's datetime.
    moment = moment.astimezone(UTC)
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
    for last, _end in _times(event):  # noqa: B007
        pass
    return last


def occurrence_times(event: Timed) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of every occurrence of ``event``, in order: what the
    EventOccurrence table holds for it, bounded like every expansion by
    MAX_OCCURRENCES and, for a rule without end, by the horizon."""
    return list(_times(event))


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
    # Both sides in UTC: datetimes of different zones in a repeated or skipped
    # hour never compare equal (PEP 495), which would rewrite the rows each time.
    stored = [
        (starts_at.astimezone(UTC), ends_at.astimezone(UTC))
        for starts_at, ends_at in EventOccurrence.objects.filter(event=current)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    ]
    # Rows that are a prefix of the wanted ones stay: when only the horizon of
    # an open rule moved, the new dates are appended. Otherwise (new times or
    # rule) every row is rewritten.
    kept = stored if stored == wanted[: len(stored)] else []
    if kept != stored:
        # One DELETE: nothing listens to occurrence rows (they opt out of the
        # page cache's signals), so Django takes its fast path.
        current.occurrences.all().delete()
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


def open_ended_events() -> QuerySet[Event]:
    """Events whose rule has neither COUNT nor UNTIL."""
    return Event.objects.exclude(rrule="").exclude(
        Q(rrule__icontains="COUNT=") | Q(rrule__icontains="UNTIL=")
    )


def events_refresh_open_ended() -> int:
    """Move the occurrences of rules without end along with the horizon; returns
    how many events were refreshed."""
    count = 0
    for event in open_ended_events().only("pk", "starts_at", "ends_at", "rrule"):
        try:
            event_refresh_occurrences(event=event)
        except Event.DoesNotExist:
            # Deleted since the list was read: its rows went with it.
            continue
        count += 1
    return count
