"""What the dashboard shows, built from two snapshots (the period and the one
before it) with a constant number of queries: labels are looked up once per
dimension, never per indicator or row."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from . import charts, selectors
from .indicators import AREA, Dimension, Indicator, Section, all_indicators
from .models import CITY, Snapshot
from .sections.common import area_labels

LEAST_OFFER_AREAS = 3


@dataclass
class Breakdown:
    title: str
    header: str
    chart: charts.Chart
    rows: list[tuple[str, str]]


@dataclass
class Figure:
    indicator: Indicator
    total: int | float | None
    shown: str
    previous: str
    change: str
    breakdowns: list[Breakdown]
    computed: bool


@dataclass
class SectionFigures:
    section: Section
    figures: list[Figure] = field(default_factory=list)


class Labels:
    """Labels of dimension values, each dimension resolved once."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, str]] = {}

    def of(self, key: str, resolve: Callable[[], dict[str, str]]) -> dict[str, str]:
        if key not in self._found:
            self._found[key] = resolve()
        return self._found[key]


def _figures_of(snapshot: Snapshot | None, key: str) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return snapshot.data.get("indicators", {}).get(key)


def _change(now: int | float | None, before: int | float | None) -> str:
    if now is None or before is None:
        return ""
    difference = now - before
    if difference == 0:
        return _("no change")
    sign = "+" if difference > 0 else "−"
    return f"{sign}{charts.shown(abs(difference))}"


def _breakdown(
    indicator: Indicator,
    dimension_key: str,
    title: str,
    cells: dict[str, int | None],
    labels: dict[str, str],
    *,
    ordered: bool = False,
) -> Breakdown:
    if ordered:
        order = {value: index for index, value in enumerate(labels)}
        values = sorted(cells, key=lambda v: (order.get(v, len(order)), v))
    else:
        values = sorted(cells, key=lambda v: (-(cells[v] or 0), labels.get(v, v)))
    rows = [
        (labels.get(value, value or _("Not given")), cells[value]) for value in values
    ]
    chart = charts.bar_chart(
        chart_id=f"chart-{indicator.key}-{dimension_key}",
        title=_("%(indicator)s by %(dimension)s")
        % {"indicator": indicator.title, "dimension": str(title).lower()},
        rows=rows,
        unit=str(indicator.unit),
    )
    return Breakdown(
        title=chart.title,
        header=str(title),
        chart=chart,
        rows=[(label, charts.shown(count)) for label, count in rows],
    )


def _figure(
    indicator: Indicator,
    current: Snapshot | None,
    previous: Snapshot | None,
    labels: Labels,
) -> Figure:
    figures = _figures_of(current, indicator.key)
    before = _figures_of(previous, indicator.key)
    if figures is None:
        return Figure(indicator, None, "—", "—", "", [], computed=False)
    total = figures.get("total")
    previous_total = before.get("total") if before else None
    dimensions: dict[str, Dimension] = {d.key: d for d in indicator.dimensions}
    breakdowns = []
    for dimension_key, cells in figures.get("breakdowns", {}).items():
        if not cells:
            continue
        ordered = False
        if dimension_key == AREA:
            title, resolve = _("Area"), area_labels
        elif dimension_key in dimensions:
            title = str(dimensions[dimension_key].title)
            resolve = dimensions[dimension_key].labels
            ordered = dimensions[dimension_key].ordered
        else:
            continue
        breakdowns.append(
            _breakdown(
                indicator,
                dimension_key,
                title,
                cells,
                labels.of(dimension_key, resolve),
                ordered=ordered,
            )
        )
    return Figure(
        indicator=indicator,
        total=total,
        shown=charts.shown(total)
        if total is not None or indicator.about_people
        else "—",
        previous=charts.shown(previous_total) if before else "—",
        change=_change(total, previous_total) if before else "",
        breakdowns=breakdowns,
        computed=True,
    )


def sections_for(
    current: Snapshot | None, previous: Snapshot | None
) -> list[SectionFigures]:
    labels = Labels()
    found: dict[str, SectionFigures] = {}
    for indicator in all_indicators():
        section = found.setdefault(
            indicator.section.key, SectionFigures(section=indicator.section)
        )
        section.figures.append(_figure(indicator, current, previous, labels))
    return sorted(found.values(), key=lambda s: s.section.order)


@dataclass
class CoverageRow:
    area: str
    services: int
    children: int | None
    rate: float | None
    least: bool


@dataclass
class Coverage:
    rows: list[CoverageRow]
    map: charts.CoverageMap
    least: list[str]
    population_year: int | None


def coverage_for(city: Snapshot | None) -> Coverage | None:
    """Services per 1,000 children in each area, where the population is known;
    the areas with the least offer first (where the network should act next)."""
    figures = _figures_of(city, "services")
    if figures is None:
        return None
    by_area = figures.get("breakdowns", {}).get(AREA, {})
    populations = selectors.populations()
    rows = []
    points: list[tuple[str, Decimal, Decimal, float | None]] = []
    for area in selectors.areas():
        services = by_area.get(area.slug) or 0
        population = populations.get(area.pk)
        children = population.children if population else None
        rate = round(1000 * services / children, 1) if children else None
        rows.append(CoverageRow(area.name, services, children, rate, least=False))
        points.append((area.name, area.latitude, area.longitude, rate))
    known = sorted(
        (row for row in rows if row.rate is not None), key=lambda r: r.rate or 0
    )
    least = {
        row.area for row in known[: min(LEAST_OFFER_AREAS, max(len(known) // 3, 1))]
    }
    for row in rows:
        row.least = row.area in least
    rows.sort(key=lambda r: (r.rate is None, r.rate or 0, r.area))
    years = {p.year for p in populations.values()}
    return Coverage(
        rows=rows,
        map=charts.coverage_map(
            title=_("Services per 1,000 children, by area"),
            points=[(*point, point[0] in least) for point in points],
        ),
        least=[row.area for row in rows if row.least],
        population_year=max(years) if years else None,
    )


def scope_name(area: str) -> str:
    return _("the whole city") if area == CITY else area
