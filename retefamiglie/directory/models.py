"""The family-facing catalogue: services and events, where and when, for whom.

Fields follow Open Referral HSDS 3.0 where they overlap (service, location,
service_at_location, schedule, cost, languages, taxonomy terms), so the public
API can serve them without reshaping. Children appear only as ages or age bands.
"""

import uuid
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from retefamiglie.bookings.models import BookingBase
from retefamiglie.bookings.models import new_booking_token as new_booking_token
from retefamiglie.core.models import TimeStampedModel

# Places moved to network (ADR 26): meetings of participation use them too.
# Language re-exported for the HSDS API and import and the events views.
from retefamiglie.core.vocabularies import Language as Language
from retefamiglie.network.models import Location as Location
from retefamiglie.network.models import Organisation


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Category(models.Model):
    """A taxonomy term (HSDS taxonomy_term), as data."""

    # The object's id in Open Referral HSDS (API and imports).
    hsds_id = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, unique=True, editable=False
    )

    name = models.CharField(_("name (Italian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


# The oldest age a service or event may be for: children and young people.
MAX_AGE = 25
# An upper age above MAX_AGE (HSDS data often says 100) is kept as it is and read
# as "adults too"; nobody is older than this.
OLDEST_AGE = 120


class Publishable(TimeStampedModel):
    """What services and events share: who offers it, for whom, at what cost."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("publication status", "Draft")
        PUBLISHED = "published", pgettext_lazy("publication status", "Published")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("member organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(
        _("in one sentence"),
        max_length=300,
        help_text=_("Shown in search results and on the flyer."),
    )
    description = models.TextField(_("description"))
    categories = models.ManyToManyField(
        Category, related_name="%(class)ss", verbose_name=_("categories")
    )
    age_min = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, help_text=_("Years. Empty: any age.")
    )
    age_max = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, help_text=_("Years. Empty: any age.")
    )
    eligibility = models.TextField(_("who can use it"), blank=True)
    is_free = models.BooleanField(_("free of charge"), default=False)
    cost_description = models.CharField(_("what it costs"), max_length=300, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    # Full-text search document, kept up to date by PostgreSQL triggers and
    # indexed there (migration 0005); unused on other databases.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="%(class)s_age_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.age_min is not None
            and self.age_max is not None
            and self.age_min > self.age_max
        ):
            raise ValidationError(
                {"age_max": _("The upper age must not be below the lower age.")}
            )
        if self.age_max is not None and self.age_max > OLDEST_AGE:
            raise ValidationError(
                {"age_max": _("Ages go up to %(max)s years.") % {"max": OLDEST_AGE}}
            )

    @property
    def adults_too(self) -> bool:
        """True when the upper age goes past young people's (see OLDEST_AGE)."""
        return self.age_max is not None and self.age_max > MAX_AGE


class Service(Publishable):
    """A service a member offers families (HSDS service)."""

    # The object's id in Open Referral HSDS (API and imports).
    hsds_id = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, unique=True, editable=False
    )

    how_to_access = models.TextField(_("how to access it"), blank=True)
    locations = models.ManyToManyField(
        Location,
        through="ServiceAtLocation",
        related_name="services",
        verbose_name=_("places"),
    )

    class Meta(Publishable.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            # The home page's "featured, then newest" services.
            models.Index(
                models.F("featured").desc(),
                models.F("created_at").desc(),
                condition=models.Q(status="published"),
                name="service_home_order",
            ),
            # The catalogue in name order: the list without a query and the
            # HSDS /services pages.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(status="published"),
                name="service_published_by_name",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:service", kwargs={"slug": self.slug})


class ServiceAtLocation(models.Model):
    """A service offered at a place (HSDS service_at_location)."""

    # The object's id in Open Referral HSDS (API and imports).
    hsds_id = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, unique=True, editable=False
    )

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.CharField(
        _("notes for this place"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("service at a place")
        verbose_name_plural = _("services at places")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_once_per_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class OpeningHours(models.Model):
    """When a service is open at a place (HSDS schedule, weekly)."""

    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
        )


class Event(Publishable):
    """An event or activity, possibly recurring (RFC 5545 RRULE)."""

    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("place"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    rrule = models.CharField(
        _("repeats"),
        max_length=200,
        blank=True,
        help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8"),
    )
    # Last start of a recurring event (computed from the rule), for the admin;
    # lists and calendars read the stored occurrences (EventOccurrence).
    last_starts_at = models.DateTimeField(_("last occurrence"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: no booking limit.")
    )
    booking_enabled = models.BooleanField(_("families book a seat"), default=False)

    class Meta(Publishable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]
        indexes = [
            # The keys of published events, read without the table: the count
            # of the events page joins every occurrence of its window to them
            # (ADR 30).
            models.Index(
                fields=["id"],
                condition=models.Q(status="published"),
                name="event_published",
            ),
            # The home page's featured events, found without reading the table.
            models.Index(
                fields=["id"],
                condition=models.Q(status="published", featured=True),
                name="event_featured",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event must end after it starts.")})


def occurrence_key(moment: datetime) -> str:
    """How a form or a URL names an occurrence: its start in ISO 8601, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class EventOccurrence(models.Model):
    """One time an event happens, as its rule expands (services/events.py).

    Derived rows: ``event_refresh_occurrences()`` rewrites those of an event
    whenever its times or rule change, and ``events_refresh_open_ended()`` moves
    rules without end along with the horizon, so that lists and calendars
    filter, order and paginate occurrences in the database (ADR 11).
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="occurrences",
        verbose_name=_("event"),
        # The unique (event, starts_at) index serves lookups by event.
        db_index=False,
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    # event_refresh_occurrences() renews the public pages once for all the rows
    # it writes; deleting an event renews them through the event's own signal.
    changes_public_pages = False

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at"], name="event_occurrence_once"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_occurrence_ends_after_it_starts",
            ),
        ]
        indexes = [
            # A page of the events list: the window's occurrences in start order.
            models.Index(fields=["starts_at", "ends_at"], name="occurrence_by_start"),
            # What is not over yet (home page, map, counts, calendar, feed): a
            # range of ends skips the past, which only grows.
            models.Index(fields=["ends_at", "starts_at"], name="occurrence_by_end"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def local_date(self) -> date:
        """The day it starts in the city's time zone (settings.TIME_ZONE)."""
        return timezone.localtime(
            self.starts_at, timezone.get_default_timezone()
        ).date()

    @property
    def key(self) -> str:
        return occurrence_key(self.starts_at)


class Booking(BookingBase):
    """Seats a family books at an event. Never the names of children.

    The generic fields and rules live in ``retefamiglie.bookings`` (ADR 14).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    occurrence = models.DateTimeField(_("date"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )

    # No cached public page shows bookings (the event page, which counts the
    # seats left, is never cached): a booking leaves the page cache alone.
    changes_public_pages = False

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["event", "occurrence", "status"])]

    def __str__(self) -> str:
        return f"{self.event} · {self.occurrence:%Y-%m-%d} · {self.seats}"
