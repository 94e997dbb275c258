from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import User


def _privacy_label() -> str:
    return format_html(
        str(_('I have read the <a href="{}">privacy notice</a>')),
        reverse("core:privacy"),
    )


class SignupForm(forms.Form):
    """Extra fields of allauth's signup form."""

    display_name = forms.CharField(
        label=_("Name shown to others"),
        max_length=80,
        required=False,
        help_text=_("Optional. You can change it later."),
    )
    accept_privacy = forms.BooleanField(
        label=lazy(_privacy_label, str)(),
        required=True,
        error_messages={
            "required": _("To create an account, accept the privacy notice.")
        },
    )

    def signup(self, request, user) -> None:
        """Required by allauth; the adapter saves these fields."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not your e-mail address: nothing has been deleted.")
            )
        return value
