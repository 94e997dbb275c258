"""Forms of the pact's versions: edit, transition, sign, comment, answer, compare."""

from django import forms
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.forms import BoundedDateField
from retefamiglie.network.models import Organisation

from .models import PactVersion, SectionComment, SectionKind, Signature


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def section_field_name(kind: str) -> str:
    return f"section_{kind}"


class VersionForm(forms.ModelForm):
    """Title, summary, dates and the text of every section, in one form."""

    class Meta:
        model = PactVersion
        fields = ["title", "summary", "valid_from", "valid_until", "consultation_until"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "consultation_until": DateInput(),
        }

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        bodies = {section.kind: section.body for section in sections}
        for kind in SectionKind:
            self.fields[section_field_name(kind)] = forms.CharField(
                label=kind.label,
                initial=bodies.get(kind.value, ""),
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def section_texts(self) -> dict[str, str]:
        return {
            kind.value: self.cleaned_data[section_field_name(kind)]
            for kind in SectionKind
        }

    def version_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=PactVersion.Status.choices)
    consultation_until = BoundedDateField(
        label=_("Consultation open until"), required=False, widget=DateInput()
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput())


class SignForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Member"), queryset=Organisation.objects.none(), empty_label=None
    )
    signer_role = forms.CharField(
        label=_("You sign in the role of"),
        max_length=Signature._meta.get_field("signer_role").max_length,
        help_text=_("For example: legal representative, president, head teacher."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=SectionComment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        # Staff of a member comment on its behalf; a coordinator comments as such.
        self.organisations = list(organisations)
        if self.organisations:
            field.empty_label = None
        else:
            del self.fields["organisation"]

    def clean_organisation(self):
        chosen = self.cleaned_data.get("organisation")
        if chosen is None and self.organisations:
            if len(self.organisations) > 1:
                raise forms.ValidationError(
                    _("Choose the member on whose behalf you comment.")
                )
            chosen = self.organisations[0]
        return chosen


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CompareForm(forms.Form):
    con = forms.TypedChoiceField(
        label=_("Compare with version"), coerce=int, choices=()
    )

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["con"].choices = [(n, str(n)) for n in numbers]
