"""Labels shared by the sections: areas and categories, resolved at reading
time in the reader's language (one query each)."""

from collections.abc import Callable, Iterable
from datetime import datetime
from importlib import import_module

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retefamiglie.directory.models import Category
from retefamiglie.network.models import Area

from ..indicators import NO_AREA, Dimension, Fact


def area_labels() -> dict[str, str]:
    labels = dict(Area.objects.values_list("slug", "name"))
    labels[NO_AREA] = _("No area given")
    return labels


def category_labels() -> dict[str, str]:
    return {category.slug: category.label for category in Category.objects.all()}


CATEGORY = Dimension("category", gettext_lazy("Category"), category_labels)


def contributed_facts(
    app: str, key: str
) -> Callable[[datetime, datetime], Iterable[Fact]]:
    """The facts of an indicator that an app to the left of monitoring computes
    itself, through the contract of ADR 0018: its ``selectors.monitoring_facts(
    *, start, end)`` yields ``(indicator_key, area_slug, values, weight)``."""

    def read(start: datetime, end: datetime) -> Iterable[Fact]:
        selectors = import_module(f"retefamiglie.{app}.selectors")
        for found, area, values, weight in selectors.monitoring_facts(
            start=start, end=end
        ):
            if found == key:
                yield Fact(
                    areas=(area or NO_AREA,),
                    values={name: tuple(v) for name, v in values.items()},
                    weight=weight,
                )

    return read


def contributes(app: str) -> bool:
    """Whether the app exposes the contract yet (its section waits until then)."""
    selectors = import_module(f"retefamiglie.{app}.selectors")
    return hasattr(selectors, "monitoring_facts") and hasattr(
        selectors, "monitoring_labels"
    )


def contributed_labels(app: str, dimension: str) -> Callable[[], dict[str, str]]:
    """Labels of a dimension an app names itself: its ``selectors.
    monitoring_labels(dimension)`` returns value → label in the active language."""

    def labels() -> dict[str, str]:
        selectors = import_module(f"retefamiglie.{app}.selectors")
        return dict(selectors.monitoring_labels(dimension))

    return labels
