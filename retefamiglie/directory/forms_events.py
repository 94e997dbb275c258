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

from retefamiglie.bookings.forms import BookingDetailsForm
from retefamiglie.core.forms import BoundedDateField
from retefamiglie.network.models import Area

from .forms_search import CatalogueChoiceField
from .models import MAX_AGE, Category, Event
from .services.events import Occurrence, city_tz

DEFAULT_RANGE_DAYS = 60
MAX_RANGE_DAYS = 366


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


class BookingForm(BookingDetailsForm):
    """Seats a family books at one occurrence of an event; no account needed."""

    field_order = ["occurrence"]

    occurrence = forms.ChoiceField(
        label=_("Date"),
        error_messages={
            "required": _("Choose a date."),
            "invalid_choice": _("Choose one of the next dates of the event."),
        },
    )

    def __init__(
        self,
        *args: Any,
        event: Event,
        occurrences: list[Occurrence],
        seats_taken: dict[datetime, int] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, capacity=event.capacity, **kwargs)
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

    def booking_occurrence(self) -> datetime:
        return self.occurrences[self.cleaned_data["occurrence"]].starts_at
