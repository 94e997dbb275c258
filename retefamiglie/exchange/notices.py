"""Every notice the exchange sends, in one place (the switch to notifications).

E-mails say what happened and link to the platform; they never carry a
message's text or the other family's contact details.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retefamiglie.accounts.models import User


@dataclass(frozen=True)
class Kind:
    subject: str | Promise
    text: str | Promise


KINDS: dict[str, Kind] = {
    "interest": Kind(
        _("A family is interested in “%(title)s”"),
        _("A family said they are interested in your listing. Choose who receives it:"),
    ),
    "chosen": Kind(
        _("You have been chosen for “%(title)s”"),
        _("The family who published the listing chose you. Agree on the handover:"),
    ),
    "not_chosen": Kind(
        _("“%(title)s” went to another family"),
        _("The listing you were interested in went to another family. Thank you:"),
    ),
    "message": Kind(
        _("New message about “%(title)s”"),
        _("You have a new private message. Read it and reply on the site:"),
    ),
    "handed_over": Kind(
        _("Handover of “%(title)s” confirmed"),
        _("The other family confirmed the handover. Confirm it too, if you have not:"),
    ),
    "loan_reminder": Kind(
        _("Reminder: “%(title)s” is due back soon"),
        _("The loan ends soon. Agree on the return with the other family:"),
    ),
    "loan_overdue": Kind(
        _("“%(title)s” is overdue"),
        _("The return date of the loan has passed. Agree on the return:"),
    ),
    "returned": Kind(
        _("Return of “%(title)s” confirmed"),
        _("The other family confirmed the return. Confirm it too, if you have not:"),
    ),
    "expiring": Kind(
        _("“%(title)s” has expired"),
        _("Your listing expired after 30 days. You can renew it from its page:"),
    ),
    "suspended": Kind(
        _("You have been suspended from the exchange"),
        _("A coordinator suspended you from the exchange. The reason is on this page:"),
    ),
}


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify(kind: str, *, to: User, title: str, path: str) -> None:
    """Send notice ``kind`` about the listing ``title`` to ``to``, linking ``path``."""
    if not to.is_active or to.anonymised_at is not None or not to.email:
        return
    notice = KINDS[kind]
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(notice.subject) % {"title": title[:60]}
        body = render_to_string(
            "exchange/email/notice.txt",
            {
                "text": notice.text,
                "link": _site_url(path),
                "network": settings.RETEFAMIGLIE,
            },
        )
    # The e-mail backend enqueues a task once the transaction commits (ADR 5).
    send_mail(subject, body.strip(), None, [to.email])


def listing_path(listing_id: int) -> str:
    return reverse("exchange:detail", args=[listing_id])
