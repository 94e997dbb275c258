"""Which models can be flagged, and the scopes a person can be suspended from.

Each app declares, on its AppConfig (ADR 16):

- ``flaggable``: model labels (``"exchange.Listing"``), of its own models or of
  models to its left (``"accounts.User"`` to flag a person);
- ``suspension_scopes``: ``{"exchange": _("the exchange")}``, parts of the site
  a coordinator may suspend a person from.
"""

from functools import cache

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise


@cache
def flaggable_labels() -> frozenset[str]:
    labels: set[str] = set()
    for config in apps.get_app_configs():
        labels.update(label.lower() for label in getattr(config, "flaggable", ()))
    return frozenset(labels)


def is_flaggable(model: type[Model] | Model) -> bool:
    return model._meta.label_lower in flaggable_labels()


def flaggable_model(app_label: str, model_name: str) -> type[Model] | None:
    """The model behind a flag URL, or None when it may not be flagged."""
    label = f"{app_label}.{model_name}".lower()
    if label not in flaggable_labels():
        return None
    return apps.get_model(app_label, model_name)


def suspension_scopes() -> dict[str, str | Promise]:
    scopes: dict[str, str | Promise] = {}
    for config in apps.get_app_configs():
        scopes.update(getattr(config, "suspension_scopes", {}))
    return scopes
