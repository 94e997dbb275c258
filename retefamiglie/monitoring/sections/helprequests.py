"""Help requests: received, answered, time to the first answer, closed.

No figure here is ever broken down by organisation: with the area and the
month, an organisation's requests could point at a family (DESIGN.md, privacy).
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from retefamiglie.helprequests.models import HelpKind, HelpRequest, Outcome

from ..indicators import NO_AREA, Dimension, Fact, Indicator, Section

HELP = Section("help", _("No family left alone: help requests"), 30)

KIND = Dimension(
    "kind", _("Kind of help"), lambda: {v: str(label) for v, label in HelpKind.choices}
)
OUTCOME = Dimension(
    "outcome", _("Outcome"), lambda: {v: str(label) for v, label in Outcome.choices}
)


def _kinds(kinds: object) -> tuple[str, ...]:
    return tuple(sorted({str(k) for k in kinds})) if isinstance(kinds, list) else ()


def received(start: datetime, end: datetime) -> Iterable[Fact]:
    """Requests sent in the period."""
    for kinds, area in HelpRequest.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).values_list("kinds", "area__slug"):
        yield Fact(areas=(area or NO_AREA,), values={"kind": _kinds(kinds)})


def answered(start: datetime, end: datetime) -> Iterable[Fact]:
    """Requests sent in the period that have had a first answer."""
    for kinds, area in HelpRequest.objects.filter(
        created_at__gte=start, created_at__lt=end, first_answer_at__isnull=False
    ).values_list("kinds", "area__slug"):
        yield Fact(areas=(area or NO_AREA,), values={"kind": _kinds(kinds)})


def first_answer_hours(start: datetime, end: datetime) -> Iterable[Fact]:
    """Hours from sending to the first answer, of requests sent in the period."""
    for created, first, area in HelpRequest.objects.filter(
        created_at__gte=start, created_at__lt=end, first_answer_at__isnull=False
    ).values_list("created_at", "first_answer_at", "area__slug"):
        if first is None:  # excluded by the filter; for the type checker
            continue
        hours = max((first - created).total_seconds(), 0) / 3600
        yield Fact(areas=(area or NO_AREA,), weight=round(hours, 1))


def closed_with_outcome(start: datetime, end: datetime) -> Iterable[Fact]:
    """Requests closed in the period with an outcome recorded."""
    for kinds, outcome, area in (
        HelpRequest.objects.filter(closed_at__gte=start, closed_at__lt=end)
        .exclude(outcome="")
        .values_list("kinds", "outcome", "area__slug")
    ):
        yield Fact(
            areas=(area or NO_AREA,),
            values={"kind": _kinds(kinds), "outcome": (outcome,)},
        )


INDICATORS = [
    Indicator(
        key="help_received",
        section=HELP,
        title=_("Help requests received"),
        definition=_(
            "Requests for help families sent in the period, with or without an "
            "account. A request may ask for several kinds of help."
        ),
        unit=_("requests"),
        facts=received,
        dimensions=(KIND,),
        about_people=True,
        order=10,
    ),
    Indicator(
        key="help_answered",
        section=HELP,
        title=_("Help requests answered"),
        definition=_(
            "Requests sent in the period to which the network has given a first "
            "answer (a coordinator or an organisation wrote to the family)."
        ),
        unit=_("requests"),
        facts=answered,
        dimensions=(KIND,),
        about_people=True,
        order=20,
    ),
    Indicator(
        key="help_first_answer",
        section=HELP,
        title=_("Median time to the first answer"),
        definition=_(
            "Half of the requests sent in the period and answered had their "
            "first answer within this many hours."
        ),
        unit=_("hours"),
        facts=first_answer_hours,
        about_people=True,
        median=True,
        order=30,
    ),
    Indicator(
        key="help_closed",
        section=HELP,
        title=_("Help requests closed with an outcome"),
        definition=_(
            "Requests closed in the period with their outcome recorded "
            "(resolved, partly resolved, referred to public services…)."
        ),
        unit=_("requests"),
        facts=closed_with_outcome,
        dimensions=(OUTCOME, KIND),
        about_people=True,
        order=40,
    ),
]
