"""Services and events offered, families and children reached by bookings."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from retefamiglie.core.vocabularies import Language
from retefamiglie.directory import selectors
from retefamiglie.directory.models import (
    Booking,
    Event,
    EventOccurrence,
    Service,
    ServiceAtLocation,
)

from ..indicators import (
    NO_AREA,
    Dimension,
    Fact,
    Indicator,
    Section,
    age_band_labels,
    bands_for,
)
from .common import CATEGORY

OFFER = Section("offer", _("What the network offers"), 10)
REACH = Section("reach", _("Families and children reached"), 20)

FREE = Dimension(
    "cost",
    _("Cost"),
    lambda: {"free": str(_("Free of charge")), "paid": str(_("With a cost"))},
)
AGE = Dimension("age_band", _("Age"), age_band_labels, ordered=True)
LANGUAGE = Dimension(
    "language", _("Language"), lambda: {v: str(label) for v, label in Language.choices}
)


def _categories(model, pks: set[int]) -> dict[int, tuple[str, ...]]:
    through = model.categories.through
    owner = f"{model._meta.model_name}_id"
    found: dict[int, list[str]] = defaultdict(list)
    for pk, slug in through.objects.filter(**{f"{owner}__in": pks}).values_list(
        owner, "category__slug"
    ):
        found[pk].append(slug)
    return {pk: tuple(sorted(slugs)) for pk, slugs in found.items()}


def _listing_values(row: tuple, categories: dict[int, tuple[str, ...]]) -> dict:
    pk, is_free, languages, age_min, age_max = row[:5]
    return {
        "category": categories.get(pk, ()),
        "cost": ("free" if is_free else "paid",),
        "language": tuple(sorted(set(languages or []))),
        "age_band": bands_for(age_min, age_max),
    }


LISTING_FIELDS = ("pk", "is_free", "languages", "age_min", "age_max")


def services_offered(start: datetime, end: datetime) -> Iterable[Fact]:
    """Published services that existed by the end of the period."""
    rows = list(
        selectors.published_services()
        .filter(created_at__lt=end)
        .values_list(*LISTING_FIELDS)
    )
    pks = {row[0] for row in rows}
    categories = _categories(Service, pks)
    areas: dict[int, set[str]] = defaultdict(set)
    for pk, area in ServiceAtLocation.objects.filter(service__in=pks).values_list(
        "service_id", "location__area__slug"
    ):
        areas[pk].add(area or NO_AREA)
    for row in rows:
        yield Fact(
            areas=tuple(sorted(areas.get(row[0]) or {NO_AREA})),
            values=_listing_values(row, categories),
        )


def events_held(start: datetime, end: datetime) -> Iterable[Fact]:
    """Published events that took place at least once in the period."""
    event_ids = set(
        EventOccurrence.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            event__status=Event.Status.PUBLISHED,
        ).values_list("event_id", flat=True)
    )
    rows = Event.objects.filter(pk__in=event_ids).values_list(
        *LISTING_FIELDS, "location__area__slug"
    )
    categories = _categories(Event, event_ids)
    for row in rows:
        yield Fact(areas=(row[5] or NO_AREA,), values=_listing_values(row, categories))


def _bookings(start: datetime, end: datetime):
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED, occurrence__gte=start, occurrence__lt=end
    ).values_list("pk", "event_id", "children", "event__location__area__slug")


def _children(counts: object) -> dict[str, int]:
    found: dict[str, int] = {}
    for band, count in (counts if isinstance(counts, dict) else {}).items():
        try:
            number = max(int(count), 0)
        except (TypeError, ValueError):
            continue
        if number:
            found[str(band)] = number
    return found


def families_reached(start: datetime, end: datetime) -> Iterable[Fact]:
    """Confirmed bookings for a date in the period: one family each."""
    rows = list(_bookings(start, end))
    categories = _categories(Event, {row[1] for row in rows})
    for _pk, event_id, children, area in rows:
        yield Fact(
            areas=(area or NO_AREA,),
            values={
                "category": categories.get(event_id, ()),
                "age_band": tuple(sorted(_children(children))),
            },
        )


def children_reached(start: datetime, end: datetime) -> Iterable[Fact]:
    """Children on the confirmed bookings of the period, by age band."""
    for _pk, _event, children, area in _bookings(start, end):
        for band, count in _children(children).items():
            yield Fact(
                areas=(area or NO_AREA,), values={"age_band": (band,)}, weight=count
            )


INDICATORS = [
    Indicator(
        key="services",
        section=OFFER,
        title=_("Services offered"),
        definition=_(
            "Services published in the catalogue at the end of the period. A "
            "service open in several areas counts once in each of them."
        ),
        unit=_("services"),
        facts=services_offered,
        dimensions=(CATEGORY, AGE, FREE, LANGUAGE),
        order=10,
    ),
    Indicator(
        key="events",
        section=OFFER,
        title=_("Events held"),
        definition=_(
            "Published events that took place at least once in the period "
            "(a weekly event counts once)."
        ),
        unit=_("events"),
        facts=events_held,
        dimensions=(CATEGORY, AGE, FREE, LANGUAGE),
        order=20,
    ),
    Indicator(
        key="families_booked",
        section=REACH,
        title=_("Families who booked an event"),
        definition=_(
            "Confirmed bookings for an event date in the period: each booking is "
            "one family. Cancelled bookings and waiting lists are not counted."
        ),
        unit=_("families"),
        facts=families_reached,
        dimensions=(CATEGORY, AGE),
        about_people=True,
        order=10,
    ),
    Indicator(
        key="children_booked",
        section=REACH,
        title=_("Children on the bookings"),
        definition=_(
            "Children that families said would come, on confirmed bookings for "
            "an event date in the period, by age band. Attendance on the day is "
            "not recorded by the platform."
        ),
        unit=_("children"),
        facts=children_reached,
        dimensions=(AGE,),
        about_people=True,
        order=20,
    ),
]
