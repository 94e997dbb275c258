"""Booking seats at events: confirmation by e-mail, waiting list, reminders."""

import datetime as dt
import io
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.directory.forms_events import BookingForm
from retefamiglie.directory.models import Booking, Event
from retefamiglie.directory.services import bookings as services
from retefamiglie.directory.services.events import (
    event_occurrences,
    event_refresh_occurrences,
    occurrence_key,
)
from retefamiglie.directory.tests.factories import BookingFactory, EventFactory

ROME = ZoneInfo("Europe/Rome")
Status = Booking.Status

pytestmark = pytest.mark.django_db


def local(days: int, hour: int = 17) -> dt.datetime:
    day = timezone.now().astimezone(ROME).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ROME)


def bookable_event(capacity: int | None = 10, days: int = 3, **kwargs) -> Event:
    starts_at = kwargs.pop("starts_at", local(days))
    event = EventFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        booking_enabled=True,
        capacity=capacity,
        **kwargs,
    )
    return event_refresh_occurrences(event=event)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def form_data(event: Event, **overrides) -> dict:
    data = {
        "occurrence": occurrence_key(event.starts_at),
        "adults": 1,
        "children_3_5": 1,
        "name": "Famiglia Bianchi",
        "email": "bianchi@example.org",
    }
    data.update(overrides)
    return data


def waiting_booking(event: Event, seats: int = 1, minutes: int = 0) -> Booking:
    return BookingFactory(
        event=event,
        occurrence=event.starts_at,
        adults=seats,
        status=Status.WAITING,
        confirmed_at=timezone.now() + dt.timedelta(minutes=minutes),
    )


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0)


# Booking, anonymous and logged in -----------------------------------------------------


def test_anonymous_booking_is_confirmed_by_the_link_in_the_email(
    client, django_capture_on_commit_callbacks
):
    event = bookable_event(name="Laboratorio di burattini")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(en("directory:book", slug=event.slug), form_data(event))

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == en("directory:booking", token=booking.token)
    assert booking.status == Status.UNCONFIRMED
    assert booking.seats == 2
    assert booking.children == {"3-5": 1}
    [message] = mail.outbox
    assert message.to == ["bianchi@example.org"]
    assert "Laboratorio di burattini" in message.subject
    confirm_link = link_in(message)
    with translation.override("it"):
        assert confirm_link == "http://127.0.0.1:8000" + reverse(
            "directory:booking_confirm", kwargs={"token": booking.token}
        )
    page = client.get(response["Location"]).content.decode()
    assert "Open the link we sent to your e-mail address" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(confirm_link.removeprefix("http://127.0.0.1:8000"))

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.confirmed_at is not None
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["bianchi@example.org"]
    assert booking.token in mail.outbox[1].body
    assert "/conferma/" not in mail.outbox[1].body


def test_opening_the_confirmation_link_twice_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    booking = BookingFactory(
        event=bookable_event(), status=Status.UNCONFIRMED, confirmed_at=None
    )
    url = en("directory:booking_confirm", token=booking.token)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
        client.get(url)

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert len(mail.outbox) == 1


def test_logged_in_family_with_verified_email_is_confirmed_at_once(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="verdi@example.org")
    client.force_login(user)
    event = bookable_event()

    page = client.get(en("directory:event", slug=event.slug))
    assert 'value="verdi@example.org"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en("directory:book", slug=event.slug),
            form_data(event, email="verdi@example.org"),
        )

    booking = Booking.objects.get()
    assert booking.status == Status.CONFIRMED
    assert booking.user == user
    [message] = mail.outbox
    assert "confirm" not in link_in(message)


def test_logged_in_family_booking_for_another_address_confirms_it_by_email(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="verdi@example.org"))
    event = bookable_event()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en("directory:book", slug=event.slug),
            form_data(event, email="altro@example.org"),
        )

    assert Booking.objects.get().status == Status.UNCONFIRMED


def test_recurring_event_books_the_chosen_date(client):
    event = bookable_event(rrule="FREQ=WEEKLY;COUNT=4")
    third = event_occurrences(event)[2]

    client.post(
        en("directory:book", slug=event.slug),
        form_data(event, occurrence=third.key),
    )

    assert Booking.objects.get().occurrence == third.starts_at


def test_a_date_that_is_not_an_occurrence_is_refused(client):
    event = bookable_event(rrule="FREQ=WEEKLY;COUNT=4")
    wrong = occurrence_key(event.starts_at + dt.timedelta(days=1))

    response = client.post(
        en("directory:book", slug=event.slug), form_data(event, occurrence=wrong)
    )

    assert response.status_code == 200
    assert "Choose one of the next dates of the event." in response.content.decode()
    assert not Booking.objects.exists()


def test_event_without_booking_has_no_form_and_refuses_posts(client):
    event = EventFactory(booking_enabled=False)

    page = client.get(en("directory:event", slug=event.slug)).content.decode()
    response = client.post(en("directory:book", slug=event.slug), form_data(event))

    assert "Book a seat" not in page
    assert response.status_code == 404


# Validation ---------------------------------------------------------------------------


def test_zero_seats_are_refused_with_a_message_and_the_typed_data_kept(client):
    event = bookable_event()

    response = client.post(
        en("directory:book", slug=event.slug),
        form_data(
            event,
            adults=0,
            children_3_5=0,
            accessibility_needs="Passeggino doppio",
        ),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Book at least one seat, for an adult or a child." in content
    assert 'value="Famiglia Bianchi"' in content
    assert 'value="bianchi@example.org"' in content
    assert 'value="Passeggino doppio"' in content
    assert "no-store" in response["Cache-Control"]
    assert not Booking.objects.exists()


def test_more_seats_than_the_event_has_are_refused(client):
    event = bookable_event(capacity=3)

    response = client.post(
        en("directory:book", slug=event.slug),
        form_data(event, adults=2, children_6_10=2),
    )

    assert "This event has 3 seats: book at most 3." in response.content.decode()
    assert not Booking.objects.exists()


def test_a_filled_in_trap_field_refuses_the_booking(client):
    event = bookable_event()
    page = client.get(en("directory:event", slug=event.slug)).content.decode()
    assert 'class="hp-field" aria-hidden="true"' in page
    assert 'name="website"' in page

    response = client.post(
        en("directory:book", slug=event.slug),
        form_data(event, website="http://spam.example"),
    )

    assert "The booking could not be sent." in response.content.decode()
    assert not Booking.objects.exists()


def test_children_are_counted_by_age_band_and_never_named():
    booking_fields = {field.name for field in Booking._meta.get_fields()}
    event = bookable_event()
    form = BookingForm(event=event, occurrences=event_occurrences(event))

    assert not any("child" in name and "name" in name for name in booking_fields)
    children_fields = [name for name in form.fields if name.startswith("children")]
    assert children_fields == [
        "children_0_2",
        "children_3_5",
        "children_6_10",
        "children_11_13",
        "children_14_17",
    ]
    assert all(
        form.fields[name].__class__.__name__ == "IntegerField"
        for name in children_fields
    )
    assert [name for name in form.fields if "name" in name] == ["name"]


# Capacity and the waiting list --------------------------------------------------------


def test_full_event_puts_the_booking_on_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    event = bookable_event(capacity=3)
    BookingFactory(event=event, occurrence=event.starts_at, adults=2)
    booking = BookingFactory(
        event=event,
        occurrence=event.starts_at,
        adults=2,
        status=Status.UNCONFIRMED,
        confirmed_at=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.get(en("directory:booking_confirm", token=booking.token))

    booking.refresh_from_db()
    assert booking.status == Status.WAITING
    page = client.get(en("directory:booking", token=booking.token)).content.decode()
    assert "you are number 1 on the waiting list" in page
    [message] = mail.outbox
    assert message.to == [booking.email]


def test_waiting_list_position_counts_who_came_first():
    event = bookable_event(capacity=1)
    BookingFactory(event=event, occurrence=event.starts_at)
    first = waiting_booking(event, minutes=1)
    second = waiting_booking(event, minutes=2)

    from retefamiglie.directory import selectors

    assert selectors.booking_waiting_position(first) == 1
    assert selectors.booking_waiting_position(second) == 2


def test_cancelling_promotes_the_next_waiting_bookings_that_fit_and_emails_them(
    client, django_capture_on_commit_callbacks
):
    event = bookable_event(capacity=4)
    leaving = BookingFactory(event=event, occurrence=event.starts_at, adults=3)
    BookingFactory(event=event, occurrence=event.starts_at, adults=1)
    too_big = waiting_booking(event, seats=4, minutes=1)
    fits = waiting_booking(event, seats=2, minutes=2)
    also_fits = waiting_booking(event, seats=1, minutes=3)
    no_room_left = waiting_booking(event, seats=1, minutes=4)

    cancel_url = en("directory:booking_cancel", token=leaving.token)
    question = client.get(cancel_url)
    assert "Yes, cancel the booking" in question.content.decode()
    assert "no-store" in question["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)

    assert response["Location"] == en("directory:booking", token=leaving.token)
    statuses = {
        b.pk: b.status
        for b in Booking.objects.filter(
            pk__in=[leaving.pk, too_big.pk, fits.pk, also_fits.pk, no_room_left.pk]
        )
    }
    assert statuses == {
        leaving.pk: Status.CANCELLED,
        too_big.pk: Status.WAITING,
        fits.pk: Status.CONFIRMED,
        also_fits.pk: Status.CONFIRMED,
        no_room_left.pk: Status.WAITING,
    }
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([leaving.email, fits.email, also_fits.email])
    assert "Cancelled" in client.get(response["Location"]).content.decode()


def test_cancelling_a_waiting_booking_promotes_nobody(
    django_capture_on_commit_callbacks,
):
    event = bookable_event(capacity=1)
    BookingFactory(event=event, occurrence=event.starts_at)
    first = waiting_booking(event, minutes=1)
    second = waiting_booking(event, minutes=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=first)

    second.refresh_from_db()
    assert second.status == Status.WAITING


def test_event_without_capacity_confirms_everyone():
    event = bookable_event(capacity=None)
    booking = BookingFactory(
        event=event,
        occurrence=event.starts_at,
        adults=50,
        status=Status.UNCONFIRMED,
        confirmed_at=None,
    )

    assert services.booking_confirm(booking=booking).status == Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_never_overbook():
    """Ten families confirm at once for five seats: five get in, five wait."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL; SQLite serialises writes")
    event = bookable_event(capacity=5)
    bookings = [
        BookingFactory(
            event=event,
            occurrence=event.starts_at,
            status=Status.UNCONFIRMED,
            confirmed_at=None,
        )
        for _ in range(10)
    ]
    barrier = threading.Barrier(len(bookings))
    errors = []

    def confirm(booking_pk: int) -> None:
        close_old_connections()
        try:
            booking = Booking.objects.get(pk=booking_pk)
            barrier.wait()
            services.booking_confirm(booking=booking)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(b.pk,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Booking.objects.values_list("status", flat=True))
    assert statuses.count(Status.CONFIRMED) == 5
    assert statuses.count(Status.WAITING) == 5


# Reminders ----------------------------------------------------------------------------


def test_reminders_go_the_day_before_once_to_confirmed_bookings(
    django_capture_on_commit_callbacks,
):
    start = dt.datetime(2030, 5, 14, 17, tzinfo=ROME)
    event = bookable_event(starts_at=start, name="Caccia al tesoro")
    confirmed = BookingFactory(event=event, occurrence=start)
    BookingFactory(event=event, occurrence=start, status=Status.WAITING)
    BookingFactory(event=event, occurrence=start, status=Status.CANCELLED)
    BookingFactory(
        event=event, occurrence=start, status=Status.UNCONFIRMED, confirmed_at=None
    )
    later = bookable_event(starts_at=start + dt.timedelta(days=1))
    BookingFactory(event=later, occurrence=later.starts_at)

    def run_periodic_at(moment: dt.datetime) -> None:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("directory_periodic", stdout=io.StringIO())

    run_periodic_at(dt.datetime(2030, 5, 12, 18, tzinfo=ROME))
    assert mail.outbox == []

    run_periodic_at(dt.datetime(2030, 5, 13, 8, tzinfo=ROME))
    run_periodic_at(dt.datetime(2030, 5, 13, 9, tzinfo=ROME))

    [message] = mail.outbox
    assert message.to == [confirmed.email]
    assert "Caccia al tesoro" in message.subject
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None


# The private link ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["booking", "booking_confirm", "booking_cancel"])
def test_wrong_token_is_not_found(client, name):
    BookingFactory()

    assert (
        client.get(en(f"directory:{name}", token="not-a-real-token")).status_code == 404
    )


def test_booking_page_shows_the_booking_and_is_never_cached(client):
    booking = BookingFactory(
        event=bookable_event(name="Teatro dei ragazzi"),
        adults=2,
        children={"0-2": 1, "11-13": 2},
        needs_childcare=True,
    )

    response = client.get(en("directory:booking", token=booking.token))

    content = response.content.decode()
    assert "Teatro dei ragazzi" in content
    assert "Confirmed" in content
    assert "0–2 years" in content
    assert "11–13 years" in content
    assert "Cancel the booking" in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_past_booking_cannot_be_cancelled(client):
    start = local(-2)
    booking = BookingFactory(event=bookable_event(starts_at=start), occurrence=start)

    response = client.post(en("directory:booking_cancel", token=booking.token))

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert response.status_code == 302


def test_too_many_bookings_with_one_address_are_refused_and_the_form_kept(client):
    from retefamiglie.directory.views.events import BOOKINGS_PER_EMAIL_PER_DAY

    event = bookable_event(capacity=None)
    url = en("directory:book", slug=event.slug)
    for _number in range(BOOKINGS_PER_EMAIL_PER_DAY):
        client.post(url, form_data(event))
    response = client.post(url, form_data(event, name="Famiglia Ultima"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many bookings have been made today" in html
    assert 'value="Famiglia Ultima"' in html
    assert Booking.objects.filter(event=event).count() == BOOKINGS_PER_EMAIL_PER_DAY
