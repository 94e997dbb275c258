"""Reads on the catalogue shared by views, API and reports.

Each returns what its page shows without one query per row.
"""

from datetime import datetime

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from retefamiglie.accounts.models import User
from retefamiglie.core.vocabularies import Language
from retefamiglie.network.models import Area, Organisation

from .models import (
    MAX_AGE,
    Booking,
    Category,
    Event,
    EventOccurrence,
    Location,
    OpeningHours,
    Publishable,
    Service,
    ServiceAtLocation,
)
from .search import search

# ------------------------------------------------------------------------------
# Services: search and detail
# ------------------------------------------------------------------------------


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(status=Publishable.Status.PUBLISHED)


def _filter_listings(
    queryset: QuerySet,
    *,
    category: Category | None,
    age: int | None,
    language: str | None,
    free: bool,
) -> QuerySet:
    """Filters services and events share (both are Publishable)."""
    if category is not None:
        through = queryset.model.categories.through
        link = f"{queryset.model._meta.model_name}_id"
        queryset = queryset.filter(
            Exists(
                through.objects.filter(**{link: OuterRef("pk")}).filter(
                    Q(category=category) | Q(category__parent=category)
                )
            )
        )
    if age is not None:
        queryset = queryset.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=age),
            Q(age_max__isnull=True) | Q(age_max__gte=age),
        )
    if language:
        queryset = queryset.filter(_speaks(language))
    if free:
        queryset = queryset.filter(is_free=True)
    return queryset


def _speaks(language: str) -> Q:
    """Listings whose ``languages`` JSON list holds ``language``."""
    if language not in Language.values:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(languages__contains=[language])
    # SQLite has no JSON containment; the stored list holds the code quoted,
    # and a known code contains no character LIKE treats specially.
    return Q(languages__icontains=f'"{language}"')


def search_services(
    *,
    q: str | None = None,
    category: Category | None = None,
    age: int | None = None,
    area: Area | None = None,
    language: str | None = None,
    weekday: int | None = None,
    free: bool = False,
) -> QuerySet[Service]:
    """Published services matching every given filter, best match first."""
    queryset = _filter_listings(
        published_services(), category=category, age=age, language=language, free=free
    )
    if area is not None:
        queryset = queryset.filter(
            Exists(
                ServiceAtLocation.objects.filter(
                    service=OuterRef("pk"), location__area=area
                )
            )
        )
    if weekday is not None:
        queryset = queryset.filter(
            Exists(
                OpeningHours.objects.filter(
                    service_at_location__service=OuterRef("pk"), weekday=weekday
                )
            )
        )
    if q:
        return search(queryset, q)
    return queryset.order_by("name", "pk")


def with_list_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """What a result card shows: organisation, categories, places and areas.

    Not the stored search document, which only the database reads.
    """
    return (
        queryset.defer("search_document")
        .select_related("organisation")
        .prefetch_related(
            "categories",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__area"),
            ),
        )
    )


def services_for_cards(services: list[Service]) -> list[Service]:
    """``services`` (rows with their keys only) in that order, with what a
    result card shows: the ``load`` of the cards kept for everyone (ADR 30)."""
    pks = [service.pk for service in services]
    rows = with_list_details(Service.objects.filter(pk__in=pks)).in_bulk()
    return [rows[pk] for pk in pks if pk in rows]


def service_for_detail() -> QuerySet[Service]:
    """Services of any status with what the detail page and flyer show.

    The caller decides who may see a draft.
    """
    return Service.objects.select_related("organisation").prefetch_related(
        "categories",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location__area"
            ).prefetch_related("opening_hours"),
        ),
    )


# ------------------------------------------------------------------------------
# The map
# ------------------------------------------------------------------------------


def upcoming_events(
    *,
    q: str | None = None,
    category: Category | None = None,
    age: int | None = None,
    area: Area | None = None,
    language: str | None = None,
    weekday: int | None = None,
    free: bool = False,
) -> QuerySet[Event]:
    """Published events with an occurrence not yet over, by that next date
    (``next_starts_at``).

    ``weekday`` (0 Monday … 6 Sunday) is the day of the first occurrence in the
    local time zone.
    """
    queryset = _filter_listings(
        _with_next_start(Event.objects.filter(status=Publishable.Status.PUBLISHED)),
        category=category,
        age=age,
        language=language,
        free=free,
    )
    if area is not None:
        queryset = queryset.filter(location__area=area)
    if weekday is not None:
        # Django's week_day counts from Sunday = 1.
        queryset = queryset.filter(starts_at__week_day=(weekday + 1) % 7 + 1)
    queryset = search(queryset, q) if q else queryset.order_by("next_starts_at", "pk")
    return queryset.select_related("location__area")


def map_service_places(services: QuerySet[Service]) -> QuerySet[ServiceAtLocation]:
    """The places with coordinates of ``services``, one row per service and place."""
    return (
        ServiceAtLocation.objects.filter(
            service__in=services.values("pk"),
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        )
        .select_related("service", "location__area")
        .order_by("service__name", "location__name", "pk")
    )


# ------------------------------------------------------------------------------
# Staff area: the listings, places and bookings a person manages
# ------------------------------------------------------------------------------


def listing_organisations_for(*, user: User) -> QuerySet[Organisation]:
    """Active members on whose behalf ``user`` publishes; for coordinators, all of
    them and the catalogue's providers, who have no staff of their own."""
    from .rules import is_manager

    if is_manager(user):
        queryset = Organisation.objects.filter(
            status__in=[Organisation.Status.ACTIVE, Organisation.Status.PROVIDER]
        )
    else:
        queryset = Organisation.objects.filter(
            status=Organisation.Status.ACTIVE, staff__user=user
        )
    return queryset.order_by("name")


def _managed_by[M: Model](queryset: QuerySet[M], user: User) -> QuerySet[M]:
    from .rules import is_manager

    if is_manager(user):
        return queryset
    return queryset.filter(
        organisation__in=listing_organisations_for(user=user).values("pk")
    )


def _management_filters(
    queryset: QuerySet, *, words: str = "", status: str = ""
) -> QuerySet:
    if words:
        queryset = queryset.filter(name__icontains=words)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def manageable_services(
    *, user: User, words: str = "", status: str = ""
) -> QuerySet[Service]:
    """Services ``user`` may change, newest first (the primary key's index: a page
    of 25 reads 25 rows at any size), optionally by words in the name and status.
    Plain rows: ``with_service_details`` adds what the table shows, for one page."""
    return _management_filters(
        _managed_by(Service.objects.all(), user), words=words, status=status
    ).order_by("-pk")


def with_service_details(pks: list[int]) -> list[Service]:
    """The services of a page of ``manageable_services`` (their keys), newest
    first, with their organisation and number of places."""
    from django.db.models import Count

    rows = (
        Service.objects.filter(pk__in=pks)
        .select_related("organisation")
        .annotate(places_count=Count("service_at_locations", distinct=True))
        .order_by("-pk")
    )
    return list(rows)


def manageable_events(
    *, user: User, words: str = "", status: str = ""
) -> QuerySet[Event]:
    """Events ``user`` may change, newest first (as ``manageable_services``)."""
    return _management_filters(
        _managed_by(Event.objects.all(), user), words=words, status=status
    ).order_by("-pk")


def with_event_details(pks: list[int]) -> list[Event]:
    """The events of a page of ``manageable_events`` (their keys), newest first,
    with their place, counts of bookings and
    ``next_start``, the start of their first occurrence not over yet (None
    when all are)."""
    from django.db.models import Count, Subquery

    from .models import Booking

    next_start = (
        EventOccurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        Event.objects.filter(pk__in=pks)
        .select_related("organisation", "location")
        .annotate(
            next_start=Subquery(next_start),
            confirmed_count=Count(
                "bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)
            ),
            waiting_count=Count(
                "bookings", filter=Q(bookings__status=Booking.Status.WAITING)
            ),
        )
        .order_by("-pk")
    )
    return list(rows)


def manageable_locations(*, user: User) -> QuerySet[Location]:
    """Places of the organisations ``user`` manages, with their area."""
    return (
        _managed_by(Location.objects.all(), user)
        .select_related("organisation", "area")
        .order_by("organisation__name", "name", "pk")
    )


def bookings_for_staff(*, event: Event) -> QuerySet:
    """Confirmed and waiting bookings of ``event``, by date, then first come."""
    from .models import Booking

    return event.bookings.filter(
        status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING]
    ).order_by("occurrence", "created_at", "pk")


# ------------------------------------------------------------------------------
# Events: list, calendar, feed; bookings (appended by the events engineer)
# ------------------------------------------------------------------------------
# Imports here, not at the top, only because this section was appended.


def events_published() -> QuerySet[Event]:
    """Published events with what a list or a page shows, in two queries."""
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .select_related("organisation", "location__area")
        .prefetch_related("categories")
    )


def _event_filters(
    *,
    via: str,
    category: Category | None,
    age: int | None,
    area: Area | None,
    free_only: bool,
) -> Q:
    """The filters of the events list, calendar and feed (EventFilterForm), on
    events (``via`` "") or on rows that point to one (``via`` "event__")."""
    condition = Q()
    if category is not None:
        condition &= Q(
            Exists(
                Event.categories.through.objects.filter(
                    Q(category=category) | Q(category__parent=category),
                    event=OuterRef(f"{via}pk"),
                )
            )
        )
    if age is not None:
        condition &= Q(**{f"{via}age_min__isnull": True}) | Q(
            **{f"{via}age_min__lte": age}
        )
        condition &= Q(**{f"{via}age_max__isnull": True}) | Q(
            **{f"{via}age_max__gte": age}
        )
    if area is not None:
        condition &= Q(**{f"{via}location__area": area})
    if free_only:
        condition &= Q(**{f"{via}is_free": True})
    return condition


def _on_between(start: datetime, end: datetime) -> Q:
    """Occurrences still going on at ``start`` that begin before ``end``."""
    return Q(starts_at__lt=end, ends_at__gt=start)


def events_between(
    *,
    start: datetime,
    end: datetime,
    category: Category | None = None,
    age: int | None = None,
    area: Area | None = None,
    free_only: bool = False,
) -> QuerySet[Event]:
    """Published events that happen (one of their occurrences does) between
    ``start`` and ``end``, with what a list or a feed shows."""
    filters = _event_filters(
        via="", category=category, age=age, area=area, free_only=free_only
    )
    occurs = EventOccurrence.objects.filter(
        _on_between(start, end), event=OuterRef("pk")
    )
    return events_published().filter(filters, Exists(occurs))


def event_occurrences_between(
    *,
    start: datetime,
    end: datetime,
    category: Category | None = None,
    age: int | None = None,
    area: Area | None = None,
    free_only: bool = False,
) -> QuerySet[EventOccurrence]:
    """Occurrences between ``start`` and ``end`` of the published events that
    match the filters, soonest first, then by event name, from the
    EventOccurrence table. ``with_occurrence_details()`` or ``for_calendar()``
    add what a page shows."""
    filters = _event_filters(
        via="event__", category=category, age=age, area=area, free_only=free_only
    )
    return EventOccurrence.objects.filter(
        _on_between(start, end), filters, event__status=Event.Status.PUBLISHED
    ).order_by("starts_at", "event__name", "event_id")


def with_occurrence_details(
    occurrences: QuerySet[EventOccurrence],
) -> QuerySet[EventOccurrence]:
    """What a card of the events list shows: the event, its organisation, place,
    area and categories; not the stored search document."""
    return (
        occurrences.select_related("event__organisation", "event__location__area")
        .defer("event__search_document")
        .prefetch_related("event__categories")
    )


def occurrences_for_cards(
    occurrences: list[EventOccurrence],
) -> list[EventOccurrence]:
    """``occurrences`` (rows with their keys and times only) in that order, with
    what a card of the events list shows: the ``load`` of the cards kept for
    everyone (ADR 30)."""
    pks = [occurrence.pk for occurrence in occurrences]
    rows = with_occurrence_details(EventOccurrence.objects.filter(pk__in=pks)).in_bulk()
    return [rows[pk] for pk in pks if pk in rows]


def for_calendar(
    occurrences: QuerySet[EventOccurrence], *, per_day: int
) -> QuerySet[EventOccurrence]:
    """What a day of the calendar shows: times, the event's name and link, for
    the first ``per_day`` occurrences of each day (in the city's time zone),
    each with ``day_total``, how many that day has in all."""
    day = TruncDate("starts_at", tzinfo=timezone.get_default_timezone())
    return (
        occurrences.select_related("event")
        .only("starts_at", "ends_at", "event__name", "event__slug")
        .annotate(
            day_position=Window(
                RowNumber(),
                partition_by=[day],
                order_by=[F("starts_at"), F("event__name"), F("event_id")],
            ),
            day_total=Window(Count("pk"), partition_by=[day]),
        )
        .filter(day_position__lte=per_day)
    )


def event_seats_taken(*, event: Event, moments: list[datetime]) -> dict[datetime, int]:
    """Confirmed seats at each of the given occurrences of ``event``, one query."""
    taken = dict.fromkeys(moments, 0)
    bookings = Booking.objects.filter(
        event=event, occurrence__in=moments, status=Booking.Status.CONFIRMED
    ).only("occurrence", "adults", "children")
    for booking in bookings:
        taken[booking.occurrence] = taken.get(booking.occurrence, 0) + booking.seats
    return taken


def booking_for_token(token: str) -> Booking | None:
    """The booking behind a private link, with its event, or None."""
    return (
        Booking.objects.select_related("event__organisation", "event__location__area")
        .filter(token=token)
        .first()
    )


def booking_waiting_position(booking: Booking) -> int | None:
    """Place of a booking on its occurrence's waiting list (1 is next), or None."""
    if booking.status != Booking.Status.WAITING:
        return None
    ahead = (
        Booking.objects.filter(
            event_id=booking.event_id,
            occurrence=booking.occurrence,
            status=Booking.Status.WAITING,
        )
        .filter(
            Q(confirmed_at__lt=booking.confirmed_at)
            | Q(confirmed_at=booking.confirmed_at, pk__lt=booking.pk)
        )
        .count()
    )
    return ahead + 1


def home_listings() -> dict:
    """The home page's search box, next events and featured or newest services.

    Events: featured first, then by their next date not over yet, which each
    carries as ``next_starts_at`` (a weekly event running since last year comes
    after tomorrow's one-off if its next date is later)."""
    services = with_list_details(
        published_services().order_by("-featured", "-created_at")
    )[:4]
    return {
        "services": list(services),
        "events": home_events(limit=4),
        "max_age": MAX_AGE,
    }


def _with_next_start(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` with an occurrence not over yet, annotated with the start of
    the first such occurrence (``next_starts_at``). One ``now`` for both, so that
    every event kept has a next date."""
    coming = EventOccurrence.objects.filter(
        event=OuterRef("pk"), ends_at__gt=timezone.now()
    )
    return events.filter(Exists(coming)).annotate(
        next_starts_at=Subquery(coming.order_by("starts_at").values("starts_at")[:1])
    )


def home_events(*, limit: int) -> list[Event]:
    """The first ``limit`` published events still to come, featured first, then
    by their next date not over yet (``next_starts_at``), then by id.

    Reads occurrences in start order (index ``occurrence_by_start``) until it has
    ``limit`` events, instead of finding the next date of every published event
    and sorting them all (ADR 20): the first occurrence of an event not over yet
    is its next date, and ties on the start go by event id, as before.
    """
    now = timezone.now()
    starts: dict[int, datetime] = {}
    # Both kinds are always read, so the page takes the same queries whatever
    # the events (the second read is one short index scan).
    for featured in (True, False):
        starts |= _first_coming(featured=featured, now=now, limit=limit - len(starts))
    events = Event.objects.defer("search_document").in_bulk(list(starts))
    ordered = []
    for pk, starts_at in starts.items():
        event = events[pk]
        event.next_starts_at = starts_at  # type: ignore[attr-defined]
        ordered.append(event)
    return ordered


# Occurrences read per step while looking for the next events of the home page:
# one step finds them unless fewer than ``limit`` events own the first 500 dates
# to come (a catalogue of a handful of events with hundreds of dates each); the
# steps then go on until the dates run out.
_COMING_CHUNK = 500


def _first_coming(*, featured: bool, now: datetime, limit: int) -> dict[int, datetime]:
    """Event id → next start of the first ``limit`` published events of the kind
    that are not over, in the order of those starts (ties by event id)."""
    found: dict[int, datetime] = {}
    coming = (
        EventOccurrence.objects.filter(
            ends_at__gt=now,
            event__status=Publishable.Status.PUBLISHED,
            event__featured=featured,
        )
        .order_by("starts_at", "event_id")
        .values_list("event_id", "starts_at")
    )
    offset = 0
    while True:
        chunk = list(coming[offset : offset + _COMING_CHUNK])
        for event_id, starts_at in chunk:
            if len(found) >= limit:
                return found
            found.setdefault(event_id, starts_at)
        if len(found) >= limit or len(chunk) < _COMING_CHUNK:
            return found
        offset += _COMING_CHUNK


def events_for_ages(ages: list[int], *, limit: int = 4) -> list[Event]:
    """Coming events that fit at least one of these ages, soonest first (the
    home page of a family that gave its children's ages, ADR 13)."""
    if not ages:
        return []
    fits = Q()
    for age in ages:
        fits |= Q(
            Q(age_min__isnull=True) | Q(age_min__lte=age),
            Q(age_max__isnull=True) | Q(age_max__gte=age),
        )
    return list(
        _with_next_start(
            Event.objects.filter(fits, status=Publishable.Status.PUBLISHED)
        )
        .defer("search_document")
        .order_by("next_starts_at", "pk")[:limit]  # type: ignore[misc]
    )
