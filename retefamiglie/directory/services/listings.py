"""Writes on services, events and places by member organisations and coordinators.

Views check rules.py first (who may change which listing); these functions check
what the data must satisfy, whoever asks. A listing's slug is made once, from its
name, and kept when the name changes: printed flyers and shared links use it.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.core.slugs import unique_slug
from retefamiglie.network.models import Organisation

from ..models import (
    Category,
    Event,
    Location,
    OpeningHours,
    Publishable,
    Service,
    ServiceAtLocation,
)
from ..rules import is_manager
from .events import event_refresh_occurrences
from .imports import opening_hours_add

Listing = Service | Event

# Fields of a listing its organisation edits (not status, featured, slug).
COMMON_FIELDS = (
    "organisation",
    "name",
    "summary",
    "description",
    "age_min",
    "age_max",
    "eligibility",
    "is_free",
    "cost_description",
    "languages",
    "accessibility",
    "email",
    "phone",
    "url",
)
SERVICE_FIELDS = (*COMMON_FIELDS, "how_to_access")
EVENT_FIELDS = (
    *COMMON_FIELDS,
    "location",
    "starts_at",
    "ends_at",
    "rrule",
    "capacity",
    "booking_enabled",
)
LOCATION_FIELDS = (
    "organisation",
    "name",
    "address",
    "postal_code",
    "city",
    "area",
    "latitude",
    "longitude",
    "accessibility",
)


def _check_active(organisation: Organisation, actor: User) -> None:
    """Active members publish; a provider's services, since it has no staff,
    are kept by coordinators."""
    if organisation.status == Organisation.Status.ACTIVE:
        return
    if not (organisation.status == Organisation.Status.PROVIDER and is_manager(actor)):
        raise ValidationError(
            {
                "organisation": _(
                    "Only active members of the network publish services and events."
                )
            }
        )


def _assign(instance: Model, allowed: tuple[str, ...], fields: dict) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _save(instance: Service | Event) -> None:
    if not instance.slug:
        instance.slug = unique_slug(type(instance), instance.name)
    instance.full_clean()
    instance.save()


def _set_places(
    service: Service,
    places: Iterable[Location],
    opening_hours: Iterable[tuple[Location, int, dt.time, dt.time]],
) -> None:
    hours = list(opening_hours)
    wanted = {place.pk: place for place in places}
    # A place given opening hours is a place of the service.
    wanted.update({place.pk: place for place, *_rest in hours})
    for place in wanted.values():
        if place.organisation_id != service.organisation_id:
            raise ValidationError(
                {"locations": _("Choose places of the organisation offering it.")}
            )
    service.service_at_locations.exclude(location_id__in=wanted).delete()
    existing = {
        at.location_id: at
        for at in service.service_at_locations.filter(location_id__in=wanted)
    }
    for pk, place in wanted.items():
        if pk not in existing:
            existing[pk] = ServiceAtLocation.objects.create(
                service=service, location=place
            )
    OpeningHours.objects.filter(service_at_location__service=service).delete()
    for place, weekday, opens_at, closes_at in hours:
        opening_hours_add(
            place=existing[place.pk],
            weekday=weekday,
            opens_at=opens_at,
            closes_at=closes_at,
        )


@transaction.atomic
def service_save(
    *,
    actor: User,
    service: Service | None = None,
    categories: Iterable[Category],
    places: Iterable[Location] = (),
    opening_hours: Iterable[tuple[Location, int, dt.time, dt.time]] = (),
    **fields: Any,
) -> Service:
    """Create (``service`` None, as a draft) or update a service.

    Preconditions: the actor may change the service and offers it on behalf of
    ``organisation`` (rules.py); the organisation is active, or a provider and
    the actor a coordinator; places belong to it.
    ``opening_hours`` are (place, weekday, opens, closes) and replace the old ones.
    """
    service = service or Service()
    _assign(service, SERVICE_FIELDS, fields)
    _check_active(service.organisation, actor)
    _save(service)
    service.categories.set(categories)
    _set_places(service, places, opening_hours)
    return service


@transaction.atomic
def event_save(
    *,
    actor: User,
    event: Event | None = None,
    categories: Iterable[Category],
    **fields: Any,
) -> Event:
    """Create (``event`` None, as a draft) or update an event.

    Preconditions: as for a service; the place, if any, belongs to the
    organisation. Its stored occurrences are rewritten from its times and rule.
    """
    event = event or Event()
    _assign(event, EVENT_FIELDS, fields)
    _check_active(event.organisation, actor)
    if event.location is not None and (
        event.location.organisation_id != event.organisation.pk
    ):
        raise ValidationError(
            {"location": _("Choose a place of the organisation offering it.")}
        )
    _save(event)
    event.categories.set(categories)
    event_refresh_occurrences(event=event)
    if event.status == Publishable.Status.PUBLISHED:
        # Its followers hear that a published event changed (announce.py).
        transaction.on_commit(partial(_tell_followers, event.pk))
    return event


def _tell_followers(event_pk: int) -> None:
    from ..tasks import event_tell_followers

    event_tell_followers.enqueue(event_pk)


@transaction.atomic
def location_save(
    *, actor: User, location: Location | None = None, **fields: Any
) -> Location:
    """Create or update a place of a member organisation."""
    location = location or Location()
    _assign(location, LOCATION_FIELDS, fields)
    location.full_clean()
    location.save()
    return location


def _set_status(listing: Listing, status: str) -> Listing:
    listing.status = status
    listing.full_clean()
    listing.save(update_fields=["status", "updated_at"])
    return listing


@transaction.atomic
def listing_publish(*, actor: User, listing: Listing) -> Listing:
    """Show a service or event to families. Its organisation must be active, or
    a provider when a coordinator publishes. Families it concerns hear of it
    once it is committed (announce.py)."""
    _check_active(listing.organisation, actor)
    was_published = listing.status == Publishable.Status.PUBLISHED
    listing = _set_status(listing, Publishable.Status.PUBLISHED)
    if not was_published:
        transaction.on_commit(partial(_announce, listing))
    return listing


def _announce(listing: Listing) -> None:
    from ..tasks import announce_listing

    announce_listing.enqueue(str(listing._meta.model_name), listing.pk)


@transaction.atomic
def listing_unpublish(*, actor: User, listing: Listing) -> Listing:
    """Take a listing back to draft; it also leaves the home page."""
    listing.featured = False
    listing.save(update_fields=["featured", "updated_at"])
    return _set_status(listing, Publishable.Status.DRAFT)


@transaction.atomic
def listing_feature(*, actor: User, listing: Listing, featured: bool = True) -> Listing:
    """Put a published listing on the home page, or take it off (coordinators)."""
    if featured and listing.status != Publishable.Status.PUBLISHED:
        raise ValidationError(_("Only a published listing can be on the home page."))
    listing.featured = featured
    listing.save(update_fields=["featured", "updated_at"])
    return listing


@transaction.atomic
def listing_duplicate(*, actor: User, listing: Listing) -> Listing:
    """A draft copy of a listing, named "… (copy)", with its own slug.

    Categories, places and opening hours come along; bookings and the home page
    do not.
    """
    model = type(listing)
    name_max = model._meta.get_field("name").max_length or 200
    name = listing.name
    copy_name = _("%(name)s (copy)") % {"name": name}
    while len(copy_name) > name_max:
        name = name[: len(name) - (len(copy_name) - name_max)].rstrip()
        copy_name = _("%(name)s (copy)") % {"name": name}
    copy = model._default_manager.get(pk=listing.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    if hasattr(copy, "hsds_id"):
        copy.hsds_id = uuid.uuid4()  # a new object for open data too
    copy.name = copy_name
    copy.slug = unique_slug(model, copy.name)
    copy.status = Publishable.Status.DRAFT
    copy.featured = False
    copy.is_demo = False
    copy.full_clean()
    copy.save()
    copy.categories.set(listing.categories.all())
    if isinstance(listing, Service) and isinstance(copy, Service):
        for at in listing.service_at_locations.prefetch_related("opening_hours"):
            new_at = ServiceAtLocation.objects.create(
                service=copy, location_id=at.location_id, description=at.description
            )
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    service_at_location=new_at,
                    weekday=slot.weekday,
                    opens_at=slot.opens_at,
                    closes_at=slot.closes_at,
                )
                for slot in at.opening_hours.all()
            )
    elif isinstance(copy, Event):
        event_refresh_occurrences(event=copy)
    return copy
