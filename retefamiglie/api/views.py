"""The HSDS 3.0 read API, its OpenAPI document, schemas and documentation page.

Open data: anonymous, read-only, any origin may read it (CORS ``*``). Errors
answer JSON ``{"detail": …}``: 400 for a parameter that cannot be read or
applied, 404 for an id that names nothing public.
"""

import math
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from retefamiglie.core import pagecache
from retefamiglie.core.forms import EARLIEST_DATE, LATEST_DATE
from retefamiglie.core.pagecache import cache_public_page
from retefamiglie.monitoring import downloads

from . import datapackage, hsds, openapi, selectors

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
TRUE = ("true", "1")
FALSE = ("false", "0")


class BadParameterError(Exception):
    """A query parameter the API cannot read or apply; its message says which."""


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found(message: str = "Not found.") -> JsonResponse:
    return _json({"detail": message}, status=404)


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET only; a ``BadParameterError`` becomes a JSON 400; a dict becomes JSON.

    Answers are the same for every client: they come from the shared page cache
    (core.pagecache) until the catalogue changes.
    """

    # No cookies, no writes: an unsafe method is a 405 from require_GET, not
    # the CSRF failure page.
    @csrf_exempt
    @require_GET
    @cache_public_page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            # A NUL character cannot reach PostgreSQL: refuse it up front.
            if any("\x00" in value for value in request.GET.values()):
                raise BadParameterError("Parameters must not contain NUL characters.")
            result = view(request, *args, **kwargs)
        except BadParameterError as error:
            return _json({"detail": str(error)}, status=400)
        if isinstance(result, HttpResponse):
            result["Access-Control-Allow-Origin"] = "*"
            return result
        return _json(result)

    return wrapper


# ------------------------------------------------------------------------------
# Query parameters
# ------------------------------------------------------------------------------


def _given(request: HttpRequest, name: str) -> str | None:
    """A typed parameter's value, None if absent: given empty, it is no value of
    its type (the OpenAPI document says which), and refused."""
    if name not in request.GET:
        return None
    value = request.GET[name].strip()
    if not value:
        raise BadParameterError(f"{name}: empty; leave it out or give a value.")
    return value


def _boolean(request: HttpRequest, name: str) -> bool:
    value = (_given(request, name) or "").lower()
    if value in ("", *FALSE):
        return False
    if value in TRUE:
        return True
    raise BadParameterError(f"{name}: expected true or false.")


def _positive_int(request: HttpRequest, name: str, default: int) -> int:
    value = _given(request, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadParameterError(f"{name}: expected a whole number.") from None
    if number < 1:
        raise BadParameterError(f"{name}: must be 1 or more.")
    return number


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    value = _given(request, name)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameterError(f"{name}: expected a UUID.") from None


def _moment(request: HttpRequest, name: str) -> datetime | None:
    value = _given(request, name)
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.combine(day, datetime.min.time())
    if moment is None:
        raise BadParameterError(f"{name}: expected an ISO 8601 date or date and time.")
    # Out of the calendar's bounds, the nearest bound filters the same.
    if moment.date() < EARLIEST_DATE:
        return datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC)
    if moment.date() > LATEST_DATE:
        return datetime.combine(LATEST_DATE, time.max, tzinfo=UTC)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _format(request: HttpRequest) -> None:
    if request.GET.get("format", "json") != "json":
        raise BadParameterError("format: only json is available.")


def _category(request: HttpRequest):
    term_id = _uuid(request, "taxonomy_term_id")
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id is not None and taxonomy_id != hsds.TAXONOMY_ID:
        return None, True
    if term_id is None:
        return None, False
    category = selectors.category(term_id)
    return category, category is None


def _service_filters(request: HttpRequest) -> tuple[dict[str, Any], bool]:
    """The filters of /services and /service_at_locations; True: nothing matches."""
    _format(request)
    category, nothing = _category(request)
    # ``proximity`` needs a postcode's centroid, which the site does not know:
    # it is accepted and ignored, and the postcode alone selects the places.
    return {
        "search": request.GET.get("search", "").strip() or None,
        "category": category,
        "organisation_id": _uuid(request, "organization_id"),
        "modified_after": _moment(request, "modified_after"),
        "postcode": request.GET.get("postcode", "").strip() or None,
    }, nothing


# ------------------------------------------------------------------------------
# Paging
# ------------------------------------------------------------------------------


def paginate(
    request: HttpRequest,
    items: QuerySet | Sequence[Any],
    serialise: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """An HSDS ``Page`` of ``items``: counts, flags and the page's contents."""
    page = _positive_int(request, "page", 1)
    per_page = min(_positive_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = _count(items) if isinstance(items, QuerySet) else len(items)
    total_pages = max(1, math.ceil(total / per_page))
    # Past the last page nothing is read: a huge offset would overflow SQL.
    start = (page - 1) * per_page
    rows = list(items[start : start + per_page]) if page <= total_pages else []
    contents = [serialise(row) for row in rows]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _count(items: QuerySet) -> int:
    """The number of ``items``, kept until the catalogue changes (ADR 20).

    The API's filters name no time ("now"), so the same query counts the same
    rows until an edit renews the version: at 100,000 services the count of an
    unfiltered list read every row of the table.
    """
    try:
        sql, params = items.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing: no query at all
        return 0
    return pagecache.versioned(f"hsds-count:{sql}:{params!r}", items.count)


def _path_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# ------------------------------------------------------------------------------
# Endpoints
# ------------------------------------------------------------------------------


@api_view
def root(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": hsds.HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/v3.0/",
        "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
    }


@api_view
def service_list(request: HttpRequest) -> dict[str, Any]:
    filters, nothing = _service_filters(request)
    minimal = _boolean(request, "minimal")
    full = _boolean(request, "full")
    queryset = selectors.services(**filters)
    if nothing:
        queryset = queryset.none()
    if minimal:
        return paginate(request, queryset, hsds.minimal_service_to_hsds)
    if full:
        queryset = selectors.with_hsds_details(queryset)
        return paginate(request, queryset, hsds.service_to_hsds)
    return paginate(
        request,
        queryset.select_related("organisation"),
        lambda service: hsds.service_to_hsds(service, full=False),
    )


@api_view
def service_detail(request: HttpRequest, id: str) -> Any:
    hsds_id = _path_uuid(id)
    service = selectors.service(hsds_id) if hsds_id else None
    if service is None:
        return _not_found("No published service has this id.")
    return hsds.service_to_hsds(service)


@api_view
def service_at_location_list(request: HttpRequest) -> dict[str, Any]:
    filters, nothing = _service_filters(request)
    full = _boolean(request, "full")
    queryset = selectors.services_at_locations(**filters)
    if nothing:
        queryset = queryset.none()
    return paginate(
        request,
        queryset,
        lambda at: hsds.service_at_location_to_hsds(at, full=full),
    )


@api_view
def service_at_location_detail(request: HttpRequest, id: str) -> Any:
    hsds_id = _path_uuid(id)
    at = selectors.service_at_location(hsds_id) if hsds_id else None
    if at is None:
        return _not_found("No published service at a place has this id.")
    return hsds.service_at_location_to_hsds(at)


def _organization(organisation, *, full: bool, full_service: bool) -> dict[str, Any]:
    services = [
        hsds.service_to_hsds(service, full=full_service)
        for service in organisation.published_services
    ]
    return hsds.organization_to_hsds(
        organisation,
        full=full,
        locations=list(organisation.locations.all()),
        services=services,
    )


@api_view
def organization_list(request: HttpRequest) -> dict[str, Any]:
    _format(request)
    full = _boolean(request, "full")
    full_service = _boolean(request, "full_service")
    queryset = selectors.organisations(search=request.GET.get("search", "").strip())
    if not (full or full_service):
        return paginate(
            request,
            queryset,
            lambda organisation: hsds.organization_to_hsds(organisation, full=False),
        )
    queryset = selectors.with_organisation_details(queryset, full_services=full_service)
    return paginate(
        request,
        queryset,
        lambda organisation: _organization(
            organisation, full=True, full_service=full_service
        ),
    )


@api_view
def organization_detail(request: HttpRequest, id: str) -> Any:
    full_service = _boolean(request, "full_service")
    hsds_id = _path_uuid(id)
    organisation = (
        selectors.organisation(hsds_id, full_services=full_service) if hsds_id else None
    )
    if organisation is None:
        return _not_found("No public organization has this id.")
    return _organization(organisation, full=True, full_service=full_service)


@api_view
def taxonomy_list(request: HttpRequest) -> dict[str, Any]:
    _format(request)
    words = request.GET.get("search", "").strip().casefold().split()
    taxonomy = hsds.taxonomy_to_hsds()
    text = f"{taxonomy['name']} {taxonomy['description']}".casefold()
    matches = [taxonomy] if all(word in text for word in words) else []
    return paginate(request, matches, lambda item: item)


@api_view
def taxonomy_detail(request: HttpRequest, id: str) -> Any:
    if _path_uuid(id) != hsds.TAXONOMY_ID:
        return _not_found("No taxonomy has this id.")
    return hsds.taxonomy_to_hsds()


@api_view
def taxonomy_term_list(request: HttpRequest) -> dict[str, Any]:
    _format(request)
    queryset = selectors.taxonomy_terms(
        search=request.GET.get("search", "").strip(),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        top_only=_boolean(request, "top_only"),
        parent=_uuid(request, "parent_id"),
    )
    return paginate(request, queryset, hsds.taxonomy_term_to_hsds)


@api_view
def taxonomy_term_detail(request: HttpRequest, id: str) -> Any:
    hsds_id = _path_uuid(id)
    category = selectors.category(hsds_id) if hsds_id else None
    if category is None:
        return _not_found("No taxonomy term has this id.")
    return hsds.taxonomy_term_to_hsds(category)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other URL under the API: a JSON 404, not the site's HTML page."""
    return _not_found("No such endpoint; see /api/openapi.json.")


# ------------------------------------------------------------------------------
# OpenAPI document, schemas, documentation
# ------------------------------------------------------------------------------


def _site_root(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@api_view
def openapi_document(request: HttpRequest) -> dict[str, Any]:
    return openapi.document(
        site_root=_site_root(request),
        network_name=settings.RETEFAMIGLIE["NETWORK_NAME"],
    )


@api_view
def schema(request: HttpRequest, name: str) -> Any:
    content = openapi.schema_bytes(name)
    if content is None:
        return _not_found("No such schema.")
    return HttpResponse(content, content_type="application/schema+json")


def _parameters(document: dict[str, Any], operation: dict[str, Any], path_item):
    shared = document.get("components", {}).get("parameters", {})
    parameters = []
    for parameter in [
        *path_item.get("parameters", []),
        *operation.get("parameters", []),
    ]:
        ref = parameter.get("$ref", "")
        resolved = {**shared.get(ref.rsplit("/", 1)[-1], {}), **parameter}
        resolved.pop("$ref", None)
        parameters.append(resolved)
    return parameters


def _examples() -> dict[str, str]:
    """An id for each detail endpoint, so its example link answers."""
    examples = {"/taxonomies/{id}": str(hsds.TAXONOMY_ID)}
    if (service := selectors.services().first()) is not None:
        examples["/services/{id}"] = str(service.hsds_id)
        examples["/organizations/{id}"] = str(service.organisation.hsds_id)
    if (at := selectors.services_at_locations().first()) is not None:
        examples["/service_at_locations/{id}"] = str(at.hsds_id)
    if (term := selectors.taxonomy_terms().first()) is not None:
        examples["/taxonomy_terms/{id}"] = str(term.hsds_id)
    return examples


def docs(request: HttpRequest) -> HttpResponse:
    """The API explained on one page: endpoints, parameters, examples, licence."""
    document = openapi.document(
        site_root=_site_root(request),
        network_name=settings.RETEFAMIGLIE["NETWORK_NAME"],
    )
    base = reverse("api:root").rstrip("/")
    examples = _examples()
    endpoints = []
    for path, path_item in document["paths"].items():
        operation = path_item.get("get")
        if operation is None:
            continue
        example = path
        if "{id}" in path:
            example = (
                path.replace("{id}", examples.get(path, "")) if path in examples else ""
            )
        endpoints.append(
            {
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": _parameters(document, operation, path_item),
                "example": base + example if example else "",
            }
        )
    return render(
        request,
        "api/docs.html",
        {
            "endpoints": endpoints,
            "base": base,
            "openapi_url": reverse("api:openapi"),
            "max_per_page": MAX_PER_PAGE,
            "default_per_page": DEFAULT_PER_PAGE,
            "taxonomy_id": hsds.TAXONOMY_ID,
        },
    )


# The CSV data package ---------------------------------------------------------------


@require_GET
def datapackage_descriptor(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        datapackage.descriptor(root=_site_root(request)),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def datapackage_table(request: HttpRequest, name: str) -> HttpResponseBase:
    table = next(
        (t for t in datapackage.TABLES if datapackage.file_name(t) == f"{name}.csv"),
        None,
    )
    if table is None:
        raise Http404
    return downloads.csv_download(
        request,
        name=f"hsds-{name}",
        version=f"{_site_root(request)}:{datapackage.version()}",
        header=list(datapackage.columns()[table]),
        rows=lambda: datapackage.table_rows(table),
    )
