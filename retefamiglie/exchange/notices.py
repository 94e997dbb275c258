"""Every notice the exchange sends, in one place, through notifications (ADR 12).

Notices say what happened and link to the platform; they never carry a
message's text or the other family's contact details. Templates are in
``exchange/notices/<kind>.txt`` (first line: the subject).
"""

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from retefamiglie.notifications.kinds import Frequency, Kind, Urgency, get

from .privacy import mask_contacts

KINDS: list[Kind] = [
    Kind(
        f"exchange.{name}",
        label,
        template=f"exchange/notices/{name}.txt",
    )
    for name, label in (
        ("interest", _("A family is interested in your listing")),
        ("chosen", _("You have been chosen for a listing")),
        ("not_chosen", _("A listing went to another family")),
        ("message", _("New private message in the exchange")),
        ("handed_over", _("The other family confirmed a handover")),
        ("loan_reminder", _("A loan is due back soon")),
        ("loan_overdue", _("A loan is overdue")),
        ("returned", _("The other family confirmed a return")),
        ("expiring", _("Your listing has expired")),
    )
] + [
    Kind(
        "exchange.saved_search_match",
        _("New listings for one of my saved searches"),
        template="exchange/notices/saved_search_match.txt",
        urgency=Urgency.BATCHABLE,
    )
]


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify(
    kind: str,
    *,
    to: Any,
    title: str,
    path: str,
    about: Model | None = None,
    key: str = "",
    frequency: str | None = None,
    context: dict[str, Any] | None = None,
) -> None:
    """Notify ``to`` of ``kind`` about the listing ``title``, linking ``path``.

    The title's phone numbers and e-mail addresses are masked, as on the
    public pages; ``frequency`` overrides the person's choice for the kind
    (a saved search's own) unless they turned the kind off."""
    from retefamiglie.notifications.services import frequency_for
    from retefamiglie.notifications.services import notify as send

    if to.anonymised_at is not None:
        return
    name = f"exchange.{kind}"
    if frequency is not None and frequency_for(to, get(name)) == Frequency.NEVER:
        frequency = Frequency.NEVER
    send(
        recipient=to,
        kind=name,
        subject_object=about,
        context={
            **(context or {}),
            "title": mask_contacts(title)[:60],
            "link": _site_url(path),
        },
        key=key,
        frequency=frequency,
    )
