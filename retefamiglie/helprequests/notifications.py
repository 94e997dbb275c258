"""E-mails about help requests. They say little: details stay on the platform."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from retefamiglie.network.models import Organisation, OrganisationStaff

from .models import HelpRequest
from .tokens import make_token


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def staff_link(help_request: HelpRequest) -> str:
    return site_url(
        reverse(
            "helprequests:staff_detail", kwargs={"public_id": help_request.public_id}
        )
    )


def family_link(help_request: HelpRequest) -> str:
    return site_url(
        reverse(
            "helprequests:status", kwargs={"token": make_token(help_request.public_id)}
        )
    )


def coordinator_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_coordinator=True, is_active=True)
        .values_list("email", flat=True)
    )


def organisation_emails(organisation: Organisation) -> list[str]:
    return list(
        OrganisationStaff.objects.filter(
            organisation=organisation, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def send(template: str, recipients: Iterable[str], **context) -> None:
    """Render ``helprequests/email/<template>.txt`` (first line: subject) and send."""
    recipients = sorted(set(recipients))
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"helprequests/email/{template}.txt",
            {"network": settings.RETEFAMIGLIE, **context},
        )
    subject, _, body = text.strip().partition("\n")
    for recipient in recipients:
        # One message each: staff never see each other's or the family's address.
        send_mail(subject.strip(), body.strip(), None, [recipient])


def notify_family(help_request: HelpRequest, template: str, **context) -> None:
    if help_request.contact_email and help_request.anonymised_at is None:
        send(
            template,
            [help_request.contact_email],
            request=help_request,
            link=family_link(help_request),
            **context,
        )
