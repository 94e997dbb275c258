"""Forms of the family side: asking for help, replying, withdrawing.

Children are counted per age band: the form has no field for a child's name,
school or photo (privacy rules in DESIGN.md).
"""

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.forms import ChildrenByAgeForm, HoneypotForm
from retefamiglie.core.vocabularies import Language, language_choices
from retefamiglie.network.models import Area

from .models import ContactMethod, HelpKind, HelpRequest, Urgency

# Anything a person types in a phone number: digits, spaces, +, (), -, /, dots.
PHONE_RE = re.compile(r"^\+?[0-9 ().\-/]+$")
MIN_PHONE_DIGITS = 6


class HelpRequestForm(HoneypotForm, ChildrenByAgeForm):
    """What a family tells the network when it asks for help; no account needed."""

    honeypot_message = _("Your request could not be sent. Please try again later.")

    kinds = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
        error_messages={"required": _("Choose at least one kind of help.")},
    )
    description = forms.CharField(
        label=_("Tell us in a few words what is happening"),
        max_length=HelpRequest._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A few lines are enough, in any language. Please do not write your "
            "children's names."
        ),
        error_messages={"required": _("Write a few words about what you need.")},
    )
    area = forms.ModelChoiceField(
        label=_("Where do you live?"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=_("I'd rather not say"),
        help_text=_("Only the area, so we can find help near you."),
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should contact you.")},
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
        ),
        help_text=_("Needed if you chose a phone call or a text message."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Needed if you chose e-mail. We also send you the link to follow your "
            "request."
        ),
    )
    contact_name = forms.CharField(
        label=_("Name to ask for"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        help_text=_("Optional: who we should ask for when we call."),
    )
    contact_times = forms.CharField(
        label=_("When can we contact you?"),
        max_length=200,
        required=False,
        help_text=_("Optional, for example: weekday mornings, after 6 pm."),
    )
    language = forms.ChoiceField(
        label=_("Which language do you prefer to speak?"),
        choices=language_choices(other=True),
    )
    needs_interpreter = forms.BooleanField(
        label=_("I need an interpreter"), required=False
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
        error_messages={"required": _("Tell us how urgent it is.")},
    )
    accept_privacy = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "To send your request, confirm that you have read the privacy notice."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = (get_language() or "").split("-")[0]
        self.fields["language"].initial = (
            language if language in Language.values else Language.ITALIAN
        )
        self.fields["accept_privacy"].label = format_html(
            str(
                _(
                    'I have read the <a href="{}" target="_blank" rel="noopener">'
                    "privacy notice</a> (opens in a new tab) and I agree that the "
                    "network uses what I wrote to help my family"
                )
            ),
            reverse("core:privacy"),
        )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and (
            not PHONE_RE.match(phone)
            or sum(c.isdigit() for c in phone) < MIN_PHONE_DIGITS
        ):
            raise forms.ValidationError(
                _("This does not look like a phone number: check it, please.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        method = cleaned.get("contact_method")
        needs_phone = method in (ContactMethod.PHONE, ContactMethod.SMS)
        # A field that already has an error (a malformed value) keeps only that one.
        if (
            needs_phone
            and not cleaned.get("contact_phone")
            and not self.has_error("contact_phone")
        ):
            self.add_error(
                "contact_phone",
                _("Give us a phone number, so that we can call you or text you."),
            )
        if (
            method == ContactMethod.EMAIL
            and not cleaned.get("contact_email")
            and not self.has_error("contact_email")
        ):
            self.add_error(
                "contact_email",
                _("Give us an e-mail address, so that we can write to you."),
            )
        return cleaned

    def submission_data(self) -> dict[str, Any]:
        """The validated data in the shape ``services.request_submit`` expects."""
        data = self.cleaned_data
        return {
            "kinds": data["kinds"],
            "description": data["description"].strip(),
            "children": self.children_counts(),
            "area": data.get("area"),
            "contact_method": data["contact_method"],
            "contact_name": data.get("contact_name", "").strip(),
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
            "contact_times": data.get("contact_times", "").strip(),
            "language": data["language"],
            "needs_interpreter": data.get("needs_interpreter", False),
            "urgency": data["urgency"],
        }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your message first.")},
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to withdraw my request: I no longer need help"),
        required=True,
        error_messages={
            "required": _("Tick the box to confirm that you want to withdraw.")
        },
    )
    reason = forms.CharField(
        label=_("Why? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the problem is solved, or I found help elsewhere."),
    )
