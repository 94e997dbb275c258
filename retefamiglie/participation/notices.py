"""Every notice participation sends, in one place, through
``notifications.services.notify`` (ADR 12). The kinds are declared on
``ParticipationConfig.notification_kinds``; templates are
``participation/email/<kind>.txt`` (first line: the subject).

Callers schedule these functions with ``transaction.on_commit`` or call them
inside their transaction: ``notify`` stores the notice and sends it after the
transaction commits either way. Notices say little: the details stay on the site.
"""

from django.conf import settings
from django.urls import reverse

from retefamiglie.notifications.services import notify, person_or_address

from .models import Proposal, Registration


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def registration_link(registration: Registration, name: str) -> str:
    return site_url(reverse(name, kwargs={"token": registration.token}))


def registration_notice(kind: str, registration: Registration) -> None:
    """The booking seam of meetings: kind is one of ``bookings.services``'."""
    if kind == "unconfirmed":
        return
    notify(
        recipient=person_or_address(registration.email, user=registration.user),
        kind=f"participation.registration_{kind}",
        subject_object=registration,
        context={
            "registration": registration,
            "meeting": registration.meeting,
            "link": registration_link(registration, "participation:registration"),
            "confirm_link": registration_link(
                registration, "participation:registration_confirm"
            ),
            "cancel_link": registration_link(
                registration, "participation:registration_cancel"
            ),
            "meeting_link": site_url(registration.meeting.get_absolute_url()),
        },
        key=f"registration:{registration.pk}:{kind}"
        if kind in {"reminder", "promoted"}
        else "",
    )


def proposal_answered(proposal: Proposal) -> None:
    """Tell the author and every supporter how the proposal was answered."""
    people = [
        support.user
        for support in proposal.supports.filter(user__is_active=True).select_related(
            "user"
        )
    ]
    if proposal.author is not None and proposal.author.is_active:
        people.append(proposal.author)
    for person in {p.pk: p for p in people}.values():
        notify(
            recipient=person,
            kind="participation.proposal_answered",
            subject_object=proposal,
            context={
                "proposal": proposal,
                "link": site_url(proposal.get_absolute_url()),
            },
            key=f"proposal:{proposal.pk}:answer:{proposal.state}:{proposal.answered_at}",
        )
