"""Every notice participation sends, in one place (the sending seam).

E-mail leaves through Django's mail API, which the project routes through a
background task (ADR 5); callers schedule these functions with
``transaction.on_commit``. Notices say little: the details stay on the site.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Proposal, Registration


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, recipients: Iterable[str], **context: Any) -> None:
    """Render ``participation/email/<template>.txt`` (first line: subject)."""
    to = sorted({address for address in recipients if address})
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"participation/email/{template}.txt",
            {"network": settings.RETEFAMIGLIE, **context},
        )
    subject, _sep, body = text.strip().partition("\n")
    for address in to:
        send_mail(subject.strip(), body.strip(), None, [address])


def registration_link(registration: Registration, name: str) -> str:
    return site_url(reverse(name, kwargs={"token": registration.token}))


def registration_notice(kind: str, registration: Registration) -> None:
    """The booking seam of meetings: kind is one of ``bookings.services``'."""
    if kind == "unconfirmed":
        return
    _send(
        f"registration_{kind}",
        [registration.email],
        registration=registration,
        meeting=registration.meeting,
        link=registration_link(registration, "participation:registration"),
        confirm_link=registration_link(
            registration, "participation:registration_confirm"
        ),
        cancel_link=registration_link(
            registration, "participation:registration_cancel"
        ),
        meeting_link=site_url(registration.meeting.get_absolute_url()),
    )


def proposal_answered(proposal: Proposal) -> None:
    """Tell the author and every supporter how the proposal was answered."""
    recipients = list(
        proposal.supports.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    if proposal.author is not None and proposal.author.is_active:
        recipients.append(proposal.author.email)
    _send(
        "proposal_answered",
        recipients,
        proposal=proposal,
        link=site_url(proposal.get_absolute_url()),
    )
