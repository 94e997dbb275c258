"""Families find services: search, filters, detail page and printable flyer."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.urls import reverse
from django.utils import translation

from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.directory.models import Publishable
from retefamiglie.network.tests.factories import AreaFactory

from .factories import CategoryFactory, LocationFactory, ServiceFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


def names(response):
    return [service.name for service in response.context["page"].object_list]


@pytest.fixture
def search(client):
    def get(**params):
        response = client.get(url("services"), params)
        assert response.status_code == 200
        return names(response)

    return get


# ------------------------------------------------------------------------------
# Search and filters
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_published_services(search):
    ServiceFactory(name="Doposcuola San Concordio")
    ServiceFactory(name="Bozza segreta", status=Publishable.Status.DRAFT)
    assert search() == ["Doposcuola San Concordio"]


@pytest.mark.django_db
def test_search_by_word_in_name_summary_or_category(search):
    ServiceFactory(name="Doposcuola San Concordio")
    ServiceFactory(name="Corso di nuoto", summary="In piscina con gli istruttori.")
    ServiceFactory(
        name="Sportello",
        categories=[CategoryFactory(slug="sostegno-genitorialita")],
    )
    ServiceFactory(name="Biblioteca dei ragazzi")
    assert search(q="doposcuola") == ["Doposcuola San Concordio"]
    assert search(q="piscina") == ["Corso di nuoto"]
    assert search(q="genitorialità") == ["Sportello"]


@pytest.mark.django_db
def test_search_ignores_accents_and_case(search):
    ServiceFactory(name="Attività motorie per bambini")
    ServiceFactory(name="Ludoteca")
    assert search(q="attivita") == ["Attività motorie per bambini"]
    assert search(q="ATTIVITÀ") == ["Attività motorie per bambini"]


@pytest.mark.django_db
def test_search_needs_every_word_and_ranks_name_matches_first(search):
    ServiceFactory(name="Ludoteca", summary="Giochi e laboratori per bambini.")
    ServiceFactory(name="Laboratori creativi", summary="Per bambini e ragazzi.")
    ServiceFactory(name="Laboratori per adulti", summary="Solo adulti.")
    assert search(q="laboratori bambini") == ["Laboratori creativi", "Ludoteca"]


@postgres_only
@pytest.mark.django_db
def test_postgres_search_stems_italian_words_and_tolerates_typos(search):
    ServiceFactory(name="Piscina comunale", summary="Nuoto libero e corsi.")
    ServiceFactory(name="Ludoteca", summary="Giochi per bambini.")
    # "corso" finds "corsi" (Italian stemming); "piscna" is a typo of "piscina".
    assert search(q="corso") == ["Piscina comunale"]
    assert search(q="piscna") == ["Piscina comunale"]
    assert search(q="piscna comunle") == ["Piscina comunale"]
    assert search(q="piscna bambini") == []
    # Web search syntax: an excluded word.
    assert search(q="giochi -bambini") == []


@pytest.mark.django_db
def test_filter_by_child_age_treats_missing_bounds_as_open(search):
    ServiceFactory(name="Nido", age_min=0, age_max=3)
    ServiceFactory(name="Doposcuola", age_min=6, age_max=10)
    ServiceFactory(name="Per tutti")
    ServiceFactory(name="Dai sei anni", age_min=6)
    ServiceFactory(name="Fino a sette", age_max=7)
    assert search(eta=7) == ["Dai sei anni", "Doposcuola", "Fino a sette", "Per tutti"]
    assert search(eta=0) == ["Fino a sette", "Nido", "Per tutti"]


@pytest.mark.django_db
def test_filter_by_category_slug(search):
    ServiceFactory(name="Calcio", categories=[CategoryFactory(slug="sport-movimento")])
    ServiceFactory(
        name="Compiti", categories=[CategoryFactory(slug="sostegno-scolastico")]
    )
    assert search(categoria="sostegno-scolastico") == ["Compiti"]


@pytest.mark.django_db
def test_filter_by_area_of_a_place(search):
    centro = AreaFactory(name="Centro storico", slug="centro-storico")
    ServiceFactory(name="In centro", location__area=centro)
    ServiceFactory(name="Altrove")
    ServiceFactory(name="Senza luogo", location=False)
    assert search(zona="centro-storico") == ["In centro"]


@pytest.mark.django_db
def test_filter_free_only(search):
    ServiceFactory(name="Gratuito", is_free=True)
    ServiceFactory(name="A pagamento", cost_description="20 euro al mese")
    assert search(gratis="on") == ["Gratuito"]


@pytest.mark.django_db
def test_filter_by_language_spoken(search):
    ServiceFactory(name="Sportello arabo", languages=["it", "ar"])
    ServiceFactory(name="Solo italiano", languages=["it"])
    assert search(lingua="ar") == ["Sportello arabo"]
    assert search(lingua="it") == ["Solo italiano", "Sportello arabo"]


@pytest.mark.django_db
def test_filter_by_weekday_open(search):
    ServiceFactory(name="Sabato", weekdays=[5])
    ServiceFactory(name="Lunedì e mercoledì", weekdays=[0, 2])
    assert search(giorno=5) == ["Sabato"]
    assert search(giorno=0) == ["Lunedì e mercoledì"]
    assert search(giorno=6) == []


@pytest.mark.django_db
def test_filters_combine(search):
    area = AreaFactory(slug="san-vito", name="San Vito")
    ServiceFactory(
        name="Compiti insieme",
        is_free=True,
        age_min=6,
        age_max=14,
        location__area=area,
        summary="Aiuto con i compiti.",
    )
    ServiceFactory(
        name="Compiti a pagamento", age_min=6, age_max=14, location__area=area
    )
    ServiceFactory(name="Compiti altrove", is_free=True, age_min=6, age_max=14)
    ServiceFactory(
        name="Compiti per grandi", is_free=True, age_min=14, location__area=area
    )
    assert search(q="compiti", eta=8, zona="san-vito", gratis="on") == [
        "Compiti insieme"
    ]


@pytest.mark.django_db
def test_invalid_filter_is_ignored_not_an_error(search):
    ServiceFactory(name="Nido")
    assert search(eta="sette", giorno="9", lingua="xx") == ["Nido"]


@pytest.mark.django_db
def test_no_results_suggests_dropping_each_filter(client):
    ServiceFactory(name="Nido", age_min=0, age_max=3, is_free=False)
    response = client.get(url("services"), {"eta": 2, "gratis": "on"})
    body = response.content.decode()
    assert "No service matches all these filters" in body
    assert names(response) == []
    suggestions = {s["url"]: s["count"] for s in response.context["relaxations"]}
    # Dropping "free only" leaves ?eta=2, which finds the nursery.
    assert suggestions == {"?eta=2": 1, "?gratis=on": 0}
    assert 'href="?eta=2"' in body
    assert "Without “Free of charge only: yes”" in body


@pytest.mark.django_db
def test_pagination_keeps_the_query(client):
    for n in range(25):
        ServiceFactory(name=f"Laboratorio {n:02}", is_free=True)
    response = client.get(url("services"), {"q": "laboratorio", "gratis": "on"})
    assert len(names(response)) == 20
    body = response.content.decode()
    assert "q=laboratorio&amp;gratis=on&amp;page=2" in body
    second = client.get(
        url("services"), {"q": "laboratorio", "gratis": "on", "page": 2}
    )
    assert len(names(second)) == 5


@pytest.mark.django_db
def test_form_works_without_javascript_and_with_htmx(client):
    ServiceFactory(name="Ludoteca")
    response = client.get(url("services"))
    body = response.content.decode()
    assert re.search(r'<form method="get" action="/en/servizi/"', body)
    assert 'data-hx-get="/en/servizi/"' in body
    assert 'data-hx-push-url="true"' in body
    assert 'data-hx-target="#results"' in body
    assert " hx-get" not in body


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results_fragment(client):
    ServiceFactory(name="Ludoteca")
    response = client.get(
        url("services"), {"q": "ludoteca"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "Ludoteca" in body
    assert "<html" not in body
    assert "<form" not in body


@pytest.mark.django_db
def test_list_query_count_is_constant(client):
    area = AreaFactory()

    def make(count):
        for _ in range(count):
            ServiceFactory(
                location__area=area,
                categories=[CategoryFactory(), CategoryFactory(slug="servizi-0-6")],
            )

    assert_constant_queries(client, url("services"), make)
    assert_constant_queries(client, url("services") + "?q=servizio&eta=5", make)


# ------------------------------------------------------------------------------
# Detail page and flyer
# ------------------------------------------------------------------------------


@pytest.fixture
def service(organisation):
    area = AreaFactory(name="Sant'Anna", slug="santanna")
    place = LocationFactory(
        organisation=organisation,
        name="Centro famiglie",
        address="Via Roma 1",
        area=area,
    )
    return ServiceFactory(
        organisation=organisation,
        name="Sportello genitori",
        slug="sportello-genitori",
        summary="Ascolto e consigli per genitori.",
        eligibility="Famiglie residenti a Lucca.",
        age_min=0,
        age_max=14,
        is_free=True,
        languages=["it", "ar", "uk"],
        accessibility="Ingresso senza gradini.",
        how_to_access="Su appuntamento, per telefono.",
        phone="+39 0583 111222",
        location=place,
        weekdays=[1, 3],
    )


@pytest.mark.django_db
def test_detail_page_tells_who_what_where_and_when(client, service):
    response = client.get(url("service", slug=service.slug))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Sportello genitori",
        "From 0 to 14 years",
        "Famiglie residenti a Lucca.",
        "Free of charge.",
        "Su appuntamento, per telefono.",
        "Centro famiglie",
        "Via Roma 1",
        "Tuesday",
        "Thursday",
        "09:00–12:00",
        "العربية",
        "Українська",
        "Ingresso senza gradini.",
        "+39 0583 111222",
        "Panathlon Club Lucca",
    ]:
        assert text in body, text
    assert "Monday" not in body.split("where-title")[1].split("</section>")[0]
    assert f'href="{service.organisation.get_absolute_url()}"' in body


@pytest.mark.django_db
def test_detail_page_has_schema_org_service_json_ld(client, service):
    service.name = "Sportello </script><b>genitori</b>"
    service.save()
    body = client.get(url("service", slug=service.slug)).content.decode()
    match = re.search(
        r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>',
        body,
        re.DOTALL,
    )
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "Service"
    assert data["name"] == "Sportello </script><b>genitori</b>"
    assert data["url"] == "http://testserver/en/servizi/sportello-genitori/"
    assert data["audience"] == {
        "@type": "PeopleAudience",
        "suggestedMinAge": 0,
        "suggestedMaxAge": 14,
    }
    hours = data["availableChannel"][0]["serviceLocation"]["openingHoursSpecification"]
    assert hours[0]["dayOfWeek"] == "https://schema.org/Tuesday"
    assert "<b>genitori" not in match.group(1)


@pytest.mark.django_db
def test_organisation_not_public_is_named_without_link(client, service):
    service.organisation.is_public = False
    service.organisation.save()
    body = client.get(url("service", slug=service.slug)).content.decode()
    assert "Panathlon Club Lucca" in body
    assert f'href="{service.organisation.get_absolute_url()}"' not in body


@pytest.mark.django_db
def test_flyer_is_a4_with_a_qr_code_to_the_page(client, service):
    response = client.get(url("service_flyer", slug=service.slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'<svg role="img" aria-label="[^"]+" class="flyer-qr"', body)
    assert "<path d=" in body
    assert "http://testserver/en/servizi/sportello-genitori/" in body
    assert "Sportello genitori" in body
    assert "Tuesday 09:00–12:00" in body
    assert "/static/css/flyer.css" in body
    css = Path(finders.find("css/flyer.css")).read_text(encoding="utf-8")
    assert re.search(r"@page\s*{\s*size:\s*A4", css)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("family", 404),
        ("other_org_staff", 404),
        ("municipal_officer", 404),
        ("org_editor", 200),
        ("org_admin", 200),
        ("coordinator", 200),
    ],
)
@pytest.mark.django_db
def test_draft_is_seen_only_by_its_staff_and_coordinators(
    client, people, organisation, role, status
):
    draft = ServiceFactory(organisation=organisation, status=Publishable.Status.DRAFT)
    if people[role] is not None:
        client.force_login(people[role])
    assert client.get(url("service", slug=draft.slug)).status_code == status
    assert client.get(url("service_flyer", slug=draft.slug)).status_code == status
    if status == 200:
        body = client.get(url("service", slug=draft.slug)).content.decode()
        assert "This is a draft" in body
        assert "application/ld+json" not in body


@pytest.mark.django_db
def test_unknown_service_is_404(client):
    assert client.get(url("service", slug="nessuno")).status_code == 404
