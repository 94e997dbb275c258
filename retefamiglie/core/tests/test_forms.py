"""Shared form helpers."""

from django import forms
from django.core.exceptions import ValidationError

from retefamiglie.core.forms import apply_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_services_errors_land_on_the_field_they_name_or_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"name": "Taken.", "slug": "Clash."}))
    apply_errors(form, ValidationError("Closed."))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Clash.", "Closed."]
