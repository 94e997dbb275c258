"""The registry of notification kinds, read from the apps' AppConfigs (ADR 12).

An app declares ``notification_kinds = [Kind(...), ...]`` on its AppConfig;
notifications never imports the apps that notify.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("immediate")
    BATCHABLE = "batchable", _("batchable")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("In the daily digest")
    WEEKLY = "weekly", _("In the weekly digest")
    NEVER = "never", _("Never")


DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    template: str
    urgency: Urgency = Urgency.IMMEDIATE
    # The reply to something the person has just done (a confirmation link, an
    # invitation): always e-mailed, no preference, no List-Unsubscribe.
    essential: bool = False
    sms_template: str = ""
    # Groups the preferences page: "family" notices first, then "staff" ones.
    audience: str = "family"

    @property
    def default_frequency(self) -> Frequency:
        if self.essential or self.urgency == Urgency.IMMEDIATE:
            return Frequency.IMMEDIATE
        return Frequency.WEEKLY


class UnknownKindError(LookupError):
    pass


@cache
def registry() -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for config in apps.get_app_configs():
        for kind in getattr(config, "notification_kinds", ()):
            if kind.name in found:
                raise KindDeclaredTwiceError(kind.name)
            found[kind.name] = kind
    return found


class KindDeclaredTwiceError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Notification kind declared twice: {name}")


def get(name: str) -> Kind:
    try:
        return registry()[name]
    except KeyError:
        raise UnknownKindError(name) from None


def all_kinds() -> list[Kind]:
    return sorted(registry().values(), key=lambda kind: (kind.audience, kind.name))


def optional_kinds(*, audience: str | None = None) -> list[Kind]:
    return [
        kind
        for kind in all_kinds()
        if not kind.essential and (audience is None or kind.audience == audience)
    ]
