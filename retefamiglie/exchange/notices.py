"""Every notice the exchange sends, in one place, through notifications (ADR 12).

Notices say what happened and link to the platform; they never carry a
message's text or the other family's contact details. Templates are in
``exchange/notices/<kind>.txt`` (first line: the subject).
"""

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from retefamiglie.notifications.kinds import Kind

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
) -> None:
    """Notify ``to`` of ``kind`` about the listing ``title``, linking ``path``."""
    from retefamiglie.notifications.services import notify as send

    if to.anonymised_at is not None:
        return
    send(
        recipient=to,
        kind=f"exchange.{kind}",
        subject_object=about,
        context={"title": title[:60], "link": _site_url(path)},
        key=key,
    )
