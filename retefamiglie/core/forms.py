from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


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
