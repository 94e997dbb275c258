from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .vocabularies import AgeBand

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class BootstrapItaliaFormRenderer(TemplatesSetting):
    """Render every form and field with Bootstrap Italia's markup."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


# Dates people and links may give: wide enough for any real use, narrow enough
# that a page can add a year or go to the next month without leaving the
# calendar (a date of year 9999 plus a day is an error, not a date).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def in_date_bounds(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def bounded_month(value: str | None, default: date) -> date:
    """The first day of the month ``value`` ("2026-12") names, or of ``default``'s
    month when ``value`` is not a month within the bounds."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = None
    if first is None or not in_date_bounds(first):
        return default.replace(day=1)
    return first


def _bounds_error() -> forms.ValidationError:
    return forms.ValidationError(
        _("Enter a date between %(earliest)s and %(latest)s."),
        code="out_of_bounds",
        params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
    )


class BoundedDateField(forms.DateField):
    """A date between ``EARLIEST_DATE`` and ``LATEST_DATE``; the date picker
    offers only those."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not in_date_bounds(value):
            raise _bounds_error()


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time whose day is between ``EARLIEST_DATE`` and ``LATEST_DATE``."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not in_date_bounds(value.date()):
            raise _bounds_error()


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from: on the field
    it names when the form has one, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def count_field(maximum: int, **kwargs: Any) -> forms.IntegerField:
    """An optional whole number from 0 to ``maximum`` (a number of people)."""
    return forms.IntegerField(
        min_value=0,
        max_value=maximum,
        required=False,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": maximum, "inputmode": "numeric"}
        ),
        **kwargs,
    )


MAX_CHILDREN_PER_BAND = 9


def children_field_name(band: str) -> str:
    return "children_" + band.replace("-", "_")


class ChildrenByAgeForm(forms.Form):
    """How many children, per age band (``core.vocabularies.AgeBand``): the
    form asks no child's name, school or photo (privacy rules in DESIGN.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for band, label in AgeBand.choices:
            self.fields[children_field_name(band)] = count_field(
                MAX_CHILDREN_PER_BAND, label=label
            )

    @property
    def children_field_names(self) -> list[str]:
        return [children_field_name(band) for band in AgeBand.values]

    @property
    def children_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.children_field_names]

    def children_counts(self) -> dict[str, int]:
        """The validated counts by band, without the empty ones."""
        data = self.cleaned_data
        return {
            band: data[children_field_name(band)]
            for band in AgeBand.values
            if data.get(children_field_name(band))
        }


HONEYPOT_FIELD = "website"


class HoneypotForm(forms.Form):
    """A trap for bots: a field hidden from people (the template hides it with
    CSS and ``aria-hidden``), so a form that comes back with it filled in is
    refused with ``honeypot_message``."""

    honeypot_message: "_StrPromise | str" = _(
        "The form could not be sent. Please try again."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    @property
    def honeypot(self) -> forms.BoundField:
        return self[HONEYPOT_FIELD]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(self.honeypot_message, code="honeypot")
        return cleaned
