"""The pact's figures on the public dashboard: members' commitments.

Declared on ``PactsConfig.monitoring_indicators``, read by
``monitoring.indicators.all_indicators`` (ADR 0018): ``monitoring`` sits to the
left of ``pacts`` and never imports it.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retefamiglie.monitoring.indicators import NO_AREA, Dimension, Fact, Indicator
from retefamiglie.monitoring.sections.network import MEMBERS

from .models import Commitment

DONE, LATE, ON_TIME = "done", "late", "on_time"

PROGRESS = Dimension(
    "progress",
    _("Where it stands"),
    lambda: {
        DONE: str(_("Done")),
        LATE: str(_("Late")),
        ON_TIME: str(_("On time")),
    },
)
OBJECTIVE = Dimension(
    "objective",
    _("Objective of the pact"),
    lambda: {
        str(value): str(label)
        for value, label in Commitment._meta.get_field("objective").flatchoices
    },
)


def commitment_standing(status: str, due: date, *, late_on: date) -> str:
    """Done; late (due before ``late_on`` and neither done nor dropped); on time."""
    if status == Commitment.Status.DONE:
        return DONE
    return LATE if due < late_on else ON_TIME


def commitments_running(start: datetime, end: datetime) -> Iterable[Fact]:
    """Commitments running in the period (made before it ended, due after it
    began), dropped ones left out; late as of the end of the period or today."""
    late_on = min(timezone.localdate(), timezone.localtime(end).date())
    rows = (
        Commitment.objects.filter(
            created_at__lt=end, due_date__gte=timezone.localtime(start).date()
        )
        .exclude(status=Commitment.Status.DROPPED)
        .values_list("status", "due_date", "objective", "area__slug")
    )
    for status, due, objective, area in rows:
        yield Fact(
            areas=(area or NO_AREA,),
            values={
                "progress": (commitment_standing(status, due, late_on=late_on),),
                "objective": (objective,),
            },
        )


INDICATORS = [
    Indicator(
        key="commitments",
        section=MEMBERS,
        title=_("Members' commitments"),
        definition=_(
            "What members promised in the pact and that was running in the "
            "period: done, late (due date passed, not done) or on time."
        ),
        unit=_("commitments"),
        facts=commitments_running,
        dimensions=(PROGRESS, OBJECTIVE),
        order=20,
    ),
]
