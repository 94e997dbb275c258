"""Forms with which member organisations describe their services, events and places.

They check what families rely on when they read a listing: dates in the right
order, ages that make sense, places on the city's map, a repeat rule that ends,
seats that can be counted.
"""

import datetime as dt
import re
from itertools import islice
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.forms import BoundedDateTimeField
from retefamiglie.core.vocabularies import Language
from retefamiglie.network.models import Organisation

from .models import (
    MAX_AGE,
    Category,
    Event,
    Location,
    Service,
    Weekday,
)
from .services.events import parse_rule

# A recurring event lists its dates one by one: keep them countable.
MAX_OCCURRENCES = 366
REPEAT_PRESETS = {
    "weekly": "FREQ=WEEKLY;COUNT={count}",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2;COUNT={count}",
    "monthly": "FREQ=MONTHLY;COUNT={count}",
}
PRESET_PATTERNS = {
    name: re.compile("^" + pattern.replace("{count}", r"(\d+)") + "$")
    for name, pattern in REPEAT_PRESETS.items()
}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} – {obj.address} ({obj.organisation.name})"


class PlacesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        return f"{obj.name} – {obj.address} ({obj.organisation.name})"


def _places_of(organisations: QuerySet[Organisation]) -> QuerySet[Location]:
    return Location.objects.filter(organisation__in=organisations).select_related(
        "organisation"
    )


class OrganisationFormMixin:
    """The organisation is one of those the person works for (any, for coordinators)."""

    fields: dict
    cleaned_data: dict

    def _limit_organisations(self, organisations: QuerySet[Organisation]) -> None:
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        if len(organisations) == 1:
            field.empty_label = None

    def _check_place_owner(self, name: str, places) -> None:
        organisation = self.cleaned_data.get("organisation")
        if organisation is None:
            return
        if any(place.organisation_id != organisation.pk for place in places):
            cast(forms.Form, self).add_error(
                name, _("Choose places of the organisation offering it.")
            )


class ListingForm(OrganisationFormMixin, forms.ModelForm):
    """What services and events share."""

    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations)
        categories = cast(forms.ModelMultipleChoiceField, self.fields["categories"])
        categories.widget = forms.CheckboxSelectMultiple()
        categories.queryset = Category.objects.all()
        categories.help_text = _("Families find it under these categories.")
        for name in ("summary", "cost_description", "phone"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean_age_min(self):
        age = self.cleaned_data.get("age_min")
        if age is not None and age > MAX_AGE:
            raise forms.ValidationError(
                _("Ages go up to %(max)s years.") % {"max": MAX_AGE}
            )
        return age

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_free") and not cleaned.get("cost_description"):
            self.add_error(
                "cost_description",
                _("Say what it costs, or tick “free of charge”."),
            )
        return cleaned


COMMON_FORM_FIELDS = [
    "organisation",
    "name",
    "summary",
    "description",
    "categories",
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
]


class ServiceForm(ListingForm):
    places = PlacesChoiceField(
        label=_("Places"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Where families find the service. Add places in “Places”."),
    )

    class Meta:
        model = Service
        fields = [*COMMON_FORM_FIELDS, "how_to_access"]

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        places = cast(forms.ModelMultipleChoiceField, self.fields["places"])
        places.queryset = _places_of(organisations)
        if self.instance.pk:
            self.initial.setdefault(
                "places", [place.pk for place in self.instance.locations.all()]
            )

    def clean(self):
        cleaned = super().clean()
        self._check_place_owner("places", cleaned.get("places") or [])
        return cleaned


class OpeningHoursForm(forms.Form):
    """One weekly slot at one place; blank rows are left out."""

    place = PlaceChoiceField(label=_("Place"), queryset=Location.objects.none())
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "—"), *Weekday.choices], coerce=int
    )
    opens_at = forms.TimeField(label=_("Opens at"), widget=TimeInput)
    closes_at = forms.TimeField(label=_("Closes at"), widget=TimeInput)

    def __init__(self, *args, places: QuerySet[Location], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["place"]).queryset = places

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("It must close after it opens."))
        return cleaned


OpeningHoursFormSet = forms.formset_factory(
    OpeningHoursForm, extra=2, can_delete=True, max_num=60, validate_max=True
)


def opening_hours_formset(
    data=None, *, organisations: QuerySet[Organisation], service: Service | None
):
    initial = []
    if service is not None and service.pk:
        initial = [
            {
                "place": slot.service_at_location.location_id,
                "weekday": slot.weekday,
                "opens_at": slot.opens_at,
                "closes_at": slot.closes_at,
            }
            for at in service.service_at_locations.prefetch_related("opening_hours")
            for slot in at.opening_hours.all()
        ]
    return OpeningHoursFormSet(
        data,
        prefix="hours",
        initial=initial,
        form_kwargs={"places": _places_of(organisations)},
    )


def opening_hours_of(formset) -> list[tuple[Location, int, dt.time, dt.time]]:
    return [
        (
            form.cleaned_data["place"],
            form.cleaned_data["weekday"],
            form.cleaned_data["opens_at"],
            form.cleaned_data["closes_at"],
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class EventForm(ListingForm):
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        required=False,
        choices=[
            ("", _("Does not repeat")),
            ("weekly", _("Every week")),
            ("biweekly", _("Every two weeks")),
            ("monthly", _("Every month")),
            ("custom", _("Another rule (advanced)")),
        ],
    )
    repeat_count = forms.IntegerField(
        label=_("How many times in all"),
        required=False,
        min_value=2,
        max_value=MAX_OCCURRENCES,
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        help_text=_("How many people can come, adults and children together."),
    )
    unlimited = forms.BooleanField(
        label=_("No seat limit"),
        required=False,
        help_text=_("Tick it when families book but any number may come."),
    )

    class Meta:
        model = Event
        fields = [
            *COMMON_FORM_FIELDS[:4],
            "location",
            "starts_at",
            "ends_at",
            "repeat",
            "repeat_count",
            "rrule",
            *COMMON_FORM_FIELDS[4:],
            "booking_enabled",
            "capacity",
            "unlimited",
        ]
        field_classes = {
            "location": PlaceChoiceField,
            "starts_at": BoundedDateTimeField,
            "ends_at": BoundedDateTimeField,
        }
        widgets = {"starts_at": DateTimeLocalInput, "ends_at": DateTimeLocalInput}
        help_texts = {
            "rrule": _(
                "For “another rule”: an iCalendar RRULE that ends, with COUNT or "
                "UNTIL, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8."
            )
        }

    field_order = Meta.fields

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        place = cast(forms.ModelChoiceField, self.fields["location"])
        place.queryset = _places_of(organisations)
        place.empty_label = _("No place (online or to be announced)")
        event = self.instance
        if event.pk:
            self.initial.setdefault(
                "unlimited", event.booking_enabled and event.capacity is None
            )
            for name, pattern in PRESET_PATTERNS.items():
                match = pattern.match(event.rrule or "")
                if match:
                    self.initial.setdefault("repeat", name)
                    self.initial.setdefault("repeat_count", int(match.group(1)))
                    break
            else:
                self.initial.setdefault("repeat", "custom" if event.rrule else "")

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity <= 0:
            raise forms.ValidationError(
                _("The number of seats must be greater than zero.")
            )
        return capacity

    def clean(self):
        cleaned = super().clean()
        location = cleaned.get("location")
        self._check_place_owner("location", [location] if location else [])
        self._clean_booking(cleaned)
        self._clean_repeat(cleaned)
        return cleaned

    def _clean_booking(self, cleaned: dict) -> None:
        capacity, unlimited = cleaned.get("capacity"), cleaned.get("unlimited")
        if unlimited and capacity is not None:
            self.add_error(
                "capacity", _("Leave the seats empty when there is no seat limit.")
            )
        elif (
            cleaned.get("booking_enabled")
            and capacity is None
            and not unlimited
            and "capacity" not in self.errors
        ):
            self.add_error(
                "capacity",
                _("Give the number of seats for bookings, or tick “No seat limit”."),
            )

    def _clean_repeat(self, cleaned: dict) -> None:
        repeat = cleaned.get("repeat") or ""
        if repeat in REPEAT_PRESETS:
            count = cleaned.get("repeat_count")
            if count is None:
                if "repeat_count" not in self.errors:
                    self.add_error(
                        "repeat_count", _("Say how many times the event takes place.")
                    )
                return
            cleaned["rrule"] = REPEAT_PRESETS[repeat].format(count=count)
            return
        rule = (cleaned.get("rrule") or "").strip()
        if rule.upper().startswith("RRULE:"):
            rule = rule[len("RRULE:") :]
        cleaned["rrule"] = rule.upper()
        if repeat == "custom" and not rule:
            self.add_error("rrule", _("Write the rule, or choose how it repeats."))
            return
        if rule:
            error = rrule_error(rule, cleaned.get("starts_at"))
            if error:
                self.add_error("rrule", error)


def rrule_error(rule: str, starts_at: dt.datetime | None):
    """Why an RRULE cannot be used, or None when it parses and ends."""
    parts = {p.split("=", 1)[0].strip().upper() for p in rule.split(";") if p}
    if not parts & {"COUNT", "UNTIL"}:
        return _("The rule must end: give COUNT or UNTIL.")
    try:
        parsed = parse_rule(rule, starts_at or timezone.now())
    except ValidationError as error:
        return error.messages[0]
    dates = list(islice(parsed, MAX_OCCURRENCES + 1))
    if not dates:
        return _("With this rule the event never happens: check COUNT and UNTIL.")
    if len(dates) > MAX_OCCURRENCES:
        return _("The rule gives too many dates: at most %(max)s.") % {
            "max": MAX_OCCURRENCES
        }
    return None


class LocationForm(OrganisationFormMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "organisation",
            "name",
            "address",
            "postal_code",
            "city",
            "area",
            "latitude",
            "longitude",
            "accessibility",
        ]
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 43.8429. Shown on the map."),
            "longitude": _("Decimal degrees, e.g. 10.5027."),
        }

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations)


class ManagementFilterForm(forms.Form):
    """The catalogue's management list narrowed by words in the name and status."""

    cerca = forms.CharField(label=_("Name contains"), max_length=100, required=False)
    stato = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Service.Status.choices],
    )
