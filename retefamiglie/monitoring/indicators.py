"""What the dashboard measures: indicators, their breakdowns, their sources.

An indicator is computed from *facts*: one fact per thing counted (a service, a
booking, a help request, a commitment), with the areas it belongs to and its
value in each breakdown (dimension). The snapshot task adds facts up per period,
area and dimension; this module only says what to count and how to name it.

Where indicators come from (ADR 0018):

- capabilities to the left of ``monitoring`` (directory, help requests, network,
  and participation and exchange when they exist) each have a module in
  ``monitoring/sections/`` that reads the app's selectors; it is loaded only if
  the app is installed, so its section appears only then;
- apps to the right (``pacts``) declare ``monitoring_indicators`` on their
  AppConfig: the dotted path of a list of ``Indicator``, read here, so
  ``monitoring`` never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.vocabularies import AgeBand

Labels = Callable[[], dict[str, str]]


@dataclass(frozen=True)
class Fact:
    """One thing counted: in which areas (slugs; "" for none), with which values
    in each dimension (a service may have several categories), and its weight
    (1 for a thing; a number of children; hours, for a median)."""

    areas: tuple[str, ...]
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weight: float = 1


@dataclass(frozen=True)
class Dimension:
    """``ordered``: show the values in the order of ``labels`` (age bands),
    not the largest first."""

    key: str
    title: str | Promise
    labels: Labels
    ordered: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    order: int


@dataclass(frozen=True)
class Indicator:
    """``about_people``: a count of families, children or requests, shown only
    at or above the privacy threshold (privacy.py). ``median``: the figure is
    the median of the facts' weights, not their sum."""

    key: str
    section: Section
    title: str | Promise
    definition: str | Promise
    unit: str | Promise
    facts: Callable[[datetime, datetime], Iterable[Fact]]
    dimensions: tuple[Dimension, ...] = ()
    about_people: bool = False
    median: bool = False
    order: int = 100


AREA = "area"
NO_AREA = ""

# Age bands: the children's (core.vocabularies), and young adults (services
# go up to 25 years, directory.models.MAX_AGE).
ADULT_BAND = "18-25"
AGE_BANDS: list[tuple[str, int, int]] = [
    *((str(band.value), *band.years) for band in AgeBand),
    (ADULT_BAND, 18, 25),
]


def age_band_labels() -> dict[str, str]:
    labels = {value: str(label) for value, label in AgeBand.choices}
    labels[ADULT_BAND] = str(_("18–25 years"))
    return labels


def bands_for(age_min: int | None, age_max: int | None) -> tuple[str, ...]:
    """The bands an age range overlaps; an open end reaches the first or last."""
    low = 0 if age_min is None else age_min
    high = 25 if age_max is None else age_max
    return tuple(band for band, start, end in AGE_BANDS if start <= high and low <= end)


SECTION_MODULES = {
    "retefamiglie.network": "retefamiglie.monitoring.sections.network",
    "retefamiglie.directory": "retefamiglie.monitoring.sections.directory",
    "retefamiglie.helprequests": "retefamiglie.monitoring.sections.helprequests",
    "retefamiglie.participation": "retefamiglie.monitoring.sections.participation",
    "retefamiglie.exchange": "retefamiglie.monitoring.sections.exchange",
}


def all_indicators() -> list[Indicator]:
    """Every indicator of the installed capabilities, in the dashboard's order."""
    found: list[Indicator] = []
    for app_name, module_name in SECTION_MODULES.items():
        if apps.is_installed(app_name):
            module = import_module(module_name)
            if getattr(module, "available", lambda: True)():
                found.extend(module.INDICATORS)
    for config in apps.get_app_configs():
        path = getattr(config, "monitoring_indicators", None)
        if path:
            found.extend(import_string(path))
    return sorted(found, key=lambda i: (i.section.order, i.order, i.key))


def indicator(key: str) -> Indicator | None:
    return next((item for item in all_indicators() if item.key == key), None)
