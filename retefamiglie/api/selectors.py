"""Reads behind the HSDS API: what is public, loaded in a fixed number of queries.

Only published services are public; an organisation is public when it shows in
the member directory, when one of its published services points to it, or when
it is a provider the catalogue holds without it being a member (see
``catalogue_only``).
"""

from datetime import datetime
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from retefamiglie.directory.models import (
    Category,
    Location,
    Publishable,
    Service,
    ServiceAtLocation,
)
from retefamiglie.directory.selectors import published_services, search_services
from retefamiglie.network.models import Organisation

from .hsds import TAXONOMY_ID


def _places() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.select_related(
        "location__organisation", "location__area"
    ).prefetch_related("opening_hours")


def with_hsds_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """What ``hsds.service_to_hsds(full=True)`` reads, in four queries."""
    return queryset.select_related("organisation").prefetch_related(
        "categories",
        Prefetch(
            "service_at_locations", queryset=_places().order_by("location__name", "pk")
        ),
    )


def services(
    *,
    search: str | None = None,
    category: Category | None = None,
    organisation_id: UUID | None = None,
    modified_after: datetime | None = None,
    postcode: str | None = None,
) -> QuerySet[Service]:
    """Published services matching every given filter, best match first.

    ``category`` matches its sub-categories too, as on the site.
    """
    queryset = search_services(q=search or None, category=category)
    if organisation_id is not None:
        queryset = queryset.filter(organisation__hsds_id=organisation_id)
    if modified_after is not None:
        queryset = queryset.filter(updated_at__gte=modified_after)
    if postcode:
        queryset = queryset.filter(
            Exists(
                ServiceAtLocation.objects.filter(
                    service=OuterRef("pk"), location__postal_code=postcode
                )
            )
        )
    return queryset


def service(hsds_id: UUID) -> Service | None:
    return with_hsds_details(published_services()).filter(hsds_id=hsds_id).first()


def services_at_locations(
    *,
    search: str | None = None,
    category: Category | None = None,
    organisation_id: UUID | None = None,
    modified_after: datetime | None = None,
    postcode: str | None = None,
) -> QuerySet[ServiceAtLocation]:
    """Published services at their places, by service name then place."""
    matching = services(
        search=search,
        category=category,
        organisation_id=organisation_id,
        modified_after=modified_after,
        postcode=None,
    )
    queryset = _places().filter(service__in=matching.values("pk"))
    if postcode:
        queryset = queryset.filter(location__postal_code=postcode)
    return queryset.select_related("service__organisation").order_by(
        "service__name", "location__name", "pk"
    )


def service_at_location(hsds_id: UUID) -> ServiceAtLocation | None:
    return (
        _places()
        .select_related("service__organisation")
        .filter(hsds_id=hsds_id, service__status=Publishable.Status.PUBLISHED)
        .first()
    )


def catalogue_only() -> Q:
    """Organisations the catalogue holds that are not members of the network:
    providers, as an HSDS import brings them in (``importer``). A single
    citizen who chose not to be listed is never one, nor is a member kept out
    of the directory."""
    return Q(status=Organisation.Status.PROVIDER)


def organisations(*, search: str | None = None) -> QuerySet[Organisation]:
    """Public organisations by name; ``search`` looks in name and description."""
    has_service = Exists(
        Service.objects.filter(
            organisation=OuterRef("pk"), status=Publishable.Status.PUBLISHED
        )
    )
    queryset = Organisation.objects.filter(
        Q(
            is_public=True,
            status__in=[Organisation.Status.ACTIVE, Organisation.Status.LEFT],
        )
        | Q(has_service)
        | catalogue_only()
    )
    if search:
        for word in search.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(description__icontains=word)
            )
    return queryset.order_by("name", "pk")


def with_organisation_details(
    queryset: QuerySet[Organisation], *, full_services: bool = False
) -> QuerySet[Organisation]:
    """Places and published services of each organisation, prefetched."""
    published = published_services().order_by("name", "pk")
    if full_services:
        published = with_hsds_details(published)
    else:
        published = published.select_related("organisation")
    return queryset.prefetch_related(
        Prefetch(
            "locations",
            queryset=Location.objects.select_related("organisation", "area").order_by(
                "name", "pk"
            ),
        ),
        Prefetch("services", queryset=published, to_attr="published_services"),
    )


def organisation(hsds_id: UUID, *, full_services: bool = False) -> Organisation | None:
    return (
        with_organisation_details(organisations(), full_services=full_services)
        .filter(hsds_id=hsds_id)
        .first()
    )


def taxonomy_terms(
    *,
    search: str | None = None,
    taxonomy_id: UUID | None = None,
    top_only: bool = False,
    parent: UUID | None = None,
) -> QuerySet[Category]:
    """The categories as taxonomy terms, with their parent's id."""
    queryset = Category.objects.select_related("parent")
    if taxonomy_id is not None and taxonomy_id != TAXONOMY_ID:
        return queryset.none()
    if search:
        for word in search.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_en__icontains=word)
                | Q(description__icontains=word)
            )
    if top_only:
        queryset = queryset.filter(parent__isnull=True)
    if parent is not None:
        queryset = queryset.filter(parent__hsds_id=parent)
    return queryset.order_by("order", "name", "pk")


def category(hsds_id: UUID) -> Category | None:
    return Category.objects.select_related("parent").filter(hsds_id=hsds_id).first()
