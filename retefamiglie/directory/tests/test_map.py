"""The map of services and events: GeoJSON data and a page that works without JS."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from retefamiglie.core.testing import assert_constant_queries
from retefamiglie.directory.models import Publishable
from retefamiglie.network.tests.factories import AreaFactory

from .factories import EventFactory, LocationFactory, ServiceFactory


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


def geojson(client, **params):
    response = client.get(url("map_geojson"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return response.json()


@pytest.mark.django_db
def test_geojson_is_a_feature_collection_with_longitude_first(client):
    place = LocationFactory(
        latitude=Decimal("43.843100"), longitude=Decimal("10.505200")
    )
    ServiceFactory(name="Ludoteca", slug="ludoteca", location=place)
    EventFactory(name="Festa al parco")
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    assert set(by_name) == {"Ludoteca", "Festa al parco"}
    ludoteca = by_name["Ludoteca"]
    assert ludoteca["type"] == "Feature"
    assert ludoteca["geometry"] == {"type": "Point", "coordinates": [10.5052, 43.8431]}
    assert ludoteca["properties"]["kind"] == "service"
    assert ludoteca["properties"]["url"] == "/en/servizi/ludoteca/"
    assert by_name["Festa al parco"]["properties"]["kind"] == "event"
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 10.38 <= lon <= 10.62
        assert 43.76 <= lat <= 43.93


@pytest.mark.django_db
def test_geojson_leaves_out_drafts_past_events_and_places_without_coordinates(client):
    ServiceFactory(name="Bozza", status=Publishable.Status.DRAFT)
    ServiceFactory(
        name="Senza coordinate", location=LocationFactory(latitude=None, longitude=None)
    )
    yesterday = timezone.now() - dt.timedelta(days=1)
    EventFactory(
        name="Ieri", starts_at=yesterday, ends_at=yesterday + dt.timedelta(hours=2)
    )
    EventFactory(name="Evento in bozza", status=Publishable.Status.DRAFT)
    ServiceFactory(name="Visibile")
    names = [f["properties"]["name"] for f in geojson(client)["features"]]
    assert names == ["Visibile"]


@pytest.mark.django_db
def test_geojson_accepts_the_search_filters(client):
    area = AreaFactory(slug="arancio", name="Arancio")
    ServiceFactory(name="Nido", age_min=0, age_max=3, location__area=area)
    ServiceFactory(name="Doposcuola", age_min=6, age_max=12, location__area=area)
    EventFactory(name="Teatro per piccoli", age_min=2, age_max=5)
    EventFactory(name="Torneo", age_min=10, age_max=14)
    names = {f["properties"]["name"] for f in geojson(client, eta=3)["features"]}
    assert names == {"Nido", "Teatro per piccoli"}
    names = {
        f["properties"]["name"] for f in geojson(client, zona="arancio")["features"]
    }
    assert names == {"Nido", "Doposcuola"}
    names = {f["properties"]["name"] for f in geojson(client, q="teatro")["features"]}
    assert names == {"Teatro per piccoli"}


@pytest.mark.django_db
def test_map_page_has_a_named_map_and_a_list_that_needs_no_javascript(client, settings):
    settings.RETEFAMIGLIE = {
        **settings.RETEFAMIGLIE,
        "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    }
    ServiceFactory(name="Ludoteca", location__name="Villa Bottini")
    EventFactory(name="Festa al parco")
    response = client.get(url("map"))
    assert response.status_code == 200
    body = response.content.decode()
    map_tag = re.search(r'<div id="map"[^>]*>', body).group(0)
    assert 'role="region"' in map_tag
    assert 'aria-label="Map of services and events"' in map_tag
    assert 'data-geojson-url="/en/mappa/dati.geojson"' in map_tag
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in map_tag
    assert 'data-centre="43.8429,10.5027"' in map_tag
    assert "/static/leaflet/leaflet.js" in body
    assert re.search(r'<script type="module" src="/static/js/map.js" nonce="', body)
    # The accessible list: every place, without tiles or scripts.
    assert "Ludoteca" in body
    assert "Villa Bottini" in body
    assert "Festa al parco" in body
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT17:00:00\+0[12]00">', body)
    assert " style=" not in body
    assert " hx-" not in body


@pytest.mark.django_db
def test_map_filters_keep_the_query_for_the_data_and_htmx_swaps_the_list(client):
    ServiceFactory(name="Gratuito", is_free=True)
    ServiceFactory(name="A pagamento")
    response = client.get(url("map"), {"gratis": "on"})
    body = response.content.decode()
    assert 'data-geojson-url="/en/mappa/dati.geojson?gratis=on"' in body
    assert "Gratuito" in body
    assert "A pagamento" not in body
    fragment = client.get(
        url("map"), {"gratis": "on"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="places"')
    assert "<html" not in fragment


@pytest.mark.django_db
def test_map_and_data_query_counts_are_constant(client):
    def make(count):
        for _ in range(count):
            ServiceFactory()
            EventFactory()

    assert_constant_queries(client, url("map"), make)
    assert_constant_queries(client, url("map_geojson"), make)


@pytest.mark.django_db
def test_a_weekly_event_shows_its_next_date_not_its_first(client):
    # The fourth date ended an hour ago; the fifth is next.
    first = timezone.now().replace(microsecond=0) - dt.timedelta(days=21, hours=2)
    EventFactory(
        name="Letture del giovedì",
        starts_at=first,
        ends_at=first + dt.timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=10",
    )
    next_date = first + dt.timedelta(days=28)
    (feature,) = [
        f for f in geojson(client)["features"] if f["properties"]["kind"] == "event"
    ]
    assert dt.datetime.fromisoformat(feature["properties"]["starts_at"]) == next_date
    page = client.get(url("map")).content.decode()
    local = timezone.localtime(next_date).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'<time datetime="{local}">' in page
