from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.dates import MONTHS as DJANGO_MONTHS
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import Frequency
from .services import frequency_for


def kind_field_name(name: str) -> str:
    return "kind__" + name.replace(".", "__")


class PreferencesForm(forms.Form):
    """One choice per kind of notice, then the language and the quiet time."""

    language = forms.ChoiceField(
        label=_("Language of notices"), choices=settings.LANGUAGES
    )
    quiet_from = forms.TimeField(
        label=_("No push notifications from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(
        self, *args: Any, user: Any, include_staff: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind_groups: list[tuple[str, list[str]]] = []
        audiences = ["family", "staff"] if include_staff else ["family"]
        for audience in audiences:
            names = []
            for kind in kinds.optional_kinds(audience=audience):
                field = kind_field_name(kind.name)
                self.fields[field] = forms.ChoiceField(
                    label=str(kind.label),
                    choices=Frequency.choices,
                    initial=frequency_for(user, kind),
                    # A kind missing from the form keeps its current choice.
                    required=False,
                )
                self.fields[field].kind_name = kind.name  # type: ignore[attr-defined]
                names.append(field)
            if names:
                self.kind_groups.append((audience, names))

    def kind_fields(self, audience: str) -> list[forms.BoundField]:
        for group, names in self.kind_groups:
            if group == audience:
                return [self[name] for name in names]
        return []

    @property
    def family_fields(self) -> list[forms.BoundField]:
        return self.kind_fields("family")

    @property
    def staff_fields(self) -> list[forms.BoundField]:
        return self.kind_fields("staff")

    def frequencies(self) -> dict[str, str]:
        return {
            self.fields[name].kind_name: self.cleaned_data[name]  # type: ignore[attr-defined]
            for _audience, names in self.kind_groups
            for name in names
            if self.cleaned_data.get(name)
        }


# Django's own month names, so this catalogue does not override its translation.
MONTHS = list(DJANGO_MONTHS.items())


class ChildForm(forms.Form):
    """A child by month and year of birth only: the site never asks a name."""

    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"), choices=[("", "—"), *MONTHS], coerce=int
    )
    birth_year = forms.TypedChoiceField(label=_("Year of birth"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = [(year, str(year)) for year in range(this_year, this_year - 26, -1)]
        self.fields["birth_year"].choices = [("", "—"), *years]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        year, month = cleaned.get("birth_year"), cleaned.get("birth_month")
        if year and month and (year, month) > (today.year, today.month):
            self.add_error("birth_month", _("This month has not come yet."))
        return cleaned


class InterestsForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Areas of the city that interest you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages your family speaks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = kinds.family_choices("areas")  # type: ignore[attr-defined]
        self.fields["languages"].choices = kinds.family_choices("languages")  # type: ignore[attr-defined]


class SaveSearchForm(forms.Form):
    scope = forms.CharField(widget=forms.HiddenInput, max_length=40)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=80,
        help_text=_("For example: sport for Luca, Sant'Anna."),
    )
    frequency = forms.ChoiceField(
        label=_("Tell me about new results"),
        choices=[
            (Frequency.IMMEDIATE, _("At once")),
            (Frequency.DAILY, Frequency.DAILY.label),
            (Frequency.WEEKLY, Frequency.WEEKLY.label),
        ],
        initial=Frequency.DAILY,
    )

    def clean_scope(self) -> str:
        scope: str = self.cleaned_data["scope"]
        if scope not in kinds.search_scopes():
            raise forms.ValidationError(_("This list cannot be saved."))
        return scope


class SavedSearchFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Tell me"), choices=Frequency.choices)
