"""Notices about help requests, sent through notifications (ADR 12).

They say little: details stay on the platform.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.notifications.services import (
    Contact,
    notify,
    notify_many,
    people_or_addresses,
)

from .models import ContactMethod, HelpRequest
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
    """Notify each address of ``helprequests.<template>`` (ADR 12).

    The template is ``helprequests/email/<template>.txt`` (first line: subject);
    staff are found by address, so the notice lands in their centre too. One
    message each: staff never see each other's or the family's address.
    """
    notify_many(
        recipients=people_or_addresses(recipients),
        kind=f"helprequests.{template}",
        subject_object=context.get("request"),
        context=context,
    )


def notify_family(help_request: HelpRequest, template: str, **context) -> None:
    """Tell the family: its account, or the address and phone it gave.

    A family without an account gets a transactional e-mail, and an SMS when it
    chose to be texted; nothing once the request is anonymised.
    """
    if help_request.anonymised_at is not None:
        return
    full = {"request": help_request, "link": family_link(help_request), **context}
    kind = f"helprequests.{template}"
    family = help_request.family
    texted = help_request.contact_method == ContactMethod.SMS and bool(
        help_request.contact_phone
    )
    if family is not None and family.is_active:
        notify(recipient=family, kind=kind, subject_object=help_request, context=full)
        if texted:
            notify(
                recipient=Contact(phone=help_request.contact_phone, sms=True),
                kind=kind,
                subject_object=help_request,
                context=full,
            )
        return
    contact = Contact(
        email=help_request.contact_email,
        phone=help_request.contact_phone if texted else "",
        sms=texted,
    )
    notify(recipient=contact, kind=kind, subject_object=help_request, context=full)
