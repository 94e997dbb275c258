"""Forms of the staff area: inbox filter, actions on a request, help offers."""

from datetime import datetime, time, timedelta
from typing import cast

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from retefamiglie.core.forms import BoundedDateField
from retefamiglie.core.vocabularies import language_choices
from retefamiglie.network.models import Area

from . import selectors
from .models import (
    HelpKind,
    HelpOffer,
    HelpRequest,
    Outcome,
    Referral,
    Urgency,
)

STATUS_OPEN = "open"
STATUS_ALL = "all"

BODY_MAX_LENGTH = 2000


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (STATUS_OPEN, _("Open requests")),
            (STATUS_ALL, _("All requests")),
            *HelpRequest.Status.choices,
        ],
    )

    def selected_status(self) -> str:
        """The status for ``selectors.inbox_for``: open requests unless told."""
        if not self.is_valid():
            return STATUS_OPEN
        status = self.cleaned_data["status"] or STATUS_OPEN
        return "" if status == STATUS_ALL else status


class TriageForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of help"),
        choices=HelpKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
    )


class OrganisationsField(forms.ModelMultipleChoiceField):
    """Organisations to choose, the suggested ones labelled with why and how busy."""

    suggestions: dict[int, selectors.Suggestion] = {}

    def label_from_instance(self, obj) -> str:
        suggestion = self.suggestions.get(obj.pk)
        if suggestion is None:
            return str(obj)
        load = ngettext(
            "%(count)d open request",
            "%(count)d open requests",
            suggestion.open_referrals,
        ) % {"count": suggestion.open_referrals}
        if suggestion.reasons:
            return _("%(name)s — suggested (%(reasons)s; %(load)s)") % {
                "name": obj,
                "reasons": ", ".join(suggestion.reasons),
                "load": load,
            }
        return _("%(name)s — suggested (%(load)s)") % {"name": obj, "load": load}


class ReferForm(forms.Form):
    organisations = OrganisationsField(
        label=_("Send to"),
        queryset=selectors.organisations_for_referral(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Suggested organisations come first: they offer this kind of help, "
            "in this area or in the family's language."
        ),
    )
    note = forms.CharField(
        label=_("Note for the organisations"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The family does not read this note."),
    )

    def __init__(self, *args, help_request: HelpRequest, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        suggested = {s.organisation.pk: s for s in suggestions}
        # Organisations already working on it need no second referral.
        busy = help_request.referrals.filter(
            status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
        ).values("organisation_id")
        order = [
            When(pk=pk, then=Value(position)) for position, pk in enumerate(suggested)
        ]
        queryset = selectors.organisations_for_referral().exclude(pk__in=busy)
        if order:
            queryset = queryset.annotate(
                suggested_order=Case(
                    *order, default=Value(len(order)), output_field=IntegerField()
                )
            ).order_by("suggested_order", "name")
        field = cast(OrganisationsField, self.fields["organisations"])
        field.queryset = queryset
        field.suggestions = suggested


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can't your organisation take it on?"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator reads it to send the request to someone else."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the family"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The family reads it on its private page and is told by e-mail if it "
            "gave an address."
        ),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff and coordinators read it; the family never does."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label)
            for value, label in Outcome.choices
            if value != Outcome.WITHDRAWN
        ],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Closing words for the family"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    since = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = BoundedDateField(
        label=_("To (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned

    def period(self) -> tuple[datetime | None, datetime | None]:
        """The period as aware datetimes; the end day is included."""
        if not self.is_valid():
            return None, None
        zone = timezone.get_current_timezone()
        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        return (
            datetime.combine(since, time.min, tzinfo=zone) if since else None,
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
            if until
            else None,
        )


class HelpOfferForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of help offered"),
        choices=HelpKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the organisation serves the whole city."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=language_choices(other=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HelpOffer
        fields = ["accepts_referrals", "kinds", "areas", "languages"]
