"""Stored occurrences (EventOccurrence): rewritten with every change of an event,
read by the events list, calendar, home page and feed (ADR 11)."""

import calendar
import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from retefamiglie.accounts.tests.factories import SuperuserFactory
from retefamiglie.core import pagecache
from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.directory import selectors
from retefamiglie.directory.models import Event, EventOccurrence, occurrence_key
from retefamiglie.directory.services import events as events_service
from retefamiglie.directory.services.bookings import booking_create
from retefamiglie.directory.services.events import (
    MAX_OCCURRENCES,
    OPEN_RULE_HORIZON,
    event_occurrences,
    event_refresh_occurrences,
    events_refresh_open_ended,
    is_occurrence,
    occurrence_times,
)
from retefamiglie.directory.services.listings import event_save, listing_duplicate
from retefamiglie.directory.tests.factories import (
    BookingFactory,
    CategoryFactory,
    EventFactory,
    LocationFactory,
)
from retefamiglie.directory.views.events import CALENDAR_DAY_LIMIT
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory

ROME = ZoneInfo("Europe/Rome")
UTC = dt.UTC
# A Tuesday morning in Lucca, two weeks before summer time starts.
NOW = dt.datetime(2030, 3, 12, 9, 30, tzinfo=ROME)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(month: int, day: int, hour: int = 17, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, month, day, hour, minute, tzinfo=ROME)


def stored(event: Event) -> list[tuple[dt.datetime, dt.datetime]]:
    rows = EventOccurrence.objects.filter(event=event).order_by("starts_at")
    return [
        (row.starts_at.astimezone(ROME), row.ends_at.astimezone(ROME)) for row in rows
    ]


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def save(event: Event | None = None, **fields) -> Event:
    """Create or change an event as the staff forms do (services.listings)."""
    if event is not None:
        fields = {
            "organisation": event.organisation,
            "name": event.name,
            "summary": event.summary,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "rrule": event.rrule,
            **fields,
        }
    else:
        fields = {
            "organisation": OrganisationFactory(),
            "summary": "Un pomeriggio insieme.",
            "description": "Per le famiglie.",
            **fields,
        }
    return event_save(actor=None, event=event, categories=[CategoryFactory()], **fields)


# Writes ---------------------------------------------------------------------------


def test_a_new_event_stores_each_occurrence_at_its_local_time(frozen):
    """A Saturday 10:00 activity stays at 10:00 in Lucca across the clock change."""
    event = save(
        name="Nuoto libero",
        starts_at=at(3, 16, 10),
        ends_at=at(3, 16, 11),
        rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
    )

    assert stored(event) == [
        (at(3, day, 10), at(3, day, 11)) for day in (16, 23, 30)
    ] + [(at(4, 6, 10), at(4, 6, 11))]
    event.refresh_from_db()
    assert event.last_starts_at == at(4, 6, 10)


def test_a_one_off_event_has_one_occurrence(frozen):
    event = save(name="Festa", starts_at=at(3, 20), ends_at=at(3, 20, 19))

    assert stored(event) == [(at(3, 20), at(3, 20, 19))]


def test_new_times_or_a_new_rule_replace_the_occurrences(frozen):
    event = save(
        name="Coro",
        starts_at=at(3, 13),
        ends_at=at(3, 13, 18),
        rrule="FREQ=WEEKLY;COUNT=3",
    )

    event = save(event, starts_at=at(3, 14, 16), ends_at=at(3, 14, 18))
    assert stored(event) == [
        (at(3, 14, 16), at(3, 14, 18)),
        (at(3, 21, 16), at(3, 21, 18)),
        (at(3, 28, 16), at(3, 28, 18)),
    ]

    event = save(event, rrule="FREQ=DAILY;COUNT=2")
    assert stored(event) == [
        (at(3, 14, 16), at(3, 14, 18)),
        (at(3, 15, 16), at(3, 15, 18)),
    ]

    event = save(event, rrule="")
    assert stored(event) == [(at(3, 14, 16), at(3, 14, 18))]


def test_a_change_that_keeps_the_dates_keeps_the_rows(frozen):
    event = save(
        name="Coro",
        starts_at=at(3, 13),
        ends_at=at(3, 13, 18),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    rows = list(event.occurrences.values_list("pk", flat=True))

    save(event, name="Coro dei piccoli")

    assert list(event.occurrences.values_list("pk", flat=True)) == rows


def test_deleting_an_event_deletes_its_occurrences(frozen):
    event = EventFactory(rrule="FREQ=WEEKLY;COUNT=5")
    other = EventFactory()
    assert EventOccurrence.objects.count() == 6

    event.delete()

    assert list(EventOccurrence.objects.values_list("event", flat=True)) == [other.pk]


def test_a_duplicate_has_its_own_occurrences(frozen):
    event = EventFactory(name="Gita", rrule="FREQ=WEEKLY;COUNT=3")

    copy = listing_duplicate(actor=None, listing=event)

    assert stored(copy) == stored(event)
    assert len(stored(copy)) == 3
    assert not set(copy.occurrences.values_list("pk", flat=True)) & set(
        event.occurrences.values_list("pk", flat=True)
    )


def test_saving_an_event_in_the_admin_rewrites_its_occurrences(client, frozen):
    event = EventFactory(starts_at=at(3, 13), ends_at=at(3, 13, 18))
    client.force_login(SuperuserFactory())
    url = reverse("admin:directory_event_change", args=[event.pk])
    data = {
        "organisation": event.organisation.pk,
        "name": event.name,
        "slug": event.slug,
        "summary": event.summary,
        "description": event.description,
        "categories": [c.pk for c in event.categories.all()],
        "languages": '["it"]',
        "status": Event.Status.PUBLISHED,
        "location": event.location.pk,
        "starts_at_0": "2030-03-13",
        "starts_at_1": "17:00:00",
        "ends_at_0": "2030-03-13",
        "ends_at_1": "18:00:00",
        "rrule": "FREQ=WEEKLY;COUNT=2",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(event) == [(at(3, 13), at(3, 13, 18)), (at(3, 20), at(3, 20, 18))]


def test_expansion_is_bounded_by_max_occurrences(frozen):
    event = EventFactory(starts_at=at(3, 13), rrule="FREQ=DAILY;COUNT=1500")

    assert event.occurrences.count() == MAX_OCCURRENCES
    assert stored(event) == [(o.starts_at, o.ends_at) for o in event_occurrences(event)]


def test_a_rule_without_end_moves_forward_with_the_daily_refresh(frozen):
    event = EventFactory(
        starts_at=at(3, 12, 17), ends_at=at(3, 12, 18), rrule="FREQ=WEEKLY"
    )
    first_rows = list(event.occurrences.order_by("starts_at").values_list("pk"))
    horizon = NOW + OPEN_RULE_HORIZON
    assert stored(event)[-1][0] <= horizon < stored(event)[-1][0] + dt.timedelta(7)

    frozen.move_to(NOW + dt.timedelta(days=30))
    before = pagecache.version()
    assert events_refresh_open_ended() == 1

    later = stored(event)
    assert later[-1][0] > horizon + dt.timedelta(days=21)
    assert later == [(o.starts_at, o.ends_at) for o in event_occurrences(event)]
    # The rows that were there stay; the new weeks are added after them.
    assert (
        list(event.occurrences.order_by("starts_at").values_list("pk"))[
            : len(first_rows)
        ]
        == first_rows
    )
    assert pagecache.version() != before
    event.refresh_from_db()
    assert event.last_starts_at == later[-1][0]


def test_the_data_migration_fills_the_table_for_existing_events(frozen):
    events = [
        EventFactory(stored_occurrences=False),
        EventFactory(stored_occurrences=False, rrule="FREQ=WEEKLY;COUNT=4"),
        EventFactory(stored_occurrences=False, rrule="FREQ=DAILY"),
    ]
    assert not EventOccurrence.objects.exists()
    migration = importlib.import_module(
        "retefamiglie.directory.migrations.0007_event_occurrences"
    )

    migration.fill_occurrences(apps, None)

    for event in events:
        assert stored(event) == occurrence_times(event)
    assert EventOccurrence.objects.count() == sum(
        len(occurrence_times(e)) for e in events
    )


# Reads: the same occurrences as the expansion in Python ------------------------------


def expanded(
    events: list[Event], start: dt.datetime, end: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """What the list showed before the table: every published event expanded
    between ``start`` and ``end``, by start, then name, then pk."""
    found = [
        (o.starts_at, o.event.name, o.event.pk, o)
        for event in events
        if event.status == Event.Status.PUBLISHED
        for o in event_occurrences(event, start=start, end=end)
    ]
    found.sort(key=lambda row: row[:3])
    return [(o.event.name, o.starts_at) for *_key, o in found]


def listed(client, **params) -> list[tuple[str, dt.datetime]]:
    """Every (name, start) of the events list, following its pages."""
    shown, number = [], 1
    while True:
        response = client.get(en("directory:events"), {**params, "page": number})
        page = response.context["page"]
        shown += [(o.event.name, o.starts_at) for o in page.object_list]
        if not page.has_next():
            return shown
        number += 1


def in_calendar(client, **params) -> list[tuple[str, dt.datetime]]:
    """Every (name, start) the calendar shows, plus ("more", n) where a busy
    day links to the rest of its dates."""
    response = client.get(en("directory:events"), {"vista": "calendario", **params})
    shown: list = []
    for week in response.context["weeks"]:
        for day in week:
            shown += [(o.event.name, o.starts_at) for o in day["occurrences"]]
            if day["more"]:
                shown.append(("more", day["more"]))
    return shown


def by_calendar_days(rows: list[tuple[str, dt.datetime]]) -> list:
    """``rows`` as the calendar shows them: CALENDAR_DAY_LIMIT a day, then a
    ("more", n) for the rest."""
    shown: list = []
    days: dict[dt.date, list] = {}
    for row in rows:
        days.setdefault(timezone.localtime(row[1]).date(), []).append(row)
    for day_rows in days.values():
        shown += day_rows[:CALENDAR_DAY_LIMIT]
        if len(day_rows) > CALENDAR_DAY_LIMIT:
            shown.append(("more", len(day_rows) - CALENDAR_DAY_LIMIT))
    return shown


@pytest.fixture
def catalogue(frozen):
    """Recurring and one-off events, past, going on and to come, with the
    things the filters look at."""
    music = CategoryFactory(slug="musica-test", name="Musica")
    sport = CategoryFactory(slug="sport-movimento")
    centro = AreaFactory(slug="centro-storico", name="Centro storico")
    in_centro = LocationFactory(area=centro)
    specs = [
        ("Coro", at(3, 12), 1, "FREQ=WEEKLY;COUNT=10", {"categories": [music]}),
        ("Calcetto", at(3, 12), 2, "", {"categories": [sport], "is_free": True}),
        ("coro piccolo", at(3, 12), 1, "FREQ=WEEKLY;COUNT=3", {"age_max": 5}),
        ("Ogni giorno", at(2, 1, 10), 3, "FREQ=DAILY", {"is_free": True}),
        (
            "Martedì e giovedì",
            at(3, 1, 15),
            2,
            "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20300430",
            {},
        ),
        ("In corso", at(3, 12, 8), 4, "", {"location": in_centro}),
        ("Finito", at(3, 11, 8), 4, "", {}),
        ("Tre giorni", at(3, 10, 9), 72, "", {"age_min": 0, "age_max": 3}),
        (
            "Bozza",
            at(3, 15, 9),
            2,
            "FREQ=DAILY;COUNT=3",
            {"status": Event.Status.DRAFT},
        ),
        ("Mensile", at(1, 5, 18), 2, "FREQ=MONTHLY;BYMONTHDAY=5", {"age_min": 6}),
        ("Regola rotta", at(3, 20, 18), 2, "FREQ=SOMETIMES", {}),
        ("Lontano", at(9, 1, 9), 2, "", {"location": in_centro}),
    ]
    events = []
    for name, start, hours, rule, extra in specs:
        kwargs = {
            "name": name,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=hours),
            "rrule": rule,
            **extra,
        }
        if "location" in extra:
            kwargs["organisation"] = extra["location"].organisation
        events.append(EventFactory(**kwargs))
    return events


def local_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ROME)


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({}, lambda e: True),
        ({"categoria": "musica-test"}, lambda e: e.name == "Coro"),
        ({"eta": "4"}, lambda e: e.name not in ("Mensile", "Tre giorni")),
        ({"eta": "7"}, lambda e: e.name not in ("coro piccolo", "Tre giorni")),
        ({"zona": "centro-storico"}, lambda e: e.name in ("In corso", "Lontano")),
        ({"gratis": "on"}, lambda e: e.is_free),
    ],
)
def test_list_shows_what_the_expansion_gives_with_each_filter(
    client, catalogue, params, keep
):
    start = timezone.now()
    end = local_day(dt.date(2030, 3, 12) + dt.timedelta(days=61))
    expected = expanded([e for e in catalogue if keep(e)], start, end)

    assert len(expected) > 0
    assert listed(client, **params) == expected


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2030, 3, 20), dt.date(2030, 4, 10)),
        (dt.date(2030, 1, 1), dt.date(2030, 2, 15)),
        (dt.date(2030, 3, 1), dt.date(2031, 2, 28)),
    ],
)
def test_list_shows_what_the_expansion_gives_in_a_date_range(
    client, catalogue, first, last
):
    expected = expanded(
        catalogue, local_day(first), local_day(last + dt.timedelta(days=1))
    )

    shown = listed(client, dal=first.isoformat(), al=last.isoformat())

    assert shown == expected


@pytest.mark.parametrize("month", [(2030, 2), (2030, 3), (2030, 9)])
def test_calendar_shows_what_the_expansion_gives(client, catalogue, month):
    weeks = calendar.Calendar(calendar.MONDAY).monthdatescalendar(*month)
    first, last = weeks[0][0], weeks[-1][-1]
    expected = expanded(
        catalogue, local_day(first), local_day(last + dt.timedelta(days=1))
    )
    month_param = "{}-{:02}".format(*month)

    assert len(expected) > 0
    assert in_calendar(client, mese=month_param) == by_calendar_days(expected)
    music_only = [row for row in expected if row[0] == "Coro"]
    assert in_calendar(
        client, mese=month_param, categoria="musica-test"
    ) == by_calendar_days(music_only)


def test_the_database_paginates_the_list(client, frozen):
    EventFactory(name="Ogni giorno", starts_at=at(3, 13), rrule="FREQ=DAILY;COUNT=45")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(en("directory:events"), {"page": 2})

    page = response.context["page"]
    assert isinstance(page.paginator.object_list, QuerySet)
    assert page.paginator.count == 45
    assert [o.starts_at for o in page.object_list] == [
        at(3, 13) + dt.timedelta(days=n) for n in range(20, 40)
    ]
    assert any("LIMIT 20 OFFSET 20" in q["sql"] for q in queries.captured_queries)
    assert "45 dates from" in response.content.decode()


def test_calendar_query_count_does_not_grow_with_the_events(client):
    def make_rows(n: int) -> None:
        for day in range(n):
            EventFactory(
                starts_at=timezone.now() + dt.timedelta(days=day % 3, hours=1),
                rrule="FREQ=WEEKLY;COUNT=3",
            )

    assert_constant_queries(
        client, en("directory:events") + "?vista=calendario", make_rows
    )


# Home page and feed ------------------------------------------------------------------


def test_home_shows_events_with_a_date_to_come_even_if_they_began_long_ago(
    client, frozen
):
    EventFactory(name="Doposcuola", starts_at=at(1, 7), rrule="FREQ=WEEKLY;COUNT=20")
    EventFactory(name="Corso finito", starts_at=at(1, 7), rrule="FREQ=WEEKLY;COUNT=5")
    EventFactory(name="Sta finendo", starts_at=at(3, 12, 9), ends_at=at(3, 12, 10))

    content = client.get("/en/").content.decode()

    assert "Doposcuola" in content
    assert "Sta finendo" in content
    assert "Corso finito" not in content


def test_feed_leaves_out_events_with_no_date_in_the_chosen_days(client, frozen):
    EventFactory(name="Mensile", starts_at=at(1, 5), rrule="FREQ=MONTHLY")
    EventFactory(name="Settimanale", starts_at=at(1, 7), rrule="FREQ=WEEKLY")

    response = client.get(
        en("directory:event_feed"), {"dal": "2030-03-18", "al": "2030-03-19"}
    )

    summaries = [
        str(v["SUMMARY"]) for v in Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert summaries == ["Settimanale"]


def test_a_busy_day_of_the_calendar_links_to_the_rest_of_its_dates(client):
    day = timezone.localdate() + dt.timedelta(days=3)
    for hour in range(9, 15):  # six events that day
        EventFactory(
            name=f"Laboratorio delle {hour}",
            starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=ROME),
            ends_at=dt.datetime.combine(day, dt.time(hour, 45), tzinfo=ROME),
        )
    response = client.get(
        en("directory:events"), {"vista": "calendario", "mese": f"{day:%Y-%m}"}
    )
    (cell,) = [
        d for week in response.context["weeks"] for d in week if d["date"] == day
    ]
    assert [o.event.name for o in cell["occurrences"]] == [
        f"Laboratorio delle {hour}" for hour in range(9, 13)
    ]
    assert cell["more"] == 2
    html = response.content.decode()
    link = f"?dal={day.isoformat()}&amp;al={day.isoformat()}"
    assert link in html
    assert "2 more" in html
    # The link leads to the list of that day, with every date.
    rest = client.get(en("directory:events"), {"dal": day, "al": day})
    assert [o.event.name for o in rest.context["page"].object_list] == [
        f"Laboratorio delle {hour}" for hour in range(9, 15)
    ]


# Clock changes ----------------------------------------------------------------------
# In 2030 Italy moves to summer time on 31 March (02:00 → 03:00, so 02:xx never
# happens) and back on 27 October (03:00 → 02:00, so 02:xx happens twice).


def utc(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, month, day, hour, minute, tzinfo=UTC)


def stored_in_utc(event: Event) -> list[tuple[dt.datetime, dt.datetime]]:
    """Local datetimes in the repeated hour equal no UTC one (PEP 495)."""
    return [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in stored(event)]


@pytest.mark.parametrize(
    ("start", "length", "on_the_change"),
    [
        # A start the clock skips is read with the offset before the change
        # (RFC 5545 3.3.5): 02:30 is 03:30 summer time; an end that would not
        # come after it gives the occurrence its usual length.
        ((2, 30), dt.timedelta(minutes=30), (utc(3, 31, 1, 30), utc(3, 31, 2))),
        ((2, 30), dt.timedelta(hours=1), (utc(3, 31, 1, 30), utc(3, 31, 2, 30))),
        # Otherwise the wall-clock times stay: 01:30-03:30 lasts one hour that day.
        ((1, 30), dt.timedelta(hours=2), (at(3, 31, 1, 30), at(3, 31, 3, 30))),
        ((17, 0), dt.timedelta(hours=2), (at(3, 31, 17), at(3, 31, 19))),
    ],
)
def test_occurrences_across_the_spring_clock_change_end_after_they_start(
    frozen, start, length, on_the_change
):
    """Saving a daily event whose time the clock skips one day works, and that
    day's occurrence is where the detail page and the booking form put it."""
    first = at(3, 30, *start)
    event = save(
        name="Ogni notte",
        starts_at=first,
        ends_at=first + length,
        rrule="FREQ=DAILY;COUNT=3",
    )

    rows = stored(event)
    assert rows == [
        (first, first + length),
        on_the_change,
        (at(4, 1, *start), at(4, 1, *start) + length),
    ]
    assert all(end > begin for begin, end in rows)
    assert [(o.starts_at, o.ends_at) for o in event_occurrences(event)] == rows
    assert all(is_occurrence(event, begin) for begin, _end in rows)


def test_a_time_in_the_repeated_hour_is_its_first_instance(frozen):
    """02:30 on the day the clocks go back is 02:30 summer time; the wall-clock
    end stays 03:30 (winter time)."""
    event = save(
        name="Ogni notte",
        starts_at=at(10, 26, 2, 30),
        ends_at=at(10, 26, 3, 30),
        rrule="FREQ=DAILY;COUNT=3",
    )

    assert stored_in_utc(event) == [
        (utc(10, 26, 0, 30), utc(10, 26, 1, 30)),
        (utc(10, 27, 0, 30), utc(10, 27, 2, 30)),
        (utc(10, 28, 1, 30), utc(10, 28, 2, 30)),
    ]


def test_an_event_starting_in_the_second_repeated_hour_keeps_its_own_times(frozen):
    """The first occurrence is the event's own start, even at 02:30 winter time."""
    starts_at = utc(10, 27, 1, 30)  # 02:30 the second time
    event = EventFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        rrule="FREQ=DAILY;COUNT=2",
        booking_enabled=True,
    )

    assert stored_in_utc(event) == [
        (starts_at, starts_at + dt.timedelta(hours=1)),
        (utc(10, 28, 1, 30), utc(10, 28, 2, 30)),
    ]
    assert is_occurrence(event, starts_at)
    booking = booking_create(
        event=event,
        occurrence=starts_at,
        data={"name": "Famiglia Bianchi", "email": "b@example.org", "adults": 1},
    )
    assert booking.occurrence == starts_at


@pytest.mark.parametrize("first", [at(3, 30, 2, 30), at(10, 26, 2, 30)])
def test_the_booking_form_offers_the_stored_dates_around_a_clock_change(
    client, frozen, first
):
    """The event's page offers the stored dates, and counts the seats booked
    on the day of the change against that day."""
    event = EventFactory(
        starts_at=first,
        ends_at=first + dt.timedelta(hours=1),
        rrule="FREQ=DAILY;COUNT=3",
        booking_enabled=True,
        capacity=3,
    )
    starts = [start for start, _end in stored(event)]
    BookingFactory(event=event, occurrence=starts[1], adults=2)

    response = client.get(en("directory:event", slug=event.slug))

    choices = [
        (key, str(label))
        for key, label in response.context["form"].fields["occurrence"].choices
        if key
    ]
    assert [key for key, _label in choices] == [occurrence_key(s) for s in starts]
    assert [label.rsplit(" – ", 1)[1] for _key, label in choices] == [
        "3 seats left",
        "1 seat left",
        "3 seats left",
    ]


def test_two_local_times_on_one_instant_give_one_occurrence(frozen):
    """02:30 (skipped) and 03:30 summer time are the same instant: one row,
    where saving used to break the unique constraint."""
    event = save(
        name="Ogni ora",
        starts_at=at(3, 31, 1, 30),
        ends_at=at(3, 31, 1, 45),
        rrule="FREQ=HOURLY;COUNT=4",
    )

    assert stored(event) == [
        (at(3, 31, 1, 30), at(3, 31, 1, 45)),
        (at(3, 31, 3, 30), at(3, 31, 3, 45)),
        (at(3, 31, 4, 30), at(3, 31, 4, 45)),
    ]
    assert [(o.starts_at, o.ends_at) for o in event_occurrences(event)] == stored(event)


@pytest.mark.parametrize("day", [(3, 31), (10, 27)])
@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;COUNT=4",
        "FREQ=HOURLY;COUNT=12",
        "FREQ=MINUTELY;INTERVAL=20;COUNT=20",
        "FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=0,45;COUNT=12",
    ],
)
def test_every_expansion_near_a_clock_change_can_be_stored(day, rule):
    """Whatever the start, length and rule: starts strictly increase and each
    occurrence ends after it starts, as the table's constraints require."""
    for hour in (0, 1, 2, 3):
        for minute in (0, 30, 59):
            # A day, or two hours, before: the expansion crosses the change.
            before = dt.timedelta(days=1) if "DAILY" in rule else dt.timedelta(hours=2)
            begin = dt.datetime(2030, *day, hour, minute, tzinfo=ROME) - before
            for minutes in (1, 15, 30, 60, 61, 90, 120, 180):
                event = Event(
                    starts_at=begin,
                    ends_at=begin + dt.timedelta(minutes=minutes),
                    rrule=rule,
                )
                # In UTC: local datetimes of one zone compare by wall clock.
                times = [
                    (start.astimezone(UTC), end.astimezone(UTC))
                    for start, end in occurrence_times(event)
                ]
                if "BYHOUR" not in rule:
                    assert times[0] == (
                        event.starts_at.astimezone(UTC),
                        event.ends_at.astimezone(UTC),
                    )
                assert all(end > start for start, end in times), (event, times)
                starts = [start for start, _end in times]
                assert starts == sorted(set(starts)), (event, times)


def test_the_data_migration_stores_occurrences_across_a_clock_change(frozen):
    event = EventFactory(
        stored_occurrences=False,
        starts_at=at(3, 30, 2, 30),
        ends_at=at(3, 30, 3),
        rrule="FREQ=DAILY;COUNT=3",
    )
    migration = importlib.import_module(
        "retefamiglie.directory.migrations.0007_event_occurrences"
    )

    migration.fill_occurrences(apps, None)

    assert stored(event) == occurrence_times(event)
    assert len(stored(event)) == 3


@pytest.mark.parametrize("first", [at(10, 26, 2, 30), at(3, 30, 2, 30)])
def test_refreshing_an_unchanged_event_near_a_clock_change_writes_nothing(
    frozen, first
):
    """Stored rows and the expansion are compared in UTC, so an occurrence in
    the hour of the change does not make every refresh rewrite the rows and
    renew the cached pages."""
    event = EventFactory(
        starts_at=first, ends_at=first + dt.timedelta(hours=1), rrule="FREQ=DAILY"
    )
    rows = list(event.occurrences.order_by("starts_at").values_list("pk", flat=True))
    before = pagecache.version()
    frozen.shift(dt.timedelta(seconds=1))  # so that a renewal would show

    with CaptureQueriesContext(connection) as queries:
        event_refresh_occurrences(event=event)

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("DELETE", "INSERT"))
    ]
    assert writes == []
    assert pagecache.version() == before
    assert (
        list(event.occurrences.order_by("starts_at").values_list("pk", flat=True))
        == rows
    )


def test_the_hourly_refresh_goes_on_when_an_event_is_deleted_meanwhile(
    frozen, monkeypatch
):
    """An event deleted while the task runs is skipped; the others still move
    along with the horizon."""
    events = [
        EventFactory(name=name, starts_at=at(3, 12), rrule="FREQ=WEEKLY")
        for name in ("Primo", "Secondo", "Terzo")
    ]
    refresh = events_service.event_refresh_occurrences
    refreshed = []

    def refresh_and_delete_another(*, event):
        if not refreshed:
            Event.objects.filter(
                pk__in=[e.pk for e in events if e.pk != event.pk][:1]
            ).delete()
        refreshed.append(event.pk)
        return refresh(event=event)

    monkeypatch.setattr(
        events_service, "event_refresh_occurrences", refresh_and_delete_another
    )
    frozen.move_to(NOW + dt.timedelta(days=30))

    assert events_refresh_open_ended() == 2

    left = Event.objects.all()
    assert len(left) == 2
    for event in left:
        assert stored(event)[-1][0] > NOW + OPEN_RULE_HORIZON + dt.timedelta(days=21)


# Home page: next date first --------------------------------------------------------


def test_home_orders_events_by_their_next_date_and_shows_it(client, frozen):
    """A weekly event that began last year comes after tomorrow's one-off if
    its next date is later, and its card shows that next date, not its first
    one; featured events come first."""
    for day in (18, 19, 20, 21):  # Sunday to Wednesday, 17:00-18:00
        EventFactory(
            name=f"Dal {day} marzo 2029",
            starts_at=dt.datetime(2029, 3, day, 17, tzinfo=ROME),
            ends_at=dt.datetime(2029, 3, day, 18, tzinfo=ROME),
            rrule="FREQ=WEEKLY",
        )
    EventFactory(name="Domani", starts_at=at(3, 13, 10), ends_at=at(3, 13, 12))
    EventFactory(
        name="In vetrina", starts_at=at(5, 20, 10), ends_at=at(5, 20, 12), featured=True
    )

    events = selectors.home_listings()["events"]

    assert [(e.name, e.next_starts_at) for e in events] == [
        ("In vetrina", at(5, 20, 10)),
        ("Dal 20 marzo 2029", at(3, 12, 17)),  # this Tuesday, later today
        ("Domani", at(3, 13, 10)),
        ("Dal 21 marzo 2029", at(3, 13, 17)),
    ]
    content = client.get("/en/").content.decode()
    assert 'datetime="2030-03-12T17:00:00+0100"' in content
    assert 'datetime="2029-03-20T17:00:00+0100"' not in content
    assert 'datetime="2030-03-13T10:00:00+0100"' in content


def test_home_events_take_the_same_queries_whatever_their_number(client):
    # Not frozen: the page cache's version is a clock reading.
    def make_rows(n: int) -> None:
        for day in range(n):
            first = timezone.now() - dt.timedelta(days=30 + day)
            EventFactory(
                starts_at=first,
                ends_at=first + dt.timedelta(hours=1),
                rrule="FREQ=WEEKLY",
            )

    assert_constant_queries(client, "/en/", make_rows, n=2)
    assert len(selectors.home_listings()["events"]) == 4


def test_new_times_replace_the_dates_with_one_delete():
    event = EventFactory(name="Coro dei bambini", rrule="FREQ=WEEKLY;COUNT=12")
    event.starts_at += dt.timedelta(hours=1)
    event.ends_at += dt.timedelta(hours=1)
    event.save()
    with CaptureQueriesContext(connection) as queries:
        event_refresh_occurrences(event=event)
    on_dates = [
        q["sql"].split()[0].upper()
        for q in queries.captured_queries
        if "directory_eventoccurrence" in q["sql"]
    ]
    # Read the stored dates once, delete them in one statement (not row by row).
    assert on_dates == ["SELECT", "DELETE", "INSERT"]
    assert event.occurrences.count() == 12
