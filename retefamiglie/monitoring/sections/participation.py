"""The participatory process: meetings, attendance, proposals, objectives.

Loaded only when ``retefamiglie.participation`` is installed; its figures come
through the contract of ADR 0018 (``participation.selectors.monitoring_facts``
and ``monitoring_labels``).
"""

from django.utils.translation import gettext_lazy as _

from ..indicators import Dimension, Indicator, Section
from .common import contributed_facts, contributed_labels, contributes

APP = "participation"
PARTICIPATION = Section("participation", _("Taking part: the process"), 50)
ANSWER = Dimension("answer", _("Answer"), contributed_labels(APP, "answer"))
OBJECTIVE = Dimension("objective", _("Objective"), contributed_labels(APP, "objective"))

INDICATORS = [
    Indicator(
        key="meetings",
        section=PARTICIPATION,
        title=_("Meetings held"),
        definition=_("Meetings of the participatory process held in the period."),
        unit=_("meetings"),
        facts=contributed_facts(APP, "meetings"),
        order=10,
    ),
    Indicator(
        key="meeting_attendees",
        section=PARTICIPATION,
        title=_("People at the meetings"),
        definition=_("Attendance recorded at the meetings held in the period."),
        unit=_("people"),
        facts=contributed_facts(APP, "meeting_attendees"),
        about_people=True,
        order=20,
    ),
    Indicator(
        key="proposals",
        section=PARTICIPATION,
        title=_("Proposals"),
        definition=_("Proposals made in the period, by the answer they have received."),
        unit=_("proposals"),
        facts=contributed_facts(APP, "proposals"),
        dimensions=(ANSWER,),
        order=30,
    ),
    Indicator(
        key="actions_done",
        section=PARTICIPATION,
        title=_("Actions of the objectives completed"),
        definition=_("Actions of the process's objectives completed in the period."),
        unit=_("actions"),
        facts=contributed_facts(APP, "actions_done"),
        dimensions=(OBJECTIVE,),
        order=40,
    ),
]


def available() -> bool:
    return contributes(APP)
