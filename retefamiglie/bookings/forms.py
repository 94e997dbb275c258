"""The fields every booking asks: seats by adults and children's age bands,
needs, a name and an e-mail address. No field for a child's name, school or
photo (privacy rules in DESIGN.md)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgeBand, BookingBase, Language

MAX_ADULTS = 10
MAX_CHILDREN_PER_BAND = 9
HONEYPOT_FIELD = "website"


def children_field_name(band: str) -> str:
    return "children_" + band.replace("-", "_")


def _number(maximum: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        max_value=maximum,
        required=False,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": maximum, "inputmode": "numeric"}
        ),
        **kwargs,
    )


class BookingDetailsForm(forms.Form):
    """Who comes and what they need; ``capacity`` bounds the seats of one booking."""

    adults = _number(MAX_ADULTS, label=_("Adults"), initial=1)
    needs_childcare = forms.BooleanField(
        label=_("We need someone to look after the children during the event"),
        required=False,
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=BookingBase._meta.get_field("accessibility_needs").max_length,
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
        max_length=BookingBase._meta.get_field("name").max_length,
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

    def __init__(self, *args: Any, capacity: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.capacity = capacity
        for band, label in AgeBand.choices:
            self.fields[children_field_name(band)] = _number(
                MAX_CHILDREN_PER_BAND, label=label
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
        names = ["adults"] + [children_field_name(b) for b in AgeBand.values]
        if any(self.has_error(name) for name in names):
            return cleaned
        seats = sum(cleaned.get(name) or 0 for name in names)
        if seats < 1:
            raise forms.ValidationError(
                _("Book at least one seat, for an adult or a child."), code="no_seats"
            )
        if self.capacity is not None and seats > self.capacity:
            raise forms.ValidationError(
                _("This event has %(capacity)d seats: book at most %(capacity)d."),
                params={"capacity": self.capacity},
                code="too_many",
            )
        return cleaned

    def booking_data(self) -> dict[str, Any]:
        """The validated data in the shape ``bookings.services.fill`` expects."""
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
