"""The cards of /servizi/ and /eventi/ are rendered once per language, catalogue
version and item, then served from the pages cache to every visitor
(core_tags.same_for_everyone_each, ADR 30): what the visitor sees must not change,
and an edit shows on the next page."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.core.templatetags import core_tags
from retefamiglie.directory.models import Service
from retefamiglie.directory.services.events import event_refresh_occurrences

from .factories import EventFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()


def url(name: str, language: str = "it") -> str:
    with translation.override(language):
        return reverse(f"directory:{name}")


def results_of(page: str) -> str:
    start = page.index('<div id="results">')
    return page[start : page.index("</main>", start)]


def uncached(monkeypatch) -> None:
    """Render every card afresh, as before ADR 30."""

    def render(self, context):
        items = self.items.resolve(context) or []
        out = []
        for item in items:
            with context.push(**{self.variable: item}):
                out.append(self.nodelist.render(context))
        return "".join(out)

    monkeypatch.setattr(core_tags._SameForEveryoneEachNode, "render", render)


@pytest.mark.parametrize("name", ["services", "events"])
def test_cached_cards_are_the_cards_the_page_renders(client, monkeypatch, name):
    for number in range(3):
        ServiceFactory(name=f"Ludoteca {number}", is_free=True)
        EventFactory(name=f"Laboratorio {number}", is_free=True)
    first = results_of(client.get(url(name)).content.decode())
    again = results_of(client.get(url(name)).content.decode())
    uncached(monkeypatch)
    fresh = results_of(client.get(url(name)).content.decode())
    assert first == again == fresh
    kind = "Ludoteca" if name == "services" else "Laboratorio"
    assert all(f"{kind} {number}" in first for number in range(3))


def test_an_edited_service_shows_its_new_name_on_the_next_page(client):
    service = ServiceFactory(name="Ludoteca del sabato")
    assert "Ludoteca del sabato" in client.get(url("services")).content.decode()
    service.name = "Ludoteca della domenica"
    service.save()
    page = client.get(url("services")).content.decode()
    assert "Ludoteca della domenica" in page
    assert "Ludoteca del sabato" not in page


def test_a_renamed_organisation_shows_on_every_card(client):
    service = ServiceFactory(name="Ludoteca")
    client.get(url("services"))
    organisation = service.organisation
    organisation.name = "Associazione Nuova"
    organisation.save()
    assert "Associazione Nuova" in client.get(url("services")).content.decode()


def test_each_language_gets_its_own_cards(client):
    ServiceFactory(name="Ludoteca", is_free=True)
    italian = results_of(client.get(url("services")).content.decode())
    english = results_of(client.get(url("services", "en")).content.decode())
    assert "Gratuito" in italian
    assert "Free" in english
    assert "Gratuito" not in english


def test_a_service_unpublished_leaves_the_results(client):
    kept = ServiceFactory(name="Ludoteca aperta")
    gone = ServiceFactory(name="Ludoteca chiusa")
    client.get(url("services"))
    Service.objects.filter(pk=gone.pk).update(status=Service.Status.DRAFT)
    gone.refresh_from_db()
    gone.save()  # an edit through the app, as the management pages do
    page = client.get(url("services")).content.decode()
    assert kept.name in page
    assert "Ludoteca chiusa" not in page


def test_a_moved_event_shows_its_new_time(client):
    starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    starts_at = starts_at.replace(hour=15, minute=0)
    event = EventFactory(
        name="Laboratorio di lettura",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
    )
    client.get(url("events"))
    event.starts_at = starts_at + dt.timedelta(minutes=30)
    event.ends_at = event.starts_at + dt.timedelta(hours=1)
    event.save()
    event_refresh_occurrences(event=event)
    page = results_of(client.get(url("events")).content.decode())
    local = timezone.localtime(event.starts_at)
    assert f">{local:%H:%M}</time>" in page
    assert f">{timezone.localtime(starts_at):%H:%M}</time>" not in page


def test_cards_are_the_same_for_a_logged_in_family(client, django_user_model):
    ServiceFactory(name="Ludoteca")
    anonymous = results_of(client.get(url("services")).content.decode())
    family = django_user_model.objects.create_user(
        email="famiglia@example.org", password="x"
    )
    client.force_login(family)
    assert results_of(client.get(url("services")).content.decode()) == anonymous


@pytest.mark.parametrize("name", ["services", "events"])
def test_kept_cards_read_no_details(client, settings, name):
    """Rendered once, a page's cards cost no query of organisations, places or
    categories on the next visit (the page cache off, as for a family)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    for number in range(3):
        ServiceFactory(name=f"Ludoteca {number}")
        EventFactory(
            name=f"Laboratorio {number}",
            starts_at=timezone.now() + dt.timedelta(days=number + 1, hours=1),
        )

    def tables_read() -> str:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url(name)).content.decode()
        assert ("Ludoteca 2" if name == "services" else "Laboratorio 2") in page
        return " ".join(query["sql"] for query in queries.captured_queries)

    first = tables_read()
    second = tables_read()
    assert '"network_organisation"' in first
    assert '"network_organisation"' not in second
    assert "_categories" in first  # the cards' categories
    assert "_categories" not in second
