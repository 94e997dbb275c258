"""What keeps the public catalogue fast, as families see it.

Anonymous pages come from the shared page cache (core.pagecache) yet never show
an edit late; broad searches count up to a cap; on PostgreSQL misspelt names are
looked for only when the words as typed find less than a page.
"""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.directory.models import Category, Publishable
from retefamiglie.directory.search import TYPO_FALLBACK_BELOW
from retefamiglie.directory.views import services as service_views

from .factories import EventFactory, ServiceFactory


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


def get(client, path, params=None, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def found(client, **params) -> list[str]:
    response = client.get(en("services"), params)
    return [service.name for service in response.context["page"].object_list]


# ------------------------------------------------------------------------------
# The page cache never shows an edit late
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_repeated_search_is_served_without_the_database(client):
    ServiceFactory(name="Ludoteca del sabato")
    _, first_queries = get(client, en("services"), {"q": "ludoteca"})
    again, again_queries = get(client, en("services"), {"q": "ludoteca"})
    assert "Ludoteca del sabato" in again
    assert first_queries > 0
    assert again_queries == 0


@pytest.mark.django_db
def test_published_and_unpublished_services_show_at_once(client, people, organisation):
    ServiceFactory(name="Ludoteca del sabato")
    page, _ = get(client, en("services"), {"q": "ludoteca"})
    assert "Ludoteca della domenica" not in page
    staff = people["org_editor"]
    service = ServiceFactory(
        name="Ludoteca della domenica",
        organisation=organisation,
        status=Publishable.Status.DRAFT,
    )
    assert "Ludoteca della domenica" not in get(client, en("services"))[0]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    action = en("listing_action", kind="servizi", slug=service.slug)
    assert client.post(action, {"action": "publish"}).status_code == 302
    client.logout()
    assert "Ludoteca della domenica" in get(client, en("services"))[0]
    client.force_login(staff)
    client.post(action, {"action": "unpublish"})
    client.logout()
    assert "Ludoteca della domenica" not in get(client, en("services"))[0]


@pytest.mark.django_db
def test_renaming_a_category_renews_the_cards_that_show_it(client):
    category = Category.objects.get(slug="sport-movimento")
    ServiceFactory(name="Minivolley", categories=[category])
    italian = reverse("directory:services")
    assert "Sport e movimento" in get(client, italian)[0]
    category.name = "Sport per tutti"
    category.save()
    assert "Sport per tutti" in get(client, italian)[0]


@pytest.mark.django_db
def test_the_full_page_and_the_htmx_fragment_do_not_mix(client):
    ServiceFactory(name="Ludoteca del sabato")
    fragment, _ = get(client, en("services"), {"q": "ludoteca"}, HX_Request="true")
    page, _ = get(client, en("services"), {"q": "ludoteca"})
    fragment_again, _ = get(
        client, en("services"), {"q": "ludoteca"}, HX_Request="true"
    )
    assert "<html" not in fragment
    assert "<html" in page
    assert "<html" not in fragment_again
    response = client.get(en("services"), {"q": "ludoteca"})
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_an_event_over_leaves_the_list_though_nothing_was_edited(client):
    start = timezone.now() + dt.timedelta(hours=1)
    EventFactory(
        name="Letture in biblioteca",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    assert "Letture in biblioteca" in get(client, en("events"))[0]
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        assert "Letture in biblioteca" not in get(client, en("events"))[0]


@pytest.mark.django_db
def test_the_event_page_with_its_booking_form_is_never_shared(client):
    event = EventFactory(name="Gioco e genitori", capacity=10)
    _, first_queries = get(client, event.get_absolute_url())
    _, again_queries = get(client, event.get_absolute_url())
    assert again_queries > 0
    assert first_queries > 0


# ------------------------------------------------------------------------------
# Broad searches count up to a cap
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_broad_search_says_more_than_the_cap(client, monkeypatch):
    monkeypatch.setattr(service_views, "COUNT_CAP", 3)
    monkeypatch.setattr(service_views, "PAGE_SIZE", 2)
    for number in range(5):
        ServiceFactory(name=f"Ludoteca {number}")
    response = client.get(en("services"), {"q": "ludoteca"})
    page = response.context["page"]
    assert page.paginator.capped
    assert page.paginator.num_pages == 2
    assert "More than 3 services found" in response.content.decode()
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.django_db
def test_a_search_under_the_cap_says_exactly_how_many(client, monkeypatch):
    monkeypatch.setattr(service_views, "COUNT_CAP", 3)
    for number in range(3):
        ServiceFactory(name=f"Ludoteca {number}")
    response = client.get(en("services"), {"q": "ludoteca"})
    assert not response.context["page"].paginator.capped
    assert "3 services found" in response.content.decode()
    assert "More than" not in response.content.decode()


@pytest.mark.django_db
def test_italian_page_says_more_than_in_italian(client, monkeypatch):
    monkeypatch.setattr(service_views, "COUNT_CAP", 1)
    ServiceFactory(name="Ludoteca uno")
    ServiceFactory(name="Ludoteca due")
    html = client.get(reverse("directory:services"), {"q": "ludoteca"}).content
    assert "Più di 1 servizi trovati" in html.decode()


# ------------------------------------------------------------------------------
# Typo tolerance on PostgreSQL: a fallback when the words find little
# ------------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


@postgres_only
@pytest.mark.django_db
def test_a_misspelt_search_still_finds_the_name(client):
    ServiceFactory(name="Ludoteca Bucaneve", summary="Giochi al chiuso.")
    assert found(client, q="ludoteka") == ["Ludoteca Bucaneve"]


@postgres_only
@pytest.mark.django_db
def test_names_like_the_words_join_only_a_search_that_finds_little(client):
    # "doposcula" (a letter missing) has another stem than "doposcuola": only
    # the typo path (trigram similarity of the name) finds it.
    ServiceFactory(name="Doposcula riuniti", summary="Compiti insieme.")
    for number in range(TYPO_FALLBACK_BELOW - 1):
        ServiceFactory(name=f"Doposcuola {number:02}", summary="Compiti insieme.")
    few = client.get(en("services"), {"q": "doposcuola"}).context["page"]
    # A full first page, the typo match included.
    assert few.paginator.count == TYPO_FALLBACK_BELOW
    assert "Doposcula riuniti" in names_of(few)
    ServiceFactory(name="Doposcuola 99", summary="Compiti insieme.")
    many = client.get(en("services"), {"q": "doposcuola"}).context["page"]
    assert many.paginator.count == TYPO_FALLBACK_BELOW
    assert "Doposcula riuniti" not in names_of(many)


def names_of(page) -> list[str]:
    return list(page.paginator.object_list.values_list("name", flat=True))


@pytest.mark.django_db
def test_event_dates_renew_the_pages_once_not_once_per_date(client, monkeypatch):
    from retefamiglie.core import pagecache

    event = EventFactory(name="Letture del giovedì", rrule="FREQ=WEEKLY;COUNT=12")
    assert event.occurrences.count() == 12
    bumps = []
    monkeypatch.setattr(pagecache, "bump", lambda: bumps.append(1))
    event.occurrences.all().delete()  # derived rows alone: no renewal
    assert bumps == []
    event.delete()
    assert bumps  # the event's own deletion renews the pages


@pytest.mark.django_db
def test_a_booking_leaves_the_cached_catalogue_alone(client):
    from .factories import BookingFactory

    event = EventFactory(name="Gioco e genitori", capacity=10)
    ServiceFactory(name="Ludoteca del sabato")
    get(client, en("services"))
    BookingFactory(event=event)
    _, queries = get(client, en("services"))
    assert queries == 0
