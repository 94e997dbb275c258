"""The exchange between families: items given, lent or swapped.

Loaded only when ``retefamiglie.exchange`` is installed; its figures come
through the contract of ADR 0018 (``exchange.selectors.monitoring_facts`` and
``monitoring_labels``).
"""

from django.utils.translation import gettext_lazy as _

from ..indicators import Dimension, Indicator, Section
from .common import contributed_facts, contributed_labels, contributes

APP = "exchange"
EXCHANGE = Section("exchange", _("Families sharing: the exchange"), 60)
CATEGORY = Dimension("category", _("Category"), contributed_labels(APP, "category"))
# The exchange's own bands: what a thing fits (ADR 17), not a child's age.
AGE = Dimension(
    "age_band", _("Fits age"), contributed_labels(APP, "age_band"), ordered=True
)

INDICATORS = [
    Indicator(
        key="items_reused",
        section=EXCHANGE,
        title=_("Items reused"),
        definition=_(
            "Goods given, lent or swapped between families in the period "
            "(an exchange completed by both sides)."
        ),
        unit=_("items"),
        facts=contributed_facts(APP, "items_reused"),
        dimensions=(CATEGORY, AGE),
        order=10,
    ),
]


def available() -> bool:
    return contributes(APP)
