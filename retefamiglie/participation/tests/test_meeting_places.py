"""A meeting held at one of the network's places, or at a place written by hand
(ADR 26)."""

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from retefamiglie.network.models import Location, Organisation
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory
from retefamiglie.participation.models import Meeting

from .factories import MeetingFactory, PhaseFactory

pytestmark = pytest.mark.django_db


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def library(organisation):
    return Location.objects.create(
        organisation=organisation,
        name="Biblioteca Agorà",
        address="Piazza dei Servi 1",
        postal_code="55100",
        city="Lucca",
        area=AreaFactory(name="Centro storico", slug="centro"),
        latitude=Decimal("43.843200"),
        longitude=Decimal("10.505100"),
    )


def meeting_post(**extra) -> dict:
    start = timezone.localtime() + datetime.timedelta(days=10)
    return {
        "title": "Incontro sui cortili",
        "summary": "Parliamo dei cortili.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "agenda": "",
        **extra,
    }


def test_the_staff_form_offers_the_places_of_active_members(client, people, library):
    PhaseFactory()
    gone = OrganisationFactory(status=Organisation.Status.LEFT)
    Location.objects.create(organisation=gone, name="Sede chiusa", address="Via 1")
    client.force_login(with_mfa(people["coordinator"]))
    html = client.get(reverse("participation:manage_meeting_create")).content.decode()
    assert "Biblioteca Agorà — Piazza dei Servi 1 (Panathlon Club Lucca)" in html
    assert "Sede chiusa" not in html


def test_a_meeting_at_a_place_of_the_network_shows_its_address_and_map(
    client, people, library
):
    PhaseFactory()
    client.force_login(with_mfa(people["coordinator"]))
    response = client.post(
        reverse("participation:manage_meeting_create"),
        meeting_post(location=library.pk, place="Sala 2"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert meeting.location == library
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save()

    client.logout()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Biblioteca Agorà · Sala 2, Piazza dei Servi 1, 55100 Lucca" in html
    assert "(Centro storico)" in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=43.843200&amp;mlon=10.505100' in html
    )
    listing = client.get(reverse("participation:meetings")).content.decode()
    assert "Biblioteca Agorà" in listing
    ics = Calendar.from_ical(
        client.get(reverse("participation:meeting_ics", args=[meeting.slug])).content
    )
    event = next(iter(ics.walk("VEVENT")))
    assert str(event["location"]) == (
        "Biblioteca Agorà, Sala 2, Piazza dei Servi 1, 55100 Lucca"
    )


def test_free_text_still_works_and_maps_the_address(client):
    meeting = MeetingFactory(place="Parrocchia di San Vito", address="Via Roma 3")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Parrocchia di San Vito, Via Roma 3" in html
    assert 'href="https://www.openstreetmap.org/search?query=Via+Roma+3"' in html


def test_an_in_person_meeting_needs_a_place_or_a_place_of_the_network(
    client, people, library
):
    PhaseFactory()
    client.force_login(with_mfa(people["coordinator"]))
    response = client.post(
        reverse("participation:manage_meeting_create"), meeting_post()
    )
    assert response.status_code == 400
    assert "scegli un luogo della rete o scrivilo" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meetings_list_keeps_its_query_count_with_places(client, library):
    from retefamiglie.core.testing import count_queries

    url = reverse("participation:meetings")
    MeetingFactory.create_batch(3, location=library)
    few = count_queries(client, url)
    MeetingFactory.create_batch(6, location=library)
    assert count_queries(client, url) == few


def test_a_deleted_place_leaves_the_meeting_with_its_text(library):
    meeting = MeetingFactory(location=library, place="Sala 2")
    library.delete()
    meeting.refresh_from_db()
    assert meeting.location is None
    assert meeting.where == "Sala 2"
