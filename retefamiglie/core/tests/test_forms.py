"""Shared form helpers."""

from django import forms
from django.core.exceptions import ValidationError

from retefamiglie.core.forms import ChildrenByAgeForm, HoneypotForm, apply_errors
from retefamiglie.core.vocabularies import AgeBand


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_services_errors_land_on_the_field_they_name_or_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"name": "Taken.", "slug": "Clash."}))
    apply_errors(form, ValidationError("Closed."))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Clash.", "Closed."]


class CountsForm(HoneypotForm, ChildrenByAgeForm):
    honeypot_message = "Not sent."

    note = forms.CharField(required=False)


def test_children_are_asked_as_a_count_per_band_and_the_empty_ones_left_out():
    form = CountsForm({"children_0_2": "2", "children_6_10": "0", "website": ""})
    assert form.is_valid()
    assert [field.label for field in form.children_fields] == list(AgeBand.labels)
    assert form.children_counts() == {"0-2": 2}
    assert not CountsForm({"children_3_5": "10"}).is_valid()
    assert not CountsForm({"children_3_5": "-1"}).is_valid()


def test_a_filled_in_trap_field_refuses_the_form_with_its_message():
    form = CountsForm({"note": "hello", "website": "http://spam.example"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Not sent."]
    assert form.honeypot.name == "website"
    assert list(CountsForm().fields)[-1] == "website"
