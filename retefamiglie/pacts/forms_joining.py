"""Forms of joining the network: the application and the coordinator's review."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from retefamiglie.network.models import Area, Organisation

from .models import JoinApplication, PactVersion
from .services.joining import APPLICATION_FIELDS


class JoinApplicationForm(forms.ModelForm):
    """What an organisation, group or citizen tells the network to join it.

    ``version`` is the pact shown on the page: if another version came into force
    while the form was being filled in, the applicant must read it first.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    accept_pact = forms.BooleanField(
        error_messages={
            "required": _("To join the network, accept the collaboration pact.")
        },
    )
    accept_privacy = forms.BooleanField(
        error_messages={
            "required": _("To join the network, confirm you read the privacy notice.")
        },
    )

    class Meta:
        model = JoinApplication
        fields = list(APPLICATION_FIELDS)
        labels = {
            "type": _("Who is applying?"),
            "name": _("Name of the organisation, group or person"),
            "is_public": _("Show me in the public directory of members"),
        }
        help_texts = {
            "description": _("What you do, for whom, since when."),
            "proposed_commitments": _(
                "What you would offer families and the network: time, places, "
                "goods, skills, activities."
            ),
            "is_public": _(
                "Only for single citizens: organisations and groups always appear "
                "in the directory."
            ),
            "contact_phone": _("Optional."),
        }
        widgets = {
            "type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "proposed_commitments": forms.Textarea(attrs={"rows": 5}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
            ),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, version: PactVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.pact_version = version
        self.fields["version"].initial = version.pk
        self.fields["area"] = forms.ModelChoiceField(
            label=_("Area"),
            queryset=Area.objects.order_by("name"),
            required=False,
            empty_label=_("Whole city"),
            help_text=_("Where you mainly work or live."),
        )
        # A radio button per kind, without an empty "choose" one.
        self.fields["type"].choices = Organisation.Type.choices  # type: ignore[attr-defined]
        self.fields["accept_pact"].label = format_html(
            str(_("I have read the collaboration pact «{title}» and I accept it")),
            title=version.title,
        )
        self.fields["accept_privacy"].label = format_html(
            str(
                _(
                    'I have read the <a href="{}" target="_blank" rel="noopener">'
                    "privacy notice</a> (opens in a new tab)"
                )
            ),
            reverse("core:privacy"),
        )

    def clean_version(self) -> int:
        number = self.cleaned_data["version"]
        if number != self.pact_version.pk:
            raise forms.ValidationError(
                _(
                    "The pact in force changed while you were filling in the form: "
                    "read the new text and accept it again."
                )
            )
        return number

    def application_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(forms.Form):
    APPROVE = "approve"
    CHANGES = "changes"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (APPROVE, _("Approve: the applicant becomes a member of the network")),
            (CHANGES, _("Ask for changes")),
            (REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required to ask for changes (what to change) or to reject (why). The "
            "applicant reads it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        decision = cleaned.get("decision")
        if not cleaned.get("message", "").strip():
            if decision == self.CHANGES:
                self.add_error("message", _("Tell the applicant what to change."))
            elif decision == self.REJECT:
                self.add_error(
                    "message",
                    _("Tell the applicant why the application is rejected."),
                )
        return cleaned
