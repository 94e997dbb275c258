from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Organisation, OrganisationStaff


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["description", "area", "address", "email", "phone", "website", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class DirectoryFilterForm(forms.Form):
    """Filters of the public member directory; sent by GET, so links keep them."""

    type = forms.ChoiceField(
        label=_("Kind of member"),
        choices=[("", _("All kinds")), *Organisation.Type.choices],
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )

    def filters(self) -> dict:
        """The valid filters; an invalid value is ignored, not an error page."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "type": self.cleaned_data.get("type") or None,
            "area": self.cleaned_data.get("area"),
        }


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "They receive a link; they log in or create an account with this "
            "address to accept."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganisationStaff.Role.choices,
        initial=OrganisationStaff.Role.EDITOR,
        widget=forms.RadioSelect,
        help_text=_(
            "Editors publish and answer for the organisation; administrators can "
            "also edit its profile and manage its staff."
        ),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is your organisation leaving the network?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The coordinators read it; it is not shown publicly."),
        error_messages={"required": _("Tell the network why you are leaving.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the organisation leaves the network. Its signatures of "
            "the pact remain on record."
        ),
        error_messages={"required": _("Confirm that the organisation is leaving.")},
    )
