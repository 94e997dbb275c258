"""A family finds a service and an event, books, cancels, and the waiting list
moves; every page is checked with axe-core and the Nu Html Checker."""

import datetime
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from retefamiglie.directory.models import Booking
from retefamiglie.directory.tests.factories import (
    CategoryFactory,
    EventFactory,
    ServiceFactory,
)
from retefamiglie.network.tests.factories import AreaFactory

from .helpers import field_label

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_family_finds_books_cancels_and_the_waiting_list_moves(
    page, audit, mailoutbox
):
    area = AreaFactory(name="San Concordio", slug="san-concordio")
    school = CategoryFactory(slug="sostegno-scolastico")
    ServiceFactory(
        name="Doposcuola dell'oratorio",
        summary="Aiuto con i compiti tre pomeriggi a settimana.",
        categories=[school],
        age_min=6,
        age_max=13,
        is_free=True,
        location__area=area,
    )
    ServiceFactory(name="Doposcuola per ragazzi grandi", age_min=14, age_max=17)
    start = timezone.localtime() + datetime.timedelta(days=5)
    start = start.replace(hour=17, minute=0, second=0, microsecond=0)
    event = EventFactory(
        name="Il gioco tra genitori e figli",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=3,
        booking_enabled=True,
    )

    # Search "doposcuola" for a 7-year-old in San Concordio.
    page.goto("/en/servizi/")
    audit()
    page.get_by_label(field_label("What are you looking for?")).fill("doposcuola")
    page.get_by_label(field_label("Age of the child (years)")).fill("7")
    page.get_by_label(field_label("Area")).select_option(label=area.name)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"eta=7"))
    expect(page.get_by_role("link", name="Doposcuola dell'oratorio")).to_be_visible()
    expect(page.get_by_text("Doposcuola per ragazzi grandi")).to_have_count(0)
    audit()

    # Open the service and print its flyer.
    page.get_by_role("link", name="Doposcuola dell'oratorio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Doposcuola dell'oratorio"
    )
    audit()
    page.get_by_role("link", name="Printable flyer").click()
    expect(page.locator("svg").first).to_be_visible()
    audit()

    # Find the event and book two seats.
    page.goto("/en/eventi/")
    audit()
    page.get_by_role("link", name=event.name).first.click()
    audit()
    page.get_by_label(field_label("Adults")).fill("2")
    page.get_by_label(field_label("Name for the booking")).fill("Famiglia Rossi")
    page.get_by_label(field_label("E-mail address")).fill("rossi@example.org")
    page.get_by_role("button", name="Book").click()
    audit()

    # The e-mail confirms it.
    message = next(m for m in mailoutbox if "rossi@example.org" in m.to)
    confirm = re.search(r"https?://\S+/conferma/", message.body).group(0)
    # The link points at SITE_URL; open the same path on the test server.
    page.goto(urlsplit(confirm).path)
    expect(page.locator(".alert[role=status]")).to_contain_text(
        re.compile("Confirmed|Confermata")
    )
    audit()
    # The e-mail's link is in Italian; the family goes on in English.
    booking_url = "/en" + urlsplit(page.url).path

    # Another family books two seats: only one is left, so it waits.
    other = Booking.objects.create(
        event=event,
        occurrence=event.starts_at,
        name="Famiglia Verdi",
        email="verdi@example.org",
        adults=2,
        status=Booking.Status.WAITING,
        confirmed_at=timezone.now(),
    )
    mail.outbox.clear()

    # The first family cancels; the waiting family is promoted and told.
    page.goto(booking_url)
    page.get_by_role("link", name="Cancel the booking").click()
    audit()
    page.get_by_role("button", name="Yes, cancel the booking").click()
    expect(page.locator(".alert[role=status]")).to_contain_text(
        re.compile("cancelled|annullata", re.IGNORECASE)
    )
    audit()
    other.refresh_from_db()
    assert other.status == Booking.Status.CONFIRMED
    assert any("verdi@example.org" in m.to for m in mail.outbox)


PUBLIC_PAGES = ["/servizi/", "/eventi/", "/eventi/?vista=calendario", "/mappa/"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_directory_pages_with_the_demo_are_accessible(page, audit, prefix):
    call_command("seed_demo", stdout=StringIO())
    for path in PUBLIC_PAGES:
        response = page.goto(prefix + path)
        assert response is not None
        assert response.status == 200, path
        audit()
    # A service page of the demo, and its flyer.
    page.goto(prefix + "/servizi/")
    page.locator("main h2 a, main h3 a").first.click()
    audit()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_open_data_docs_page_is_accessible(page, audit):
    response = page.goto("/api/docs/")
    assert response is not None
    assert response.status == 200
    audit()
