"""The filters of the public catalogue: sent by GET, so links keep them."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from retefamiglie.core import pagecache
from retefamiglie.core.vocabularies import Language
from retefamiglie.network.models import Area

from .models import MAX_AGE, Category, Weekday


class _CachedChoices(ModelChoiceIterator):
    """The field's rows from the pages cache rather than a query per render."""

    field: "CatalogueChoiceField"

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.cached_rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.cached_rows()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.cached_rows())


class CatalogueChoiceField(forms.ModelChoiceField):
    """A choice of categories or areas, read once per catalogue version (ADR 20).

    Categories and areas belong to apps that renew the pages' version on every
    change, so the rows are kept under it; labels are still made at rendering,
    in the visitor's language. Validation looks the chosen slug up as before.
    """

    iterator = _CachedChoices

    def cached_rows(self) -> list[Any]:
        queryset = self.queryset
        assert queryset is not None  # noqa: S101 - set in the declaration
        return pagecache.versioned(
            f"choices:{queryset.model._meta.label_lower}:{queryset.query}",
            lambda: list(queryset.all()),
        )


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
    categoria = CatalogueChoiceField(
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
    zona = CatalogueChoiceField(
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
