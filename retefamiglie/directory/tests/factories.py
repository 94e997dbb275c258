"""Factories for the catalogue: categories, places, services, events, bookings."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from retefamiglie.directory.models import (
    Booking,
    Category,
    Event,
    Location,
    OpeningHours,
    Publishable,
    Service,
    ServiceAtLocation,
)
from retefamiglie.directory.services.events import event_refresh_occurrences
from retefamiglie.network.tests.factories import AreaFactory, OrganisationFactory

ROME = ZoneInfo("Europe/Rome")


def tomorrow_at_five() -> dt.datetime:
    """Tomorrow at 17:00 in Lucca, timezone-aware."""
    today = timezone.now().astimezone(ROME).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(17), tzinfo=ROME)


class CategoryFactory(factory.django.DjangoModelFactory):
    """Reuses the seeded categories (migration 0002) when the slug matches."""

    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = "sport-movimento"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    name_en = ""


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Sede {n}")
    address = factory.Sequence(lambda n: f"Via Fillungo {n + 1}")
    postal_code = "55100"
    city = "Lucca"
    area = factory.SubFactory(AreaFactory)
    latitude = Decimal("43.840000")
    longitude = Decimal("10.500000")


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    weekday = 0
    opens_at = dt.time(9)
    closes_at = dt.time(12)


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published service at one place, open on Monday 9-12.

    ``ServiceFactory(location=False)`` makes one with no place; pass
    ``location=some_location`` to reuse a place (or ``location__area=area`` to
    shape the new one), ``weekdays=[2, 4]`` to choose the opening days and
    ``categories=[...]`` to set categories (default: one seeded category).
    """

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Servizio {n}")
    slug = factory.Sequence(lambda n: f"servizio-{n}")
    summary = "Un servizio per le famiglie della città."
    description = "Descrizione del servizio."
    status = Publishable.Status.PUBLISHED
    languages = factory.LazyFunction(lambda: ["it"])
    email = "info@example.org"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if not create:
            return
        self.categories.set(extracted if extracted is not None else [CategoryFactory()])

    @factory.post_generation
    def location(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        if extracted is None:
            extracted = LocationFactory(organisation=self.organisation, **kwargs)
        self._factory_location = extracted

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        location = getattr(self, "_factory_location", None)
        if not create or location is None:
            return
        at = ServiceAtLocation.objects.create(service=self, location=location)
        for weekday in extracted if extracted is not None else [0]:
            OpeningHoursFactory(service_at_location=at, weekday=weekday)


class EventFactory(factory.django.DjangoModelFactory):
    """A published event tomorrow 17:00-19:00 (Europe/Rome) at a place, with
    its occurrences stored."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Evento {n}")
    slug = factory.Sequence(lambda n: f"evento-{n}")
    summary = "Un pomeriggio insieme per le famiglie."
    description = "Descrizione dell'evento."
    status = Publishable.Status.PUBLISHED
    languages = factory.LazyFunction(lambda: ["it"])
    location = factory.SubFactory(
        LocationFactory, organisation=factory.SelfAttribute("..organisation")
    )
    starts_at = factory.LazyFunction(tomorrow_at_five)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if not create:
            return
        self.categories.set(extracted if extracted is not None else [CategoryFactory()])

    @factory.post_generation
    def stored_occurrences(self, create, extracted, **kwargs):
        """Its rows in EventOccurrence, as every service that saves an event
        writes them; ``stored_occurrences=False`` leaves them out."""
        if create and extracted is not False:
            event_refresh_occurrences(event=self)


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking for one adult at the event's first occurrence."""

    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory, booking_enabled=True, capacity=20)
    occurrence = factory.SelfAttribute("event.starts_at")
    name = "Famiglia Rossi"
    email = factory.Sequence(lambda n: f"famiglia{n}@example.org")
    adults = 1
    children = factory.LazyFunction(dict)
    status = Booking.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
