"""The filter forms of /servizi/, /mappa/ and /eventi/ are rendered once per
language, catalogue version and values sent, then served from the pages cache
(core_tags.same_for_everyone, ADR 28): what the visitor sees must not change."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from retefamiglie.core.templatetags import core_tags
from retefamiglie.directory.models import Category
from retefamiglie.network.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()


def url(name: str, language: str = "it") -> str:
    with translation.override(language):
        return reverse(f"directory:{name}")


def form_of(page: str, action: str) -> str:
    start = page.index(f'<form method="get" action="{action}"')
    return page[start : page.index("</form>", start)]


def selected(form: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', form, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


@pytest.mark.parametrize("name", ["services", "map", "events"])
def test_the_cached_form_is_the_form_the_page_renders(client, monkeypatch, name):
    AreaFactory(name="Sant'Anna", slug="santanna")
    params = {"zona": "santanna", "eta": "7"}
    cached = form_of(client.get(url(name), params).content.decode(), url(name))
    again = form_of(client.get(url(name), params).content.decode(), url(name))
    monkeypatch.setattr(
        core_tags._SameForEveryoneNode,
        "render",
        lambda self, context: self.nodelist.render(context),
    )
    rendered = form_of(client.get(url(name), params).content.decode(), url(name))
    assert cached == again == rendered
    assert selected(rendered, "zona") == ["santanna"]


def test_each_choice_sent_gets_its_own_form(client):
    AreaFactory(name="Sant'Anna", slug="santanna")
    AreaFactory(name="San Vito", slug="san-vito")
    first = form_of(
        client.get(url("services"), {"zona": "santanna"}).content.decode(),
        url("services"),
    )
    second = form_of(
        client.get(url("services"), {"zona": "san-vito"}).content.decode(),
        url("services"),
    )
    plain = form_of(client.get(url("services")).content.decode(), url("services"))
    assert selected(first, "zona") == ["santanna"]
    assert selected(second, "zona") == ["san-vito"]
    assert selected(plain, "zona") == [""]


def test_each_language_gets_its_own_form(client):
    italian = form_of(client.get(url("events")).content.decode(), url("events"))
    english = form_of(
        client.get(url("events", "en")).content.decode(), url("events", "en")
    )
    assert "Tutte le categorie" in italian
    assert "All categories" in english
    assert "Tutte le categorie" not in english


def test_a_wrong_value_shows_its_error_every_time(client):
    for _ in range(2):
        page = client.get(url("events"), {"eta": "cento"}).content.decode()
        assert "Inserisci un numero intero." in form_of(page, url("events"))
    clean = form_of(client.get(url("events")).content.decode(), url("events"))
    assert "Inserisci un numero intero." not in clean


def test_a_new_category_shows_in_the_next_form(client):
    before = form_of(client.get(url("services")).content.decode(), url("services"))
    Category.objects.create(
        slug="musica-per-piccoli", name="Musica per piccoli", order=99
    )
    after = form_of(client.get(url("services")).content.decode(), url("services"))
    assert "Musica per piccoli" not in before
    assert "Musica per piccoli" in after
