"""Events for families: list, filters, calendar, event page, calendar files."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from retefamiglie.directory.models import Event
from retefamiglie.directory.services.events import (
    event_occurrences,
    event_refresh_occurrences,
)
from retefamiglie.directory.tests.factories import (
    CategoryFactory,
    EventFactory,
    LocationFactory,
)
from retefamiglie.network.tests.factories import AreaFactory

ROME = ZoneInfo("Europe/Rome")

pytestmark = pytest.mark.django_db


def local(days: int, hour: int = 17, minute: int = 0) -> dt.datetime:
    """A time ``days`` from today in Lucca, timezone-aware."""
    day = timezone.now().astimezone(ROME).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ROME)


def make_event(days: int = 1, hour: int = 17, **kwargs) -> Event:
    starts_at = kwargs.pop("starts_at", local(days, hour))
    event = EventFactory(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **kwargs
    )
    return event_refresh_occurrences(event=event)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def results(response) -> list[tuple[str, dt.datetime]]:
    """The (event name, start) pairs of the list page, in the order shown."""
    return [
        (occurrence.event.name, occurrence.starts_at)
        for occurrence in response.context["page"].object_list
    ]


# Occurrences of recurring events ------------------------------------------------------


def test_weekly_rule_keeps_the_local_time_across_the_clock_change():
    """A Saturday 10:00 activity stays at 10:00 in Lucca when summer time starts."""
    start = dt.datetime(2026, 3, 21, 10, tzinfo=ROME)
    event = EventFactory(
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=3",
    )

    occurrences = event_occurrences(event)

    assert [o.starts_at.astimezone(ROME) for o in occurrences] == [
        dt.datetime(2026, 3, 21, 10, tzinfo=ROME),
        dt.datetime(2026, 3, 28, 10, tzinfo=ROME),
        dt.datetime(2026, 4, 4, 10, tzinfo=ROME),
    ]
    assert {o.starts_at.astimezone(ROME).hour for o in occurrences} == {10}
    assert occurrences[0].starts_at.utcoffset() != occurrences[2].starts_at.utcoffset()
    assert all(o.ends_at - o.starts_at == dt.timedelta(hours=1) for o in occurrences)


def test_until_as_a_local_date_includes_that_day_and_sets_the_last_start():
    start = dt.datetime(2026, 6, 1, 9, tzinfo=ROME)
    event = EventFactory(
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        rrule="FREQ=DAILY;UNTIL=20260605",
    )

    event_refresh_occurrences(event=event)

    event.refresh_from_db()
    assert len(event_occurrences(event)) == 5
    assert event.last_starts_at == dt.datetime(2026, 6, 5, 9, tzinfo=ROME)


def test_a_rule_without_end_is_expanded_only_within_bounds():
    event = make_event(days=1, rrule="FREQ=DAILY")

    in_a_month = event_occurrences(event, end=local(31, 0))

    assert len(in_a_month) == 30
    assert len(event_occurrences(event)) <= 1000
    assert event.last_starts_at > local(365)


# The list -----------------------------------------------------------------------------


def test_list_shows_upcoming_dates_soonest_first_and_not_past_ones(client):
    later = make_event(days=3, name="Laboratorio di pittura")
    sooner = make_event(days=1, name="Letture in biblioteca")
    make_event(days=-2, name="Festa passata")

    response = client.get(en("directory:events"))

    assert response.status_code == 200
    assert results(response) == [
        (sooner.name, sooner.starts_at),
        (later.name, later.starts_at),
    ]
    assert "Festa passata" not in response.content.decode()
    assert "Events and activities" in response.content.decode()


def test_recurring_event_appears_once_per_date_even_if_it_began_in_the_past(client):
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, tzinfo=ROME), tick=False):
        start = dt.datetime(2030, 2, 15, 17, tzinfo=ROME)
        make_event(starts_at=start, rrule="FREQ=WEEKLY;COUNT=6", name="Doposcuola")

        response = client.get(en("directory:events"))

    assert [(name, start.astimezone(ROME)) for name, start in results(response)] == [
        ("Doposcuola", dt.datetime(2030, 3, day, 17, tzinfo=ROME))
        for day in (1, 8, 15, 22)
    ]


def test_default_range_is_the_next_sixty_days(client):
    make_event(days=59, name="Tra due mesi")
    make_event(days=62, name="Troppo lontano")

    names = [name for name, _ in results(client.get(en("directory:events")))]

    assert names == ["Tra due mesi"]


def test_date_range_filter(client):
    make_event(days=5, name="Dentro")
    make_event(days=9, name="Dopo")
    make_event(days=2, name="Prima")
    first, last = local(4).date(), local(6).date()

    response = client.get(
        en("directory:events"), {"dal": first.isoformat(), "al": last.isoformat()}
    )

    assert [name for name, _ in results(response)] == ["Dentro"]


def test_end_before_start_is_refused_with_a_message(client):
    response = client.get(
        en("directory:events"), {"dal": "2030-05-10", "al": "2030-05-01"}
    )

    assert "The end date must not be before the start." in response.content.decode()


def test_category_age_area_and_free_filters(client):
    sport = CategoryFactory(slug="sport-movimento")
    music = CategoryFactory(slug="musica-test", name="Musica")
    centro = AreaFactory(slug="centro-storico", name="Centro storico")
    make_event(
        name="Calcetto gratuito",
        categories=[sport],
        age_min=6,
        age_max=10,
        is_free=True,
        location=LocationFactory(area=centro),
    )
    make_event(name="Coro dei piccoli", categories=[music], age_min=3, age_max=5)

    def names(**params):
        return [n for n, _ in results(client.get(en("directory:events"), params))]

    assert names(categoria="sport-movimento") == ["Calcetto gratuito"]
    assert names(eta=4) == ["Coro dei piccoli"]
    assert names(eta=8) == ["Calcetto gratuito"]
    assert names(zona="centro-storico") == ["Calcetto gratuito"]
    assert names(gratis="on") == ["Calcetto gratuito"]
    assert sorted(names()) == ["Calcetto gratuito", "Coro dei piccoli"]


def test_htmx_request_gets_only_the_results(client):
    make_event(name="Letture")

    response = client.get(en("directory:events"), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert 'id="results"' in content
    assert "Letture" in content
    assert "<html" not in content


def test_filter_form_works_without_javascript_and_with_htmx(client):
    content = client.get(en("directory:events")).content.decode()

    form = re.search(r'<form method="get"[^>]*>', content).group(0)
    assert f'action="{en("directory:events")}"' in form
    assert 'data-hx-get="' in form
    assert 'data-hx-target="#results"' in form


def test_list_query_count_does_not_grow_with_the_events(client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(en("directory:events")).status_code == 200
        return len(queries)

    for day in range(1, 4):
        make_event(days=day, rrule="FREQ=WEEKLY;COUNT=3")
    few = count_queries()
    for day in range(1, 10):
        make_event(days=day, rrule="FREQ=WEEKLY;COUNT=3")

    assert count_queries() == few


# The calendar -------------------------------------------------------------------------


def test_calendar_is_a_month_table_with_events_in_their_days(client):
    start = dt.datetime(2030, 5, 14, 16, 30, tzinfo=ROME)
    make_event(starts_at=start, name="Merenda al parco")

    response = client.get(
        en("directory:events"), {"vista": "calendario", "mese": "2030-05"}
    )

    content = response.content.decode()
    assert "<caption>Events in May 2030</caption>" in content
    assert '<th scope="col">Monday</th>' in content
    cell = re.search(
        r'<td[^>]*>\s*<time class="fw-semibold d-block" datetime="2030-05-14">'
        r"(.*?)</td>",
        content,
        re.S,
    ).group(1)
    assert "Merenda al parco" in cell
    assert "16:30" in cell
    assert "mese=2030-04" in content
    assert "mese=2030-06" in content
    # On phones: the same events as a list by day.
    assert 'datetime="2030-05-14">Tuesday 14 May</time>' in content


def test_calendar_weeks_start_on_monday_and_cover_the_whole_month(client):
    response = client.get(
        en("directory:events"), {"vista": "calendario", "mese": "2030-06"}
    )

    weeks = response.context["weeks"]
    assert weeks[0][0]["date"] == dt.date(2030, 5, 27)  # Monday before 1 June
    assert weeks[-1][-1]["date"] == dt.date(2030, 6, 30)  # a Sunday
    assert all(len(week) == 7 for week in weeks)


# The event page -----------------------------------------------------------------------


def test_event_page_shows_what_when_where_for_whom_cost_and_organiser(client):
    area = AreaFactory(slug="sant-anna", name="Sant'Anna")
    event = make_event(
        name="Laboratorio di ceramica",
        rrule="FREQ=WEEKLY;COUNT=3",
        age_min=6,
        age_max=11,
        cost_description="5 euro a bambino",
        languages=["it", "en"],
        accessibility="Accessibile in sedia a rotelle",
        location=LocationFactory(name="Casa del Boia", area=area),
    )

    response = client.get(en("directory:event", slug=event.slug))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Laboratorio di ceramica" in content
    assert len(response.context["occurrences"]) == 3
    assert f'datetime="{local(8).strftime("%Y-%m-%dT17:00:00%z")}"' in content
    assert "Casa del Boia" in content
    assert "Area: Sant&#x27;Anna" in content
    assert "6–11 years" in content
    assert "5 euro a bambino" in content
    assert "English" in content
    assert "Accessibile in sedia a rotelle" in content
    assert event.organisation.name in content
    assert en("directory:event_ics", slug=event.slug) in content


def test_draft_event_is_not_found_by_families(client):
    event = make_event(status=Event.Status.DRAFT)

    assert client.get(en("directory:event", slug=event.slug)).status_code == 404
    assert client.get(en("directory:event_ics", slug=event.slug)).status_code == 404


def test_event_page_has_schema_org_json_ld_safely_escaped(client):
    event = make_event(name="Festa </script><script>alert(1)</script> & giochi")

    content = client.get(en("directory:event", slug=event.slug)).content.decode()

    match = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>',
        content,
        re.S,
    )
    assert match
    raw = match.group(1)
    assert "<" not in raw
    assert ">" not in raw
    assert "&" not in raw
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == event.name
    assert data["startDate"] == event.starts_at.astimezone(ROME).isoformat()
    assert data["location"]["@type"] == "Place"
    assert data["organizer"]["name"] == event.organisation.name


# Calendar files -----------------------------------------------------------------------


def test_ics_of_a_recurring_event_has_rrule_and_the_rome_time_zone(client):
    event = make_event(name="Nuoto libero", rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=8")

    response = client.get(en("directory:event_ics", slug=event.slug))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Nuoto libero"
    assert str(vevent["UID"]).startswith(f"event-{event.pk}@")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Rome"
    assert vevent["DTSTART"].dt == event.starts_at
    assert vevent["DTEND"].dt == event.ends_at
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"]
    assert vevent["RRULE"]["COUNT"] == [8]
    assert event.location.name in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith(event.get_absolute_url())
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Rome"


def test_ics_uid_is_stable_when_the_event_changes(client):
    event = make_event()
    url = en("directory:event_ics", slug=event.slug)
    before = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]["UID"]
    event.name = "Nuovo nome"
    event.save()

    after = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]["UID"]

    assert before == after


def test_feed_has_every_published_event_and_takes_the_list_filters(client):
    sport = CategoryFactory(slug="sport-movimento")
    music = CategoryFactory(slug="musica-test", name="Musica")
    make_event(name="Calcetto", categories=[sport])
    make_event(name="Coro", categories=[music], rrule="FREQ=WEEKLY;COUNT=4")
    make_event(name="Bozza", status=Event.Status.DRAFT)

    def summaries(**params):
        response = client.get(en("directory:event_feed"), params)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        cal = Calendar.from_ical(response.content)
        return sorted(str(v["SUMMARY"]) for v in cal.walk("VEVENT"))

    assert summaries() == ["Calcetto", "Coro"]
    assert summaries(categoria="musica-test") == ["Coro"]


def test_an_upper_age_past_young_people_reads_adults_too(client):
    """An upper age of 100 (as HSDS data often gives) is kept, not shown as is."""
    event = make_event(name="Coro di quartiere", age_min=6, age_max=100)
    page = client.get(en("directory:event", slug=event.slug)).content.decode()
    assert "from 6 years, adults too" in page
    assert "6–100 years" not in page
    assert (
        event.slug in client.get(en("directory:events"), {"eta": "25"}).content.decode()
    )
