from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Decision, Reason
from .selectors import QUEUE_ALL, QUEUE_AWAITING, QUEUE_DECIDED


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you flagging this?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person you flag is not told who you are."),
    )


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (QUEUE_AWAITING, _("Waiting for a decision")),
            (QUEUE_DECIDED, _("Decided")),
            (QUEUE_ALL, _("All")),
        ],
    )

    def selected(self) -> str:
        if not self.is_valid():
            return QUEUE_AWAITING
        return self.cleaned_data["show"] or QUEUE_AWAITING


class DecisionForm(forms.Form):
    """On the case page beside ``SuspensionForm``: ids of its own, same names."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decision_%s")
        super().__init__(*args, **kwargs)

    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (kept in the history)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SuspensionForm(forms.Form):
    scope = forms.ChoiceField(label=_("Suspend from"), choices=())
    reason = forms.CharField(
        label=_("Reason (the person is told)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "suspension_%s")
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(registry.suspension_scopes().items())
