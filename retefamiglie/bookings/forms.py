"""The fields every booking asks: seats by adults and children's age bands,
needs, a name and an e-mail address. No field for a child's name, school or
photo (privacy rules in DESIGN.md)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.forms import ChildrenByAgeForm, HoneypotForm, count_field
from retefamiglie.core.vocabularies import Language

from .models import BookingBase

MAX_ADULTS = 10


class BookingDetailsForm(HoneypotForm, ChildrenByAgeForm):
    """Who comes and what they need; ``capacity`` bounds the seats of one booking."""

    honeypot_message = _("The booking could not be sent. Please try again.")

    adults = count_field(MAX_ADULTS, label=_("Adults"), initial=1)
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

    def __init__(self, *args: Any, capacity: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.capacity = capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        names = ["adults", *self.children_field_names]
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
            "children": self.children_counts(),
            "needs_childcare": data.get("needs_childcare", False),
            "accessibility_needs": data.get("accessibility_needs", "").strip(),
            "interpreter_language": data.get("interpreter_language", ""),
        }
