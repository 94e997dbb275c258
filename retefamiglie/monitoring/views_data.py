"""Open data (/dati/): the catalogue page, its DCAT-AP_IT metadata, and the
downloads this app serves (events as CSV, indicators per period as CSV)."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from retefamiglie.directory.models import Category, Event, Location

from . import catalogue, downloads, selectors
from .dashboard import Labels
from .indicators import AREA, indicator
from .models import CITY
from .periods import Period
from .sections.common import area_labels

JSONLD_CONTEXT = {
    "dcatapit": str(catalogue.DCATAPIT),
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def _root(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    datasets = [
        {
            "dataset": dataset,
            "modified": dataset.modified(),
            "records": dataset.records(),
        }
        for dataset in catalogue.all_datasets()
    ]
    return render(
        request,
        "monitoring/catalogue.html",
        {
            "datasets": datasets,
            "licence_url": catalogue.LICENCE_URL,
            "licence_name": catalogue.LICENCE_NAME,
        },
    )


@require_GET
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    graph = catalogue.dcat_graph(root=_root(request))
    body = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=1)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def catalogue_rdf(request: HttpRequest) -> HttpResponse:
    graph = catalogue.dcat_graph(root=_root(request))
    body = graph.serialize(format="pretty-xml")
    response = HttpResponse(body, content_type="application/rdf+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


# ------------------------------------------------------------------------------
# Events as CSV
# ------------------------------------------------------------------------------

EVENT_COLUMNS = [
    "id",
    "name",
    "organisation",
    "summary",
    "starts_at",
    "ends_at",
    "recurrence_rule",
    "last_starts_at",
    "place",
    "address",
    "area",
    "categories",
    "age_min",
    "age_max",
    "free",
    "cost",
    "languages",
    "booking",
    "url",
]


def _events_version() -> str:
    events = Event.objects.filter(status=Event.Status.PUBLISHED).aggregate(
        count=Count("pk"), last=Max("updated_at")
    )
    places = Location.objects.aggregate(last=Max("updated_at"))["last"]
    categories = Category.objects.aggregate(count=Count("pk"))["count"]
    return f"{events['count']}:{events['last']}:{places}:{categories}"


def _event_rows(root: str) -> Iterator[list[Any]]:
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .select_related("organisation", "location__area")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("slug"))
        )
        .order_by("starts_at", "pk")
    )
    for event in events.iterator(chunk_size=1000):
        location = event.location
        yield [
            event.slug,
            event.name,
            event.organisation.name,
            event.summary,
            timezone.localtime(event.starts_at).isoformat(),
            timezone.localtime(event.ends_at).isoformat(),
            event.rrule,
            timezone.localtime(event.last_starts_at).isoformat()
            if event.last_starts_at
            else "",
            location.name if location else "",
            location.address if location else "",
            location.area.name if location and location.area else "",
            " ".join(sorted(c.slug for c in event.categories.all())),
            "" if event.age_min is None else event.age_min,
            "" if event.age_max is None else event.age_max,
            "yes" if event.is_free else "no",
            event.cost_description,
            " ".join(event.languages or []),
            "yes" if event.booking_enabled else "no",
            f"{root}{event.get_absolute_url()}",
        ]


@require_GET
def events_csv(request: HttpRequest) -> HttpResponseBase:
    root = _root(request)
    return downloads.csv_download(
        request,
        name="eventi",
        version=f"{root}:{_events_version()}",
        header=EVENT_COLUMNS,
        rows=lambda: _event_rows(root),
    )


# ------------------------------------------------------------------------------
# Indicators as CSV
# ------------------------------------------------------------------------------

INDICATOR_COLUMNS = [
    "indicator",
    "period",
    "period_start",
    "period_end",
    "area",
    "area_name",
    "breakdown",
    "value",
    "value_name",
    "figure",
    "withheld",
]


def _indicator_rows(key: str, period: Period) -> Iterable[list[Any]]:
    found = indicator(key)
    if found is None:
        return
    labels = Labels()
    areas = labels.of(AREA, area_labels)
    dimensions = {d.key: d for d in found.dimensions}
    start, end = period.start.date().isoformat(), period.end.date().isoformat()
    for snapshot in selectors.snapshots_of(period_keys=[period.key]):
        figures = snapshot.data.get("indicators", {}).get(key)
        if figures is None:
            continue
        scope = snapshot.area
        common = [
            key,
            period.key,
            start,
            end,
            scope,
            areas.get(scope, scope) if scope != CITY else "",
        ]
        total = figures.get("total")
        yield [
            *common,
            "",
            "",
            "",
            "" if total is None else total,
            "yes"
            if total is None and not (found.median and figures.get("n") == 0)
            else "no",
        ]
        for dimension, cells in figures.get("breakdowns", {}).items():
            if dimension == AREA:
                names = areas
            elif dimension in dimensions:
                names = labels.of(dimension, dimensions[dimension].labels)
            else:
                continue
            for value, figure in cells.items():
                yield [
                    *common,
                    dimension,
                    value,
                    names.get(value, value),
                    "" if figure is None else figure,
                    "yes" if figure is None else "no",
                ]


@require_GET
def indicator_csv(request: HttpRequest, key: str, period: str) -> HttpResponseBase:
    chosen = Period.from_key(period)
    if chosen is None or indicator(key) is None:
        raise Http404
    computed = selectors.snapshot_for(period=chosen)
    if computed is None:
        raise Http404
    return downloads.csv_download(
        request,
        name=f"indicatore-{key}-{chosen.key}",
        version=f"{computed.computed_at.isoformat()}:{get_language()}",
        header=INDICATOR_COLUMNS,
        rows=lambda: list(_indicator_rows(key, chosen)),
    )
