"""Forms for members' reports and the network's report."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retefamiglie.network.models import Organisation

from .models import NetworkReport, Period, Report

FIRST_YEAR = 2020


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """A reporting period: a year and a half of it, or the whole year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)


class NewReportForm(PeriodForm):
    """Which member's report to write, and for which period."""

    organisation = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        to_field_name="slug",
    )
    field_order = ["organisation", "year", "period"]

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = organisations


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "activities",
            "volunteer_hours",
            "families_reached",
            "children_reached",
            "help_requests_handled",
            "resources",
            "difficulties",
        ]
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 10}),
            "resources": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "activities": _(
                "Pre-filled with your commitments and the progress recorded on the "
                "platform: check it and add what is missing."
            ),
            "families_reached": _(
                "Pre-filled with the help requests your organisation took on; add "
                "the families you reached in other ways."
            ),
            "children_reached": _(
                "Pre-filled with the children of the families who asked for help."
            ),
            "help_requests_handled": _(
                "Help requests your organisation accepted in the period."
            ),
        }


class NetworkReportForm(forms.ModelForm):
    class Meta:
        model = NetworkReport
        fields = ["introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "introduction": _(
                "What the network did in the period, in a few paragraphs: the "
                "figures below are added from the members' filed reports."
            )
        }
