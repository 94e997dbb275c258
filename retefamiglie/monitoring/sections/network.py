"""Members of the network."""

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from retefamiglie.network.models import Organisation

from ..indicators import NO_AREA, Dimension, Fact, Indicator, Section

MEMBERS = Section("members", _("The network and its commitments"), 40)

TYPE = Dimension(
    "type",
    _("Kind of member"),
    lambda: {v: str(label) for v, label in Organisation.Type.choices},
)


def members(start: datetime, end: datetime) -> Iterable[Fact]:
    """Active members that had joined by the end of the period."""
    for kind, area in Organisation.objects.filter(
        status=Organisation.Status.ACTIVE, created_at__lt=end
    ).values_list("type", "area__slug"):
        yield Fact(areas=(area or NO_AREA,), values={"type": (kind,)})


INDICATORS = [
    Indicator(
        key="members",
        section=MEMBERS,
        title=_("Members of the network"),
        definition=_(
            "Organisations and active citizens that are members of the network "
            "(not suspended, not left) and had joined by the end of the period."
        ),
        unit=_("members"),
        facts=members,
        dimensions=(TYPE,),
        order=10,
    ),
]
