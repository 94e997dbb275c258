"""Member organisations manage their services, events, places and bookings."""

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.core.testing import assert_constant_queries, with_mfa
from retefamiglie.directory import demo
from retefamiglie.directory.models import (
    Booking,
    Category,
    Event,
    Location,
    OpeningHours,
    Publishable,
    Service,
)
from retefamiglie.network import demo as network_demo
from retefamiglie.network.tests.factories import OrganisationFactory, StaffFactory

from .factories import BookingFactory, EventFactory, LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def en(name: str, **kwargs) -> str:
    """The English page, so assertions read the source text of the interface."""
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


def in_days(days: int, hour: int = 17) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ROME)


@pytest.fixture
def place(organisation):
    return LocationFactory(organisation=organisation, name="Palestra Bacchettoni")


@pytest.fixture
def staff(client, people):
    client.force_login(people["org_editor"])
    return people["org_editor"]


@pytest.fixture
def coordinator(client, people):
    client.force_login(with_mfa(people["coordinator"]))
    return people["coordinator"]


def category() -> Category:
    return Category.objects.get(slug="sport-movimento")


def service_post(organisation, place=None, **overrides) -> dict:
    data = {
        "organisation": organisation.pk,
        "name": "Minivolley per tutti",
        "summary": "Pallavolo per bambini, il martedì pomeriggio.",
        "description": "Allenamenti con istruttori qualificati.",
        "categories": [category().pk],
        "age_min": "6",
        "age_max": "11",
        "eligibility": "",
        "is_free": "on",
        "cost_description": "",
        "languages": ["it", "en"],
        "accessibility": "",
        "email": "volley@example.org",
        "phone": "",
        "url": "",
        "how_to_access": "Basta presentarsi.",
        "places": [place.pk] if place else [],
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "60",
    }
    if place:
        data.update(
            {
                "hours-0-place": place.pk,
                "hours-0-weekday": "1",
                "hours-0-opens_at": "16:30",
                "hours-0-closes_at": "18:00",
            }
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def local_input(moment: dt.datetime) -> str:
    return moment.astimezone(ROME).strftime("%Y-%m-%dT%H:%M")


def event_post(organisation, place=None, **overrides) -> dict:
    data = {
        "organisation": organisation.pk,
        "name": "Festa dello sport",
        "summary": "Un pomeriggio per provare tanti sport.",
        "description": "Le società sportive fanno provare i loro sport.",
        "categories": [category().pk],
        "location": place.pk if place else "",
        "starts_at": local_input(in_days(10, 15)),
        "ends_at": local_input(in_days(10, 18)),
        "repeat": "",
        "repeat_count": "",
        "rrule": "",
        "age_min": "",
        "age_max": "",
        "eligibility": "",
        "is_free": "on",
        "cost_description": "",
        "languages": ["it"],
        "accessibility": "",
        "email": "",
        "phone": "",
        "url": "",
        "capacity": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ------------------------------------------------------------------------------
# Services: create, edit, publish
# ------------------------------------------------------------------------------


def test_staff_create_a_service_as_a_draft_with_its_places_and_hours(
    client, staff, organisation, place
):
    response = client.post(en("service_create"), service_post(organisation, place))
    assert response.status_code == 302
    assert response["Location"] == en("manage")
    service = Service.objects.get()
    assert service.slug == "minivolley-per-tutti"
    assert service.status == Publishable.Status.DRAFT
    assert service.organisation == organisation
    assert service.languages == ["it", "en"]
    assert list(service.categories.all()) == [category()]
    assert list(service.locations.all()) == [place]
    slot = OpeningHours.objects.get()
    assert (slot.weekday, slot.opens_at, slot.closes_at) == (
        1,
        dt.time(16, 30),
        dt.time(18),
    )
    page = client.get(en("manage")).content.decode()
    assert "Minivolley per tutti" in page
    assert "Draft" in page


def test_the_slug_is_unique_and_kept_when_the_name_changes(
    client, staff, organisation, place
):
    ServiceFactory(slug="minivolley-per-tutti")
    client.post(en("service_create"), service_post(organisation, place))
    service = Service.objects.get(
        name="Minivolley per tutti", organisation=organisation
    )
    assert service.slug == "minivolley-per-tutti-2"
    data = service_post(
        organisation,
        place,
        name="Minivolley del martedì",
        **{"hours-0-weekday": "3", "hours-1-place": place.pk},
        **{"hours-1-weekday": "5", "hours-1-opens_at": "10:00"},
        **{"hours-1-closes_at": "12:00"},
    )
    response = client.post(en("service_edit", slug=service.slug), data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Minivolley del martedì"
    assert service.slug == "minivolley-per-tutti-2"
    days = sorted(
        OpeningHours.objects.filter(service_at_location__service=service).values_list(
            "weekday", flat=True
        )
    )
    assert days == [3, 5]


def test_the_edit_page_shows_the_saved_hours(client, staff, organisation, place):
    service = ServiceFactory(organisation=organisation, location=place, weekdays=[4])
    page = client.get(en("service_edit", slug=service.slug)).content.decode()
    assert 'name="hours-TOTAL_FORMS" value="3"' in page
    assert '<option value="4" selected>Friday</option>' in page


def test_publishing_makes_the_service_visible_to_families(client, staff, organisation):
    service = ServiceFactory(organisation=organisation, status="draft")
    client.logout()
    assert client.get(service.get_absolute_url()).status_code == 404
    client.force_login(staff)
    action = en("listing_action", kind="servizi", slug=service.slug)
    response = client.post(action, {"action": "publish"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == Publishable.Status.PUBLISHED
    client.logout()
    assert client.get(service.get_absolute_url()).status_code == 200
    client.force_login(staff)
    client.post(action, {"action": "unpublish"})
    client.logout()
    assert client.get(service.get_absolute_url()).status_code == 404


def test_after_an_action_staff_go_back_to_the_page_they_came_from(
    client, staff, organisation
):
    service = ServiceFactory(organisation=organisation, status="draft")
    action = en("listing_action", kind="servizi", slug=service.slug)
    back = client.post(action, {"action": "publish", "next": en("manage") + "?x=1"})
    assert back["Location"] == en("manage") + "?x=1"
    away = client.post(action, {"action": "publish", "next": "https://evil.example"})
    assert away["Location"] == en("manage")


def test_duplicate_makes_a_draft_copy_with_a_new_slug(client, staff, organisation):
    service = ServiceFactory(
        organisation=organisation, name="Doposcuola", slug="doposcuola", weekdays=[0, 2]
    )
    service.featured = True
    service.save()
    action = en("listing_action", kind="servizi", slug=service.slug)
    response = client.post(action, {"action": "duplicate"})
    copy = Service.objects.exclude(pk=service.pk).get()
    assert response["Location"] == en("service_edit", slug=copy.slug)
    assert copy.name == "Doposcuola (copy)"
    assert copy.slug == "doposcuola-copy"
    assert copy.status == Publishable.Status.DRAFT
    assert not copy.featured
    assert list(copy.categories.all()) == list(service.categories.all())
    assert list(copy.locations.all()) == list(service.locations.all())
    assert OpeningHours.objects.filter(service_at_location__service=copy).count() == 2
    client.post(action, {"action": "duplicate"})
    assert set(Service.objects.values_list("slug", flat=True)) == {
        "doposcuola",
        "doposcuola-copy",
        "doposcuola-copy-2",
    }


def test_duplicating_an_event_keeps_its_dates_not_its_bookings(
    client, staff, organisation
):
    booking = BookingFactory(event__organisation=organisation, event__name="Gita")
    action = en("listing_action", kind="eventi", slug=booking.event.slug)
    client.post(action, {"action": "duplicate"})
    copy = Event.objects.get(name="Gita (copy)")
    assert copy.starts_at == booking.event.starts_at
    assert copy.capacity == booking.event.capacity
    assert not copy.bookings.exists()


def test_only_coordinators_feature_published_listings_on_the_home_page(
    client, people, coordinator, organisation
):
    draft = ServiceFactory(organisation=organisation, status="draft")
    published = ServiceFactory(organisation=organisation, name="Piscina")
    response = client.post(
        en("listing_action", kind="servizi", slug=draft.slug), {"action": "feature"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.featured
    messages = client.get(en("manage")).content.decode()
    assert "Only a published listing can be on the home page." in messages
    action = en("listing_action", kind="servizi", slug=published.slug)
    client.post(action, {"action": "feature"})
    published.refresh_from_db()
    assert published.featured
    page = client.get(en("manage")).content.decode()
    assert "On the home page" in page
    assert "Take off the home page" in page
    client.post(action, {"action": "unpublish"})
    published.refresh_from_db()
    assert not published.featured
    client.force_login(people["org_admin"])
    assert "Feature on the home page" not in client.get(en("manage")).content.decode()
    assert client.post(action, {"action": "feature"}).status_code == 403


def test_coordinators_see_every_organisations_listings(
    client, coordinator, organisation
):
    ServiceFactory(organisation=organisation, name="Piscina comunale")
    EventFactory(organisation=OrganisationFactory(), name="Concerto di Natale")
    page = client.get(en("manage")).content.decode()
    assert "Piscina comunale" in page
    assert "Concerto di Natale" in page


def test_the_list_shows_next_date_and_bookings(client, staff, organisation):
    event = EventFactory(
        organisation=organisation,
        starts_at=in_days(-14, 10),
        ends_at=in_days(-14, 11),
        rrule="FREQ=WEEKLY;COUNT=6",
        booking_enabled=True,
        capacity=10,
    )
    BookingFactory.create_batch(2, event=event)
    BookingFactory(event=event, status=Booking.Status.WAITING)
    BookingFactory(event=event, status=Booking.Status.CANCELLED)
    page = client.get(en("manage")).content.decode()
    next_start = in_days(7, 10)
    assert f'<time datetime="{next_start:%Y-%m-%dT%H:%M:%S%z}">' in page
    assert "2 confirmed, 1 waiting" in page


def test_the_list_keeps_a_constant_number_of_queries(client, people, organisation):
    client.force_login(with_mfa(people["coordinator"]))

    def make_rows(n: int) -> None:
        for _ in range(n):
            ServiceFactory(organisation=organisation)
            event = EventFactory(organisation=organisation, booking_enabled=True)
            BookingFactory(event=event)

    assert_constant_queries(client, en("manage"), make_rows)


def test_the_list_shows_25_of_each_newest_first_with_a_page_for_each_table(
    client, staff, organisation
):
    services = [
        ServiceFactory(organisation=organisation, name=f"Servizio {i:02}")
        for i in range(30)
    ]
    events = [
        EventFactory(organisation=organisation, name=f"Evento {i:02}") for i in range(3)
    ]

    first = client.get(en("manage")).content.decode()
    assert "30 services, newest first." in first
    assert "3 events, newest first." in first
    assert "Servizio 29" in first
    assert "Servizio 05" in first
    assert "Servizio 04" not in first
    assert first.index("Servizio 29") < first.index("Servizio 28")
    assert "Page 1 of 2" in first
    assert all(event.name in first for event in events)

    # The services' next page keeps the filters and leaves the events alone.
    second = client.get(en("manage"), {"pagina_servizi": 2, "cerca": "Servizio"})
    second = second.content.decode()
    assert "Servizio 04" in second
    assert "Servizio 00" in second
    assert "Servizio 05" not in second
    assert "Page 2 of 2" in second
    assert "Evento 00" not in second  # "Servizio" matches no event
    assert 'href="?cerca=Servizio&amp;pagina_servizi=1#servizi"' in second
    assert services[0].name in second


def test_the_list_is_narrowed_by_name_and_status(client, staff, organisation):
    ServiceFactory(organisation=organisation, name="Piscina comunale")
    ServiceFactory(
        organisation=organisation,
        name="Piscina estiva",
        status=Publishable.Status.DRAFT,
    )
    EventFactory(organisation=organisation, name="Festa in piscina")
    EventFactory(organisation=organisation, name="Concerto di Natale")

    page = client.get(en("manage"), {"cerca": "piscina", "stato": "draft"})
    page = page.content.decode()
    assert "Piscina estiva" in page
    assert "Piscina comunale" not in page
    assert "No event matches these filters." in page
    assert "Show all" in page

    page = client.get(en("manage"), {"cerca": "PISCINA"}).content.decode()
    assert "Piscina comunale" in page
    assert "Festa in piscina" in page
    assert "Concerto di Natale" not in page


def test_a_wrong_filter_says_so_and_lists_everything(client, staff, organisation):
    ServiceFactory(organisation=organisation, name="Piscina comunale")
    response = client.get(en("manage"), {"stato": "deleted", "pagina_servizi": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in page
    assert "Piscina comunale" in page


# ------------------------------------------------------------------------------
# What the forms check
# ------------------------------------------------------------------------------


def test_organisations_offered_are_the_users_own(client, people, organisation):
    other = OrganisationFactory(name="Circolo del tennis")
    StaffFactory(
        user=people["org_editor"],
        organisation=OrganisationFactory(name="Coro dei bambini"),
    )
    client.force_login(people["org_editor"])
    page = client.get(en("service_create")).content.decode()
    assert "Panathlon Club Lucca" in page
    assert "Coro dei bambini" in page
    assert "Circolo del tennis" not in page
    response = client.post(
        en("service_create"), service_post(other, None, name="Intruso")
    )
    assert "Select a valid choice" in errors_of(response)
    assert not Service.objects.exists()


def test_a_service_rejects_unordered_ages_and_keeps_what_was_typed(
    client, staff, organisation, place
):
    data = service_post(organisation, place, age_min="12", age_max="6")
    page = errors_of(client.post(en("service_create"), data))
    assert "The upper age must not be below the lower age." in page
    assert 'value="Minivolley per tutti"' in page
    assert 'value="16:30"' in page
    assert not Service.objects.exists()


def test_ages_go_up_to_25(client, staff, organisation):
    """From ages up to 25; an upper age past it reads "adults too" (HSDS data
    often says 100), up to 120."""
    page = errors_of(
        client.post(en("service_create"), service_post(organisation, age_max="121"))
    )
    assert "Ages go up to 120 years." in page
    page = errors_of(
        client.post(
            en("service_create"), service_post(organisation, age_min="26", age_max="")
        )
    )
    assert "Ages go up to 25 years." in page


def test_a_cost_or_free_of_charge(client, staff, organisation):
    page = errors_of(
        client.post(en("service_create"), service_post(organisation, is_free=None))
    )
    assert "Say what it costs, or tick “free of charge”." in page


def test_opening_hours_close_after_they_open(client, staff, organisation, place):
    data = service_post(organisation, place, **{"hours-0-closes_at": "16:00"})
    page = errors_of(client.post(en("service_create"), data))
    assert "It must close after it opens." in page
    assert not Service.objects.exists()


def test_places_belong_to_the_organisation(client, coordinator, organisation):
    elsewhere = LocationFactory(name="Sede altrui")
    page = errors_of(
        client.post(en("service_create"), service_post(organisation, elsewhere))
    )
    assert "Choose places of the organisation offering it." in page


def test_staff_create_a_weekly_event(client, staff, organisation, place):
    data = event_post(
        organisation,
        place,
        repeat="weekly",
        repeat_count="4",
        booking_enabled="on",
        capacity="20",
    )
    response = client.post(en("event_create"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;COUNT=4"
    assert event.status == Publishable.Status.DRAFT
    assert event.starts_at == in_days(10, 15)
    assert event.last_starts_at == in_days(31, 15)
    page = client.get(en("event_edit", slug=event.slug)).content.decode()
    assert '<option value="weekly" selected>' in page
    assert 'name="repeat_count" value="4"' in page


def test_an_advanced_rule_is_kept(client, staff, organisation):
    data = event_post(
        organisation, repeat="custom", rrule="rrule:FREQ=WEEKLY;BYDAY=SA;COUNT=3"
    )
    assert client.post(en("event_create"), data).status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;BYDAY=SA;COUNT=3"
    page = client.get(en("event_edit", slug=event.slug)).content.decode()
    assert '<option value="custom" selected>' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ends_at": local_input(in_days(10, 14))},
            "An event must end after it starts.",
        ),
        ({"capacity": "0"}, "The number of seats must be greater than zero."),
        ({"capacity": "-3"}, "The number of seats must be greater than zero."),
        (
            {"booking_enabled": "on"},
            "Give the number of seats for bookings, or tick “No seat limit”.",
        ),
        (
            {"capacity": "10", "unlimited": "on"},
            "Leave the seats empty when there is no seat limit.",
        ),
        ({"repeat": "custom", "rrule": "FREQ=WEEKLY"}, "The rule must end"),
        ({"rrule": "FREQ=FORTNIGHTLY;COUNT=3"}, "This repetition rule is not valid"),
        ({"rrule": "COUNT=3"}, "This repetition rule is not valid"),
        ({"repeat": "custom"}, "Write the rule, or choose how it repeats."),
        ({"repeat": "monthly"}, "Say how many times the event takes place."),
        ({"rrule": "FREQ=DAILY;COUNT=500"}, "The rule gives too many dates"),
        ({"age_min": "8", "age_max": "3"}, "must not be below the lower age"),
    ],
)
def test_an_event_is_checked(client, staff, organisation, overrides, message):
    data = event_post(organisation, **overrides)
    page = errors_of(client.post(en("event_create"), data))
    assert message in page
    assert 'value="Festa dello sport"' in page
    assert not Event.objects.exists()


def test_booking_without_a_seat_limit_is_a_choice(client, staff, organisation):
    data = event_post(organisation, booking_enabled="on", unlimited="on")
    assert client.post(en("event_create"), data).status_code == 302
    event = Event.objects.get()
    assert event.booking_enabled
    assert event.capacity is None
    page = client.get(en("event_edit", slug=event.slug)).content.decode()
    assert re.search(r'<input type="checkbox" name="unlimited"[^>]* checked', page)


def test_the_place_of_an_event_belongs_to_the_organisation(
    client, coordinator, organisation
):
    elsewhere = LocationFactory(name="Sede altrui")
    page = errors_of(
        client.post(en("event_create"), event_post(organisation, elsewhere))
    )
    assert "Choose places of the organisation offering it." in page


def test_staff_edit_an_event_and_its_dates_are_recomputed(client, staff, organisation):
    event = EventFactory(organisation=organisation, rrule="FREQ=WEEKLY;COUNT=2")
    data = event_post(
        organisation,
        name="Festa spostata",
        starts_at=local_input(event.starts_at),
        ends_at=local_input(event.ends_at),
        repeat="weekly",
        repeat_count="3",
    )
    assert client.post(en("event_edit", slug=event.slug), data).status_code == 302
    event.refresh_from_db()
    assert event.name == "Festa spostata"
    assert event.last_starts_at == event.starts_at + dt.timedelta(weeks=2)


# ------------------------------------------------------------------------------
# Places
# ------------------------------------------------------------------------------


def location_post(organisation, **overrides) -> dict:
    data = {
        "organisation": organisation.pk,
        "name": "Campo sportivo",
        "address": "Viale Cavour 40",
        "postal_code": "55100",
        "city": "Lucca",
        "area": "",
        "latitude": "43.840000",
        "longitude": "10.510000",
        "accessibility": "",
        **overrides,
    }
    return data


def test_staff_add_and_edit_a_place(client, staff, organisation):
    response = client.post(en("location_create"), location_post(organisation))
    assert response.status_code == 302
    place = Location.objects.get()
    assert place.organisation == organisation
    assert "Campo sportivo" in client.get(en("locations")).content.decode()
    data = location_post(organisation, name="Campo Moriano", latitude="", longitude="")
    response = client.post(en("location_edit", pk=place.pk), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Campo Moriano"
    assert place.latitude is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"latitude": "45.4642", "longitude": "9.1900"},
            "The coordinates must lie within the city&#x27;s area.",
        ),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"latitude": ""}, "Give both latitude and longitude, or neither."),
    ],
)
def test_a_place_lies_in_the_city(client, staff, organisation, overrides, message):
    page = errors_of(
        client.post(en("location_create"), location_post(organisation, **overrides))
    )
    assert message in page
    assert 'value="Viale Cavour 40"' in page
    assert not Location.objects.exists()


# ------------------------------------------------------------------------------
# Bookings
# ------------------------------------------------------------------------------


@pytest.fixture
def booked_event(organisation):
    event = EventFactory(
        organisation=organisation,
        name="Giocare con i figli",
        booking_enabled=True,
        capacity=4,
    )
    BookingFactory(
        event=event,
        name="Giulia Rossi",
        email="giulia@example.org",
        adults=2,
        children={"3-5": 1},
        needs_childcare=True,
    )
    BookingFactory(
        event=event,
        name="Amina Benali",
        email="amina@example.org",
        status=Booking.Status.WAITING,
        children={"0-2": 1, "6-10": 2},
        interpreter_language="ar",
    )
    BookingFactory(
        event=event,
        name="=HYPERLINK(1)",
        email="terza@example.org",
        status=Booking.Status.WAITING,
        accessibility_needs="Sedia a rotelle",
    )
    BookingFactory(event=event, name="Annullata", status=Booking.Status.CANCELLED)
    return event


def test_staff_read_the_bookings_and_waiting_list(client, staff, booked_event):
    response = client.get(en("event_bookings", slug=booked_event.slug))
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "3 of 4 seats taken." in page
    assert "2 bookings on the waiting list." in page
    assert "Children 3–5 years: 1" in page
    assert page.index("Amina Benali") < page.index("=HYPERLINK(1)")
    assert "Interpreter: العربية" in page
    assert "Accessibility: Sedia a rotelle" in page
    assert "Annullata" not in page


def test_the_bookings_download_as_csv(client, staff, booked_event):
    response = client.get(en("event_bookings_csv", slug=booked_event.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="prenotazioni-{booked_event.slug}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Date",
        "Status",
        "Position in the waiting list",
        "Name",
        "E-mail",
        "Adults",
        "Children 0–2 years",
        "Children 3–5 years",
        "Children 6–10 years",
        "Children 11–13 years",
        "Children 14–17 years",
        "Childcare",
        "Accessibility needs",
        "Interpreter",
        "Booked at",
    ]
    when = timezone.localtime(booked_event.starts_at).strftime("%Y-%m-%d %H:%M")
    assert rows[1][:12] == [
        when,
        "Confirmed",
        "",
        "Giulia Rossi",
        "giulia@example.org",
        "2",
        "0",
        "1",
        "0",
        "0",
        "0",
        "yes",
    ]
    assert rows[2][1:7] == [
        "On the waiting list",
        "1",
        "Amina Benali",
        "amina@example.org",
        "1",
        "1",
    ]
    assert rows[2][8] == "2"
    assert rows[2][13] == "العربية"
    # A name that a spreadsheet would run as a formula is written as text.
    assert rows[3][2:4] == ["2", "'=HYPERLINK(1)"]
    assert rows[3][12] == "Sedia a rotelle"
    assert len(rows) == 4


# ------------------------------------------------------------------------------
# Demo data
# ------------------------------------------------------------------------------


def test_the_demo_is_idempotent_and_has_upcoming_events():
    network_demo.seed(lambda line: None)
    demo.seed(lambda line: None)
    counts = (
        Service.objects.count(),
        Event.objects.count(),
        Location.objects.count(),
        OpeningHours.objects.count(),
        Booking.objects.count(),
    )
    demo.seed(lambda line: None)
    assert counts == (
        Service.objects.count(),
        Event.objects.count(),
        Location.objects.count(),
        OpeningHours.objects.count(),
        Booking.objects.count(),
    )
    assert counts[0] >= 7
    listings_ = [*Service.objects.all(), *Event.objects.all()]
    assert all(item.is_demo for item in listings_)
    assert all("[Dati dimostrativi]" in item.description for item in listings_)
    for place in Location.objects.all():
        place.full_clean()
    readings = Event.objects.get(slug="letture-ad-alta-voce-agora")
    assert readings.rrule == "FREQ=WEEKLY;BYDAY=SA;COUNT=8"
    assert readings.last_starts_at == readings.starts_at + dt.timedelta(weeks=7)
    assert timezone.localtime(readings.starts_at).weekday() == 5
    assert Event.objects.filter(starts_at__gt=timezone.now()).count() == 4
    talk = Event.objects.get(slug="giocare-con-i-figli-incontro-bucaneve")
    assert (talk.capacity, talk.booking_enabled) == (30, True)
    doposcuola = Service.objects.get(slug="doposcuola-san-concordio")
    assert sorted(
        OpeningHours.objects.filter(
            service_at_location__service=doposcuola
        ).values_list("weekday", "opens_at", "closes_at")
    ) == [(day, dt.time(15), dt.time(18)) for day in (0, 2, 4)]
    sportello = Service.objects.get(slug="sportello-famiglie-straniere")
    assert sportello.languages == ["it", "en", "ar", "sq"]


def test_a_published_event_appears_in_search_on_the_map_and_in_the_feed(
    client, staff, organisation, place
):
    """Staff create an event through the form and publish it: families find it,
    even those whose pages the shared cache already held."""
    family = Client()
    listing_url = en("events")
    places_url = en("map_geojson")
    feed_url = en("event_feed")
    search = {"q": "aquiloni"}

    def family_sees_it() -> list[bool]:
        features = family.get(places_url).json()["features"]
        return [
            "Festa dei aquiloni" in family.get(listing_url, search).content.decode(),
            any(f["properties"]["name"] == "Festa dei aquiloni" for f in features),
            "SUMMARY:Festa dei aquiloni" in family.get(feed_url).content.decode(),
        ]

    assert family_sees_it() == [False, False, False]  # now in the page cache
    response = client.post(
        en("event_create"), event_post(organisation, place, name="Festa dei aquiloni")
    )
    assert response.status_code == 302
    event = Event.objects.get(name="Festa dei aquiloni")
    assert family_sees_it() == [False, False, False]  # a draft
    action = en("listing_action", kind="eventi", slug=event.slug)
    assert client.post(action, {"action": "publish"}).status_code == 302
    assert family_sees_it() == [True, True, True]
