"""The filters of the public catalogue: sent by GET, so links keep them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from retefamiglie.network.models import Area

from .models import MAX_AGE, Category, Language, Weekday


class ServiceSearchForm(forms.Form):
    """Search and filters shared by the services list and the map.

    Parameter names are Italian because they show in shared links.
    """

    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("For example: after-school, swimming pool, psychologist."),
    )
    categoria = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("order", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    eta = forms.IntegerField(
        label=_("Age of the child (years)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    zona = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )
    lingua = forms.ChoiceField(
        label=_("Language spoken"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )
    giorno = forms.TypedChoiceField(
        label=_("Open on"),
        choices=[("", _("Any day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    gratis = forms.BooleanField(label=_("Free of charge only"), required=False)

    def filters(self) -> dict:
        """The valid filters by selector argument; an invalid one is ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip() or None,
            "category": data.get("categoria"),
            "age": data.get("eta"),
            "area": data.get("zona"),
            "language": data.get("lingua") or None,
            "weekday": data.get("giorno"),
            "free": bool(data.get("gratis")),
        }
