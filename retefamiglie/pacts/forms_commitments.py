"""Forms for members' commitments: list filters, create, edit, progress updates."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retefamiglie.core import uploads
from retefamiglie.core.forms import BoundedDateField
from retefamiglie.core.uploads import UploadField
from retefamiglie.network.models import Organisation

from .models import Commitment
from .services.commitments import EDITABLE_FIELDS

MAX_EVIDENCE_SIZE = 10 * 1024 * 1024
OBJECTIVE_CHOICES = list(Commitment._meta.get_field("objective").choices or [])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CommitmentFilterForm(forms.Form):
    """Filters of the public list; "late only" for those who may see lateness."""

    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All members"),
    )
    objective = forms.ChoiceField(
        label=_("Objective of the pact"),
        required=False,
        choices=[("", _("All objectives")), *OBJECTIVE_CHOICES],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Commitment.Status.choices],
    )
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args, show_late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Members who chose not to be listed publicly are not offered by name.
        cast(
            forms.ModelChoiceField, self.fields["member"]
        ).queryset = Organisation.objects.filter(
            is_public=True, commitments__isnull=False
        ).distinct()
        if not show_late:
            del self.fields["late"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "organisation": data.get("member"),
            "objective": data.get("objective", ""),
            "status": data.get("status", ""),
            "late_only": bool(data.get("late")),
        }


class _CommitmentFields(forms.ModelForm):
    def clean_target_value(self) -> int:
        value = self.cleaned_data["target_value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(
                _("The target must be a number greater than zero.")
            )
        return value


class CommitmentForm(_CommitmentFields):
    """A new commitment, for one of the members the person may commit."""

    class Meta:
        model = Commitment
        fields = ["organisation", *EDITABLE_FIELDS]
        widgets = {"due_date": DateInput()}
        field_classes = {"due_date": BoundedDateField}

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        field.empty_label = None
        field.label = _("On behalf of")

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date and due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


class CommitmentEditForm(_CommitmentFields):
    """What a commitment promises and its status; dropping it needs a reason."""

    drop_reason = forms.CharField(
        label=_("Why it is dropped"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only if you drop the commitment: members will read it."),
    )

    class Meta:
        model = Commitment
        fields = [*EDITABLE_FIELDS, "status", "participation_objectives"]
        widgets = {
            "due_date": DateInput(),
            "participation_objectives": forms.CheckboxSelectMultiple,
        }
        field_classes = {"due_date": BoundedDateField}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Commitment.Status.DROPPED
            and not (cleaned.get("drop_reason") or "").strip()
        ):
            self.add_error(
                "drop_reason",
                _("Say why the commitment is dropped: members will read it."),
            )
        return cleaned


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    progress_value = forms.IntegerField(
        label=_("Reached so far"),
        min_value=0,
        help_text=_("The total reached since the start, not only this time."),
    )
    link = forms.URLField(
        label=_("Link to evidence"), required=False, assume_scheme="https"
    )
    file = UploadField(
        label=_("Evidence file"),
        required=False,
        kinds=uploads.DOCUMENTS,
        max_size=MAX_EVIDENCE_SIZE,
    )
