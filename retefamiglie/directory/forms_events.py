"""Forms of the events pages: the filters of the list and the booking form.

The booking form counts children per age band: it has no field for a child's
name, school or photo (privacy rules in DESIGN.md).
"""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from retefamiglie.core.forms import BoundedDateField
from retefamiglie.network.models import Area

from .forms_search import CatalogueChoiceField
from .models import MAX_AGE, Booking, Category, Event, Language
from .services.bookings import AgeBand
from .services.events import Occurrence, city_tz

DEFAULT_RANGE_DAYS = 60
MAX_RANGE_DAYS = 366
MAX_ADULTS = 10
MAX_CHILDREN_PER_BAND = 9
HONEYPOT_FIELD = "website"


def children_field_name(band: str) -> str:
    return "children_" + band.replace("-", "_")


class CategoryChoiceField(CatalogueChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.label


class EventFilterForm(forms.Form):
    """Filters of the events list, calendar and feed; sent by GET.

    Parameter names are Italian because they show in shared links, and match
    those of the services search (forms_search.py).
    """

    dal = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    al = BoundedDateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    categoria = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("order", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    eta = forms.IntegerField(
        label=_("Age of the child (years)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    zona = CatalogueChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    gratis = forms.BooleanField(label=_("Free of charge only"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("dal"), cleaned.get("al")
        if start and end:
            if end < start:
                self.add_error("al", _("The end date must not be before the start."))
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("al", _("Choose a range of one year at most."))
        return cleaned

    def _valid_data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }

    def filters(self) -> dict[str, Any]:
        """The valid filters by selector argument; an invalid one is ignored."""
        data = self._valid_data()
        return {
            "category": data.get("categoria"),
            "age": data.get("eta"),
            "area": data.get("zona"),
            "free_only": bool(data.get("gratis")),
        }

    def date_range(self, today: date) -> tuple[date, date]:
        """The days shown, both included: by default the next 60 days."""
        data = self._valid_data()
        first = data.get("dal") or today
        last = data.get("al") or first + timedelta(days=DEFAULT_RANGE_DAYS)
        if last < first or (last - first).days > MAX_RANGE_DAYS:
            last = first + timedelta(days=DEFAULT_RANGE_DAYS)
        return first, last


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=city_tz())


def occurrence_label(occurrence: Occurrence, seats_left: int | None = None) -> str:
    local = occurrence.starts_at.astimezone(city_tz())
    label = f"{date_format(local, 'l j F Y')}, {time_format(local, 'H:i')}"
    if seats_left is None:
        return label
    if seats_left <= 0:
        return f"{label} – {_('full: waiting list')}"
    return f"{label} – " + ngettext(
        "%(count)d seat left", "%(count)d seats left", seats_left
    ) % {"count": seats_left}


class BookingForm(forms.Form):
    """Seats a family books at one occurrence of an event; no account needed."""

    occurrence = forms.ChoiceField(
        label=_("Date"),
        error_messages={
            "required": _("Choose a date."),
            "invalid_choice": _("Choose one of the next dates of the event."),
        },
    )
    adults = forms.IntegerField(
        label=_("Adults"),
        min_value=0,
        max_value=MAX_ADULTS,
        initial=1,
        required=False,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": MAX_ADULTS, "inputmode": "numeric"}
        ),
    )
    needs_childcare = forms.BooleanField(
        label=_("We need someone to look after the children during the event"),
        required=False,
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=Booking._meta.get_field("accessibility_needs").max_length,
        required=False,
        help_text=_("For example: wheelchair access, a seat near the front."),
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter"),
        choices=[("", _("No interpreter needed")), *Language.choices],
        required=False,
    )
    name = forms.CharField(
        label=_("Name for the booking"),
        max_length=Booking._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Your name or your family's: never your children's names."),
        error_messages={"required": _("Write a name for the booking.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send you a link to confirm the booking and to cancel it."),
        error_messages={"required": _("Write your e-mail address.")},
    )
    # A trap for bots: hidden from people (CSS and aria-hidden), left empty by them.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args,
        event: Event,
        occurrences: list[Occurrence],
        seats_taken: dict[datetime, int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.occurrences = {occurrence.key: occurrence for occurrence in occurrences}
        seats_taken = seats_taken or {}
        choices = []
        for occurrence in occurrences:
            left = None
            if event.capacity is not None:
                left = event.capacity - seats_taken.get(occurrence.starts_at, 0)
            choices.append((occurrence.key, occurrence_label(occurrence, left)))
        field = cast(forms.ChoiceField, self.fields["occurrence"])
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]
        for band, label in AgeBand.choices:
            self.fields[children_field_name(band)] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=MAX_CHILDREN_PER_BAND,
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": MAX_CHILDREN_PER_BAND,
                        "inputmode": "numeric",
                    }
                ),
            )

    @property
    def children_fields(self) -> list[forms.BoundField]:
        return [self[children_field_name(band)] for band in AgeBand.values]

    @property
    def honeypot(self) -> forms.BoundField:
        return self[HONEYPOT_FIELD]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("The booking could not be sent. Please try again."),
                code="honeypot",
            )
        counts = [cleaned.get("adults")] + [
            cleaned.get(children_field_name(band)) for band in AgeBand.values
        ]
        number_errors = any(
            self.has_error(name)
            for name in ["adults"] + [children_field_name(b) for b in AgeBand.values]
        )
        seats = sum(count or 0 for count in counts)
        if not number_errors and seats < 1:
            raise forms.ValidationError(
                _("Book at least one seat, for an adult or a child."), code="no_seats"
            )
        capacity = self.event.capacity
        if not number_errors and capacity is not None and seats > capacity:
            raise forms.ValidationError(
                _("This event has %(capacity)d seats: book at most %(capacity)d."),
                params={"capacity": capacity},
                code="too_many",
            )
        return cleaned

    def booking_occurrence(self) -> datetime:
        return self.occurrences[self.cleaned_data["occurrence"]].starts_at

    def booking_data(self) -> dict[str, Any]:
        """The validated data in the shape ``services.booking_create`` expects."""
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "email": data["email"],
            "adults": data.get("adults") or 0,
            "children": {
                band: data[children_field_name(band)]
                for band in AgeBand.values
                if data.get(children_field_name(band))
            },
            "needs_childcare": data.get("needs_childcare", False),
            "accessibility_needs": data.get("accessibility_needs", "").strip(),
            "interpreter_language": data.get("interpreter_language", ""),
        }
