from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CITY
from .periods import Period, PeriodKind

KIND_GROUPS: dict[str, Any] = {
    PeriodKind.MONTH: _("Months"),
    PeriodKind.QUARTER: _("Quarters"),
    PeriodKind.YEAR: _("Years"),
}


class DashboardForm(forms.Form):
    """The period and the area the dashboard shows; every choice is a link-able
    URL (GET), so the page works without JavaScript."""

    periodo = forms.ChoiceField(label=_("Period"), required=False)
    zona = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, periods: dict[str, list[Period]], areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        period_field: Any = self.fields["periodo"]
        period_field.choices = [
            (str(KIND_GROUPS[kind]), [(p.key, p.label) for p in found])
            for kind, found in periods.items()
            if found
        ]
        area_field: Any = self.fields["zona"]
        area_field.choices = [(CITY, _("The whole city"))] + [
            (area.slug, area.name) for area in areas
        ]

    def default_period(self) -> Period | None:
        """The current quarter if computed, else the newest period there is."""
        current = Period.containing(PeriodKind.QUARTER, timezone.localdate())
        keys = {p.key for found in self.periods.values() for p in found}
        if current.key in keys:
            return current
        newest = [found[0] for found in self.periods.values() if found]
        return max(newest, key=lambda p: p.end) if newest else None

    def chosen(self) -> tuple[Period | None, str]:
        if self.is_bound and self.is_valid():
            period = Period.from_key(self.cleaned_data.get("periodo") or "")
            return period or self.default_period(), self.cleaned_data.get(
                "zona"
            ) or CITY
        return self.default_period(), CITY


class PopulationForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of the population"),
        help_text=_(
            "One line per area, with a header naming the columns “area” (or "
            "“zona”) and “children” (or “minori”): children and young people "
            "aged 0–17, from ISTAT or the registry office."
        ),
    )
    year = forms.IntegerField(
        label=_("Year of the figures"),
        min_value=1990,
        initial=lambda: timezone.localdate().year - 1,
    )
    source = forms.CharField(
        label=_("Source"), max_length=200, initial="ISTAT", required=False
    )
