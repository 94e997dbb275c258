"""What a newly published service or event tells families (ADR 13).

Once a listing is published, three kinds of people hear of it, each once (an
idempotency key per person and listing): those whose saved search it matches,
families with a child of the right age (and, if they chose areas, in one of
them), and the followers of the organisation that offers it.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone

from retefamiglie.notifications import selectors as notices
from retefamiglie.notifications.links import absolute
from retefamiglie.notifications.services import notify, notify_followers

from . import selectors
from .forms_events import EventFilterForm
from .forms_search import ServiceSearchForm
from .models import Event, Publishable, Service

Listing = Service | Event
# A saved search of events matches an event with a date in this window.
EVENT_HORIZON = timedelta(days=366)


def _scope(listing: Listing) -> str:
    return "directory.events" if isinstance(listing, Event) else "directory.services"


def matches(query: str, listing: Listing) -> bool:
    """Whether the saved filters ``query`` find ``listing`` (one query)."""
    data = QueryDict(query)
    if isinstance(listing, Event):
        filters = EventFilterForm(data).filters()
        now = timezone.now()
        return (
            selectors.event_occurrences_between(
                start=now, end=now + EVENT_HORIZON, **filters
            )
            .filter(event=listing)
            .exists()
        )
    service_filters: dict[str, Any] = ServiceSearchForm(data).filters()
    return selectors.search_services(**service_filters).filter(pk=listing.pk).exists()


def _areas_of(listing: Listing) -> set[str]:
    if isinstance(listing, Event):
        area = listing.location.area if listing.location else None
        return {area.slug} if area else set()
    return {
        location.area.slug
        for location in listing.locations.select_related("area")
        if location.area
    }


def listing_announce(listing: Listing) -> int:
    """Notify everyone the new listing concerns; return how many notices."""
    if listing.status != Publishable.Status.PUBLISHED:
        return 0
    label = listing._meta.model_name
    link = absolute(listing.get_absolute_url())
    context = {"listing": listing, "link": link, "is_event": isinstance(listing, Event)}
    told: set[int] = set()
    for search in notices.saved_searches_in(_scope(listing)):
        if search.user_id in told or not matches(search.query, listing):
            continue
        notify(
            recipient=search.user,
            kind="directory.saved_search_match",
            subject_object=listing,
            context={**context, "search": search},
            key=f"{label}:{listing.pk}",
            frequency=search.frequency,
        )
        told.add(search.user_id)
    areas = _areas_of(listing)
    for family in notices.families_with_children_aged(
        listing.age_min, listing.age_max
    ).exclude(pk__in=told):
        profile = notices.family_profile(family)
        if profile and profile.areas and areas and not areas & set(profile.areas):
            continue
        notify(
            recipient=family,
            kind="directory.new_for_children",
            subject_object=listing,
            context=context,
            key=f"{label}:{listing.pk}",
        )
        told.add(family.pk)
    followers = notify_followers(
        target=listing.organisation,
        kind="directory.organisation_news",
        subject_object=listing,
        context={**context, "organisation": listing.organisation},
        key=f"{label}:{listing.pk}",
        exclude=told,
    )
    return len(told) + len(followers)


def event_changed(event: Event) -> int:
    """Tell the followers of an event (series) that it changed."""
    if event.status != Publishable.Status.PUBLISHED:
        return 0
    return len(
        notify_followers(
            target=event,
            kind="directory.event_changed",
            context={"event": event, "link": absolute(event.get_absolute_url())},
            key=f"event:{event.pk}:changed:{event.updated_at.isoformat()}",
        )
    )


def search_link(scope_query: str, scope: str) -> str:
    """The query string of the page that saves the current filters."""
    return urlencode({"lista": scope, "filtri": scope_query})
