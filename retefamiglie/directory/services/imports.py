"""Writes of an import from another catalogue (Open Referral HSDS: api.importer).

Objects are matched by their HSDS id (``hsds_id``): each write creates the
object, updates it, or leaves it alone when nothing changed (and then saves
nothing), and says which (``CREATED``, ``UPDATED``, ``UNCHANGED``). Every object
is ``full_clean()``-ed before it is saved; a ValidationError is for the caller,
whose savepoint undoes the whole record. A write of one statement takes no
savepoint of its own (the import holds one per record, and one statement is
atomic anyway); a write of several is atomic. There is no actor: an operator runs an
import from the command line, and what it brings in is a provider's, which
coordinators keep (listings.py).
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model

from retefamiglie.core.slugs import unique_slug
from retefamiglie.network.models import Organisation

from ..models import Category, Location, OpeningHours, Service, ServiceAtLocation

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _save_by_hsds_id[M: Model](
    model: type[M],
    existing: M | None,
    hsds_id: uuid.UUID,
    values: dict[str, Any],
    *,
    on_create: Callable[[], dict[str, Any]] | None = None,
    changed: bool = False,
) -> tuple[M, str]:
    """Create the ``model`` row with ``hsds_id``, or update ``existing`` (the
    row with it, which the caller looked up), validated.

        ``on_create``: values only a new row takes (its slug, its status), asked
        for only when the row is new. ``changed``: a relation the caller compares
        (categories, opening hours) differs, so the row counts as updated.
    """
    obj = existing
    if obj is None:
        extra = on_create() if on_create else {}
        obj, action = model(hsds_id=hsds_id, **values, **extra), CREATED
    else:
        changed = changed or any(getattr(obj, k) != v for k, v in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        action = UPDATED if changed else UNCHANGED
    if action != UNCHANGED:
        obj.full_clean()
        obj.save()
    return obj, action


def imported_organisation_save(
    *, hsds_id: uuid.UUID, values: dict[str, Any]
) -> tuple[Organisation, str]:
    """An organisation of the imported data, new or updated with ``values``.

    A new one is a provider: a third-sector association that is no member of
    the network (only signing the pact makes one), left out of the public
    member directory, whose contacts stay public as its source published them.
    An update keeps the status, type, slug and flags a coordinator chose.
    """
    return _save_by_hsds_id(
        Organisation,
        Organisation.objects.filter(hsds_id=hsds_id).first(),
        hsds_id,
        values,
        on_create=lambda: {
            "type": Organisation.Type.THIRD_SECTOR,
            "slug": unique_slug(Organisation, values["name"], fallback="hsds"),
            "is_public": False,
            "status": Organisation.Status.PROVIDER,
            "show_contacts": True,
        },
    )


def imported_location_save(
    *, hsds_id: uuid.UUID, values: dict[str, Any]
) -> tuple[Location, str]:
    """A place of the imported data (its ``organisation`` among ``values``)."""
    existing = Location.objects.filter(hsds_id=hsds_id).first()
    return _save_by_hsds_id(Location, existing, hsds_id, values)


def imported_category_save(
    *, hsds_id: uuid.UUID, values: dict[str, Any], new_slug: Callable[[], str]
) -> tuple[Category, str]:
    """A category from a taxonomy term; ``new_slug`` names a new one (a slug,
    once made, is kept: links use it)."""
    existing = Category.objects.filter(hsds_id=hsds_id).first()
    return _save_by_hsds_id(
        Category, existing, hsds_id, values, on_create=lambda: {"slug": new_slug()}
    )


@transaction.atomic
def imported_service_save(
    *,
    hsds_id: uuid.UUID,
    values: dict[str, Any],
    categories: list[Category] | None,
) -> tuple[Service, str]:
    """A service of the imported data; ``categories`` replace its own unless
    None (the data said nothing of them). A new service's slug is made from
    its name."""
    existing = Service.objects.filter(hsds_id=hsds_id).first()
    categories_changed = (
        existing is not None
        and categories is not None
        and set(existing.categories.all()) != set(categories)
    )
    service, action = _save_by_hsds_id(
        Service,
        existing,
        hsds_id,
        values,
        on_create=lambda: {
            "slug": unique_slug(Service, values.get("name", ""), fallback="hsds")
        },
        changed=categories_changed,
    )
    if categories is not None:
        service.categories.set(categories)
    return service, action


def imported_places_keep(*, service: Service, hsds_ids: Iterable[uuid.UUID]) -> None:
    """Remove the places of ``service`` the imported data no longer lists."""
    service.service_at_locations.exclude(hsds_id__in=list(hsds_ids)).delete()


def imported_place_save(
    *,
    hsds_id: uuid.UUID,
    values: dict[str, Any],
    hours: set[tuple[int, dt.time, dt.time]],
) -> tuple[ServiceAtLocation, str, bool]:
    """A place where a service is given, with its weekly ``hours`` (weekday,
    opens, closes).

    Returns the place, what happened to it and whether its hours are to be
    written anew (it is new, or its hours changed): then the caller replaces
    them, hour by hour, with ``opening_hours_clear``/``opening_hours_add``.
    """
    existing = ServiceAtLocation.objects.filter(hsds_id=hsds_id).first()
    hours_changed = existing is not None and set(
        existing.opening_hours.values_list("weekday", "opens_at", "closes_at")
    ) != set(hours)
    place, action = _save_by_hsds_id(
        ServiceAtLocation, existing, hsds_id, values, changed=hours_changed
    )
    return place, action, existing is None or hours_changed


def opening_hours_clear(*, place: ServiceAtLocation) -> None:
    """Remove every opening time of a place."""
    place.opening_hours.all().delete()


def opening_hours_add(
    *, place: ServiceAtLocation, weekday: int, opens_at: dt.time, closes_at: dt.time
) -> OpeningHours:
    """One weekly opening time of a place, validated (it closes after opening)."""
    hours = OpeningHours(
        service_at_location=place,
        weekday=weekday,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    hours.full_clean()
    hours.save()
    return hours
