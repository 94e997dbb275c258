"""Reporting periods: months, quarters, years and the pact's half-years.

Every figure of the platform is counted over a period that starts (included)
and ends (excluded) at local midnight (Europe/Rome), so the dashboard, the
network report and the exports agree on where a day belongs.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


def _local(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=timezone.get_default_timezone())


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """A month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``)."""

    kind: str
    year: int
    number: int = 1  # the month or the quarter; 1 for a year

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def months(self) -> int:
        months: dict[str, int] = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}
        return months.get(self.kind, 12)

    @property
    def first_month(self) -> int:
        if self.kind == PeriodKind.MONTH:
            return self.number
        if self.kind == PeriodKind.QUARTER:
            return 3 * (self.number - 1) + 1
        return 1

    @property
    def start(self) -> datetime:
        return _local(self.year, self.first_month)

    @property
    def end(self) -> datetime:
        return _local(*_add_months(self.year, self.first_month, self.months))

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": self.number,
                "year": self.year,
            }
        return str(self.year)

    def previous(self) -> "Period":
        if self.kind == PeriodKind.YEAR:
            return Period(self.kind, self.year - 1)
        per_year = 12 // self.months
        index = self.year * per_year + self.number - 2
        return Period(self.kind, index // per_year, index % per_year + 1)

    def contains(self, day: date) -> bool:
        return self.start.date() <= day < self.end.date()

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind == PeriodKind.MONTH:
            return cls(kind, day.year, day.month)
        if kind == PeriodKind.QUARTER:
            return cls(kind, day.year, (day.month - 1) // 3 + 1)
        return cls(PeriodKind.YEAR, day.year)

    @classmethod
    def from_key(cls, key: str) -> "Period | None":
        """The period a key names, or None if the key is not one."""
        match = _KEY.match(key or "")
        if not match:
            return None
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            return cls(PeriodKind.MONTH, year, month) if 1 <= month <= 12 else None
        if match["quarter"]:
            return cls(PeriodKind.QUARTER, year, int(match["quarter"]))
        return cls(PeriodKind.YEAR, year)


def half_year_bounds(year: int, *, second: bool) -> tuple[datetime, datetime]:
    """Start (included) and end (excluded) of a half-year: the pact's reporting
    periods (its members report twice a year)."""
    start = _local(year, 7 if second else 1)
    return start, _local(*_add_months(year, 7 if second else 1, 6))


def recent_periods(today: date | None = None, *, count: int = 13) -> list[Period]:
    """The periods the snapshots keep up to date: the current one of each kind
    and the ones before it, newest first (13 months, 5 quarters, 3 years)."""
    today = today or timezone.localdate()
    found: list[Period] = []
    for kind, how_many in (
        (PeriodKind.MONTH, count),
        (PeriodKind.QUARTER, 5),
        (PeriodKind.YEAR, 3),
    ):
        period = Period.containing(kind, today)
        for _index in range(how_many):
            found.append(period)
            period = period.previous()
    return found
