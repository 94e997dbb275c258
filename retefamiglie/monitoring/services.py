"""Computing the snapshots, and loading the population of the areas.

``snapshots_compute`` is the only writer of ``Snapshot``: it is run by the
periodic task (tasks.py) and never by a page, so the dashboard is a read.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Area

from . import privacy
from .indicators import AREA, Fact, Indicator, all_indicators
from .models import CITY, AreaPopulation, Snapshot
from .periods import Period, PeriodKind, recent_periods

Cell = Hashable


@dataclass
class Raw:
    """Sums of one indicator over the periods, before the privacy rule.

    Cells: ``(period, "T", scope)`` is a total of the city (scope "") or of an
    area; ``(period, "B", scope, dimension, value)`` a cell of a breakdown.
    """

    values: dict[Cell, int] = field(default_factory=lambda: defaultdict(int))
    weights: dict[tuple[str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    areas: set[str] = field(default_factory=set)
    dimension_values: dict[str, set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )


def _add(raw: Raw, indicator: Indicator, period: str, fact: Fact) -> None:
    weight = fact.weight
    scopes = [CITY, *fact.areas]
    raw.areas.update(fact.areas)
    if indicator.median:
        for scope in scopes:
            raw.weights[(period, scope)].append(weight)
        return
    count = round(weight)
    for scope in scopes:
        raw.values[(period, "T", scope)] += count
    for dimension in indicator.dimensions:
        for value in fact.values.get(dimension.key, ()):
            raw.dimension_values[dimension.key].add(value)
            for scope in scopes:
                raw.values[(period, "B", scope, dimension.key, value)] += count


def _suffixes(raw: Raw) -> list[tuple[str, ...]]:
    """Every cell of one period, without the period."""
    found: list[tuple[str, ...]] = [
        ("T", scope) for scope in (CITY, *sorted(raw.areas))
    ]
    for dimension, values in raw.dimension_values.items():
        for scope in (CITY, *sorted(raw.areas)):
            found.extend(("B", scope, dimension, value) for value in sorted(values))
    return found


def _lines(raw: Raw, periods: list[Period]) -> Iterable[Sequence[Cell]]:
    """Groups of cells bound by an addition: within a period (areas add up to
    the city, values of a breakdown to their total) and across periods (months to
    their quarter, quarters to their year)."""
    areas = sorted(raw.areas)
    keys = {period.key for period in periods}
    for period in keys:
        yield [(period, "T", CITY)] + [(period, "T", area) for area in areas]
        for dimension, values in raw.dimension_values.items():
            for scope in (CITY, *areas):
                yield [(period, "T", scope)] + [
                    (period, "B", scope, dimension, value) for value in sorted(values)
                ]
            for value in values:
                yield [(period, "B", CITY, dimension, value)] + [
                    (period, "B", area, dimension, value) for area in areas
                ]
    suffixes = _suffixes(raw)
    for parent in periods:
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            children = _children_of(parent, kind)
            if children and all(child.key in keys for child in children):
                for suffix in suffixes:
                    yield [(parent.key, *suffix)] + [
                        (child.key, *suffix) for child in children
                    ]


def _children_of(parent: Period, kind: str) -> list[Period]:
    if parent.kind == PeriodKind.YEAR and kind == PeriodKind.QUARTER:
        return [Period(kind, parent.year, number) for number in range(1, 5)]
    if parent.kind == PeriodKind.QUARTER and kind == PeriodKind.MONTH:
        first = parent.first_month
        return [Period(kind, parent.year, first + offset) for offset in range(3)]
    return []


def _figures(
    indicator: Indicator, raw: Raw, periods: list[Period], k: int
) -> dict[tuple[str, str], dict[str, Any]]:
    """Figures per (period, scope), with withheld cells as None."""
    scopes = [CITY, *sorted(raw.areas)]
    result: dict[tuple[str, str], dict[str, Any]] = {}
    if indicator.median:
        for period in periods:
            for scope in scopes:
                weights = raw.weights.get((period.key, scope), [])
                enough = len(weights) >= k if indicator.about_people else bool(weights)
                result[(period.key, scope)] = {
                    "total": round(median(weights), 1) if enough else None,
                    "n": len(weights),
                    "breakdowns": {},
                }
        return result
    values = raw.values
    for period in periods:
        for suffix in _suffixes(raw):
            values.setdefault((period.key, *suffix), 0)
    hidden = (
        privacy.protect(values, _lines(raw, periods), k=k)
        if indicator.about_people
        else set()
    )

    def figure(cell: Cell) -> int | None:
        return None if cell in hidden else values.get(cell, 0)

    for period in periods:
        for scope in scopes:
            breakdowns: dict[str, dict[str, int | None]] = {
                dimension: {
                    value: figure((period.key, "B", scope, dimension, value))
                    for value in sorted(dimension_values)
                }
                for dimension, dimension_values in raw.dimension_values.items()
            }
            if scope == CITY:
                breakdowns[AREA] = {
                    area: figure((period.key, "T", area)) for area in sorted(raw.areas)
                }
            result[(period.key, scope)] = {
                "total": figure((period.key, "T", scope)),
                "breakdowns": breakdowns,
            }
    return result


def _empty(indicator: Indicator) -> dict[str, Any]:
    return {"total": None if indicator.median else 0, "n": 0, "breakdowns": {}}


@transaction.atomic
def snapshots_compute(*, today: date | None = None) -> int:
    """Compute every indicator for the recent periods and store the snapshots.

    Periods already past are computed again too: a request closed late, or a
    booking confirmed after the fact, still lands in its period. Returns the
    number of snapshots written.
    """
    periods = recent_periods(today)
    k = privacy.threshold()
    area_slugs = list(Area.objects.values_list("slug", flat=True))
    data: dict[tuple[str, str], dict[str, Any]] = {
        (period.key, scope): {"indicators": {}}
        for period in periods
        for scope in (CITY, *area_slugs)
    }
    for indicator in all_indicators():
        raw = Raw()
        for period in periods:
            for fact in indicator.facts(period.start, period.end):
                _add(raw, indicator, period.key, fact)
        figures = _figures(indicator, raw, periods, k)
        for key, snapshot in data.items():
            snapshot["indicators"][indicator.key] = figures.get(key, _empty(indicator))
    now = timezone.now()
    Snapshot.objects.filter(period_key__in=[p.key for p in periods]).delete()
    kinds = {period.key: period.kind for period in periods}
    Snapshot.objects.bulk_create(
        Snapshot(
            period_kind=kinds[period_key],
            period_key=period_key,
            area=scope,
            data=snapshot,
            computed_at=now,
        )
        for (period_key, scope), snapshot in data.items()
    )
    return len(data)


# ------------------------------------------------------------------------------
# Population of the areas (ISTAT)
# ------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 1_000_000
AREA_COLUMNS = ("area", "zona", "frazione", "territorio")
CHILDREN_COLUMNS = ("children", "minori", "bambini", "popolazione_0_17", "eta_0_17")


@dataclass
class PopulationRow:
    area: Area
    children: int


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [name.strip().lower() for name in header]
    return next((lowered.index(name) for name in names if name in lowered), None)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not a text (CSV) file."))


def population_parse(*, content: bytes) -> list[PopulationRow]:
    """The rows of an ISTAT-style CSV: one area per row, with its children.

    The header names the columns (``area`` or ``zona``; ``children`` or
    ``minori``); commas or semicolons; areas by name or slug. Every problem is
    reported with its line, and nothing is saved if there is one.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large (at most 1 MB)."))
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", ",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    area_at, children_at = (
        _column(header, AREA_COLUMNS),
        _column(header, CHILDREN_COLUMNS),
    )
    if area_at is None or children_at is None:
        raise ValidationError(
            _(
                "The first line must name the columns: “area” (or “zona”) and "
                "“children” (or “minori”)."
            )
        )
    areas = {}
    for area in Area.objects.all():
        areas[area.slug.lower()] = area
        areas[area.name.strip().lower()] = area
    errors: list[str] = []
    rows: dict[int, PopulationRow] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        error = _population_row(record, line, area_at, children_at, areas, rows)
        if error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no rows of figures."))
    return list(rows.values())


def _population_row(
    record: list[str],
    line: int,
    area_at: int,
    children_at: int,
    areas: dict[str, Area],
    rows: dict[int, PopulationRow],
) -> str:
    """Add one row to ``rows``; the error of the line, or ""."""
    if len(record) <= max(area_at, children_at):
        return _("Line %(line)s: a column is missing.") % {"line": line}
    name = record[area_at].strip()
    area = areas.get(name.lower())
    if area is None:
        return _("Line %(line)s: there is no area called “%(name)s”.") % {
            "line": line,
            "name": name,
        }
    raw = record[children_at].strip().replace(".", "").replace(" ", "")
    if not raw.isdigit():
        return _("Line %(line)s: “%(value)s” is not a whole number.") % {
            "line": line,
            "value": record[children_at].strip(),
        }
    if area.pk in rows:
        return _("Line %(line)s: %(area)s appears twice.") % {
            "line": line,
            "area": area.name,
        }
    rows[area.pk] = PopulationRow(area=area, children=int(raw))
    return ""


@transaction.atomic
def population_import(
    *, actor: User, content: bytes, year: int, source: str = "ISTAT"
) -> list[AreaPopulation]:
    """Replace the population of the areas the file names.

    Preconditions: the actor manages the network (a coordinator). Areas the
    file does not name keep their figures.
    """
    if not 1990 <= year <= timezone.localdate().year:
        raise ValidationError(_("Give the year the figures refer to."))
    saved = []
    for row in population_parse(content=content):
        population, _created = AreaPopulation.objects.get_or_create(
            area=row.area,
            defaults={"children": row.children, "year": year, "source": source},
        )
        population.children = row.children
        population.year = year
        population.source = source or "ISTAT"
        population.uploaded_by = actor
        population.full_clean()
        population.save()
        saved.append(population)
    return saved
