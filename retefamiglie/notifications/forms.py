from typing import Any

from django import forms
from django.conf import settings
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
        }
