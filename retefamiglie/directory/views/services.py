"""Public pages of services, their flyer and the map of services and events."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from retefamiglie.core.pagecache import CardLoader, cache_public_page
from retefamiglie.core.pagination import CappedPaginator, ranked_page
from retefamiglie.core.vocabularies import Language

from .. import selectors
from ..forms_search import ServiceSearchForm
from ..models import Publishable, Service, Weekday
from . import query_string

PAGE_SIZE = 20
# Past this many matches the list says "more than" and counts no further.
COUNT_CAP = 1000
MAP_LIST_SIZE = 50
# The map draws at most this many markers of each kind.
MAP_FEATURE_LIMIT = 1000


def _search(request) -> tuple[ServiceSearchForm, dict]:
    form = ServiceSearchForm(request.GET or None)
    # Age 0 and Monday (0) are real filters; only None and False mean "any".
    return form, {
        key: value
        for key, value in form.filters().items()
        if value is not None and value is not False
    }


# Filter argument → query parameter of ServiceSearchForm.
PARAMETERS = {
    "q": "q",
    "category": "categoria",
    "age": "eta",
    "area": "zona",
    "language": "lingua",
    "weekday": "giorno",
    "free": "gratis",
}


def _filter_value(key: str, value) -> str:
    if key == "category":
        return value.label
    if key == "area":
        return value.name
    if key == "language":
        return str(Language(value).label)
    if key == "weekday":
        return str(Weekday(value).label)
    if key == "free":
        return _("yes")
    return str(value)


def _relaxations(request, form: ServiceSearchForm, filters: dict) -> list[dict]:
    """For a search with no result: each active filter, dropped, and what remains.

    Runs one count per active filter, only on pages that found nothing.
    """
    suggestions = []
    for key in filters:
        others = {name: value for name, value in filters.items() if name != key}
        parameter = PARAMETERS[key]
        suggestions.append(
            {
                "label": form[parameter].label,
                "value": _filter_value(key, filters[key]),
                "url": "?" + query_string(request, parameter, "page"),
                "count": selectors.search_services(**others).count(),
            }
        )
    return suggestions


@require_GET
@cache_public_page
def service_list(request):
    form, filters = _search(request)
    # The keys of a page of results; the cards not kept read their rows (ADR 30).
    results = selectors.search_services(**filters)
    number = request.GET.get("page")
    if filters.get("q"):  # ranked: counted as the ranking reads every match
        page = ranked_page(results, number, per_page=PAGE_SIZE, cap=COUNT_CAP)
    else:  # in name order, read from an index: no more than a page
        page = CappedPaginator(results.only("pk"), PAGE_SIZE, cap=COUNT_CAP).get_page(
            number
        )
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "query": query_string(request, "page"),
        "load_cards": CardLoader(page.object_list, selectors.services_for_cards),
        "relaxations": (
            _relaxations(request, form, filters)
            if filters and not page.object_list
            else []
        ),
    }
    template = "directory/services/list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def _visible_service(request, slug: str) -> Service:
    """A published service, or a draft its staff and coordinators may preview."""
    service = get_object_or_404(selectors.service_for_detail(), slug=slug)
    if service.status != Publishable.Status.PUBLISHED and not request.user.has_perm(
        "directory.change_listing", service
    ):
        raise Http404
    return service


def _organisation_link(service: Service) -> str:
    organisation = service.organisation
    return organisation.get_absolute_url() if organisation.has_public_profile else ""


@require_GET
@cache_public_page
def service_detail(request, slug):
    service = _visible_service(request, slug)
    return render(
        request,
        "directory/services/detail.html",
        {
            "service": service,
            "organisation_url": _organisation_link(service),
            "is_draft": service.status != Publishable.Status.PUBLISHED,
        },
    )


@require_GET
@cache_public_page
def service_flyer(request, slug):
    service = _visible_service(request, slug)
    return render(
        request,
        "directory/services/flyer.html",
        {
            "service": service,
            "page_url": request.build_absolute_uri(service.get_absolute_url()),
        },
    )


# ------------------------------------------------------------------------------
# Map
# ------------------------------------------------------------------------------


@require_GET
@cache_public_page
def map_page(request):
    form, filters = _search(request)
    services = selectors.with_list_details(selectors.search_services(**filters))
    events = selectors.upcoming_events(**filters)
    query = query_string(request, "page")
    map_settings = settings.RETEFAMIGLIE
    context = {
        "form": form,
        "services": services[:MAP_LIST_SIZE],
        "service_count": services.count(),
        "events": events[:MAP_LIST_SIZE],
        "event_count": events.count(),
        "query": query,
        "geojson_url": reverse("directory:map_geojson")
        + (f"?{query}" if query else ""),
        "tile_url": map_settings["MAP_TILE_URL"],
        "tile_attribution": map_settings["MAP_TILE_ATTRIBUTION"],
        "centre": ",".join(str(c) for c in map_settings["MAP_CENTRE"]),
    }
    template = "directory/map.html"
    if request.htmx:
        template += "#places"
    return render(request, template, context)


def _feature(*, latitude, longitude, properties: dict) -> dict:
    return {
        "type": "Feature",
        # GeoJSON (RFC 7946) orders positions longitude first.
        "geometry": {
            "type": "Point",
            "coordinates": [float(longitude), float(latitude)],
        },
        "properties": properties,
    }


@require_GET
@cache_public_page
def map_geojson(request):
    _form, filters = _search(request)
    features = [
        _feature(
            latitude=at.location.latitude,
            longitude=at.location.longitude,
            properties={
                "kind": "service",
                "name": at.service.name,
                "summary": at.service.summary,
                "url": at.service.get_absolute_url(),
                "place": str(at.location),
            },
        )
        for at in selectors.map_service_places(selectors.search_services(**filters))[
            :MAP_FEATURE_LIMIT
        ]
    ]
    events = selectors.upcoming_events(**filters).filter(
        location__latitude__isnull=False, location__longitude__isnull=False
    )
    features += [
        _feature(
            latitude=event.location.latitude,  # type: ignore[union-attr]
            longitude=event.location.longitude,  # type: ignore[union-attr]
            properties={
                "kind": "event",
                "name": event.name,
                "summary": event.summary,
                "url": event.get_absolute_url(),
                "place": str(event.location),
                "starts_at": event.next_starts_at.isoformat(),  # type: ignore[attr-defined]
            },
        )
        for event in events[:MAP_FEATURE_LIMIT]
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
