"""Signed names of what can be followed: apps list their models as
``followable_models = ["network.organisation", …]`` on their AppConfig."""

from django.apps import apps
from django.core import signing
from django.db import models

SALT = "notifications.follow"


def followable() -> set[str]:
    return {
        label.lower()
        for config in apps.get_app_configs()
        for label in getattr(config, "followable_models", ())
    }


def make(target: models.Model) -> str:
    label = target._meta.label_lower
    return signing.dumps([label, str(target.pk)], salt=SALT)


def read(token: str) -> models.Model:
    """The object; raises BadSignature, or LookupError if it is not followable."""
    label, pk = signing.loads(token, salt=SALT)
    if label not in followable():
        raise LookupError(label)
    model = apps.get_model(label)
    try:
        return model._default_manager.get(pk=pk)  # type: ignore[no-any-return]
    except model.DoesNotExist as error:
        raise LookupError(label) from error
