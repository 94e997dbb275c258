"""The iCalendar files every app serves (events, meetings) from plain values."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import override_settings
from icalendar import Calendar

from retefamiglie.core.ical import CalendarEntry, calendar_response

ROME = ZoneInfo("Europe/Rome")


def entry(**changes):
    values = {
        "uid": "event-7",
        "summary": "Letture in biblioteca",
        "description": "Per bambini",
        "starts_at": dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC),
        "ends_at": dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC),
        "url": "https://rete.example/eventi/letture/",
        "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    return CalendarEntry(**{**values, **changes})


def parse(response):
    return Calendar.from_ical(response.content)


@override_settings(SITE_URL="https://rete.example")
def test_an_entry_in_local_time_with_a_stable_uid_and_its_rule():
    """A calendar shows the local hour and updates the entry on each download."""
    response = calendar_response(
        name="Letture",
        product="Eventi",
        entries=[
            entry(rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4", categories=["Libri"]),
        ],
        filename="letture.ics",
    )
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="letture.ics"'
    cal = parse(response)
    assert str(cal["prodid"]) == "-//Rete Famiglie//Eventi//IT"
    assert str(cal["x-wr-calname"]) == "Letture"
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["uid"]) == "event-7@rete.example"
    start = vevent.decoded("dtstart")
    assert start == dt.datetime(2026, 3, 2, 17, 0, tzinfo=ROME)
    assert str(start.tzinfo) == "Europe/Rome"
    assert vevent["rrule"]["COUNT"] == [4]
    assert [str(c) for c in vevent["categories"].cats] == ["Libri"]
    assert cal.walk("VTIMEZONE"), "the file carries its time zone"


def test_an_unreadable_rule_leaves_the_first_date_only():
    response = calendar_response(
        name="Feed", product="Incontri", entries=[entry(rrule="FREQ=NEVER;X")]
    )
    (vevent,) = parse(response).walk("VEVENT")
    assert "rrule" not in vevent
    assert "Content-Disposition" not in response


def test_a_feed_holds_every_entry_and_no_location_when_none():
    response = calendar_response(
        name="Feed",
        product="Incontri",
        entries=[entry(uid="meeting-1"), entry(uid="meeting-2", location="Sala")],
    )
    first, second = parse(response).walk("VEVENT")
    assert "location" not in first
    assert str(second["location"]) == "Sala"
