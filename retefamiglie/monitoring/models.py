"""Snapshots of the indicators, and the population figures of the areas.

The dashboard reads snapshots only: the periodic task (tasks.py) computes every
indicator for the recent periods, applies the privacy rule and stores the result
here, one row per period and area (and one for the whole city).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retefamiglie.core.models import TimeStampedModel
from retefamiglie.network.models import Area

from .periods import PeriodKind

CITY = ""


class Snapshot(models.Model):
    """The figures of one period in one area ("" for the whole city).

    ``data``: ``{"indicators": {key: {"total": n | None, "n": count,
    "breakdowns": {dimension: {value: n | None}}}}}``; ``None`` is a figure
    withheld by the privacy rule.
    """

    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_key = models.CharField(max_length=10)
    area = models.CharField(max_length=100, blank=True, default=CITY)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    # The dashboard is no cached public page (it is read from this table).
    changes_public_pages = False

    class Meta:
        verbose_name = _("snapshot of the indicators")
        verbose_name_plural = _("snapshots of the indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["period_key", "area"], name="snapshot_once_per_period_area"
            )
        ]
        indexes = [models.Index(fields=["period_kind", "period_key"])]

    def __str__(self) -> str:
        return f"{self.period_key} · {self.area or 'city'}"


class AreaPopulation(TimeStampedModel):
    """Children living in an area (ISTAT figures uploaded by a coordinator)."""

    area = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        related_name="population",
        verbose_name=_("area"),
    )
    children = models.PositiveIntegerField(_("children and young people (0–17)"))
    year = models.PositiveSmallIntegerField(_("year of the figures"))
    source = models.CharField(_("source"), max_length=200, default="ISTAT")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("population of an area")
        verbose_name_plural = _("population of the areas")
        ordering = ["area__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1990), name="population_year_plausible"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.children} ({self.year})"
