"""Every notice participation sends, in one place, through
``notifications.services.notify`` (ADR 12). The kinds are declared on
``ParticipationConfig.notification_kinds``; templates are
``participation/email/<kind>.txt`` (first line: the subject).

Callers schedule these functions with ``transaction.on_commit`` or call them
inside their transaction: ``notify`` stores the notice and sends it after the
transaction commits either way. Notices say little: the details stay on the site.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from retefamiglie.notifications.services import (
    notify,
    notify_followers,
    person_or_address,
)

from .models import Comment, Phase, Proposal, Registration


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


def proposal_answered(proposal: Proposal, actor: Any = None) -> None:
    """Tell the author and every supporter how the proposal was answered, then
    its other followers; never the coordinator who answered."""
    people = [
        support.user
        for support in proposal.supports.filter(user__is_active=True).select_related(
            "user"
        )
    ]
    if proposal.author is not None and proposal.author.is_active:
        people.append(proposal.author)
    told = {p.pk: p for p in people if actor is None or p.pk != actor.pk}
    for person in told.values():
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
    proposal_changed(proposal, actor=actor, already=told)


def _actor_pk(actor: Any) -> list[int]:
    return [actor.pk] if actor is not None and actor.pk else []


def proposal_changed(
    proposal: Proposal, *, actor: Any = None, already: Any = ()
) -> None:
    """Tell the followers of a proposal its new state (answered, withdrawn,
    merged), except whoever changed it and those ``already`` told. A proposal
    hidden by moderation is not announced."""
    if proposal.hidden:
        return
    notify_followers(
        target=proposal,
        kind="participation.followed_proposal_changed",
        context={"proposal": proposal, "link": site_url(proposal.get_absolute_url())},
        key=f"proposal:{proposal.pk}:state:{proposal.state}:{proposal.updated_at}",
        exclude=[*_actor_pk(actor), *already],
    )


def comment_posted(comment: Comment) -> None:
    """Tell the followers of the proposal, but not the comment's author."""
    proposal = comment.proposal
    notify_followers(
        target=proposal,
        kind="participation.followed_proposal_comment",
        subject_object=comment,
        context={
            "proposal": proposal,
            "comment": comment,
            "link": site_url(comment.get_absolute_url()),
        },
        key=f"comment:{comment.pk}",
        exclude=_actor_pk(comment.author),
    )


def phase_started(phase: Phase) -> None:
    """Tell the followers of the process that one of its phases has begun."""
    process = phase.process
    notify_followers(
        target=process,
        kind="participation.followed_process_phase",
        subject_object=phase,
        context={
            "process": process,
            "phase": phase,
            "link": site_url(process.get_absolute_url()),
        },
        key=f"phase:{phase.pk}:started",
    )


def proposal_awaiting_answer(proposal: Proposal, actor: Any = None) -> None:
    """Tell the coordinators, once (the caller guarantees it), that a proposal
    reached the supports that call for an answer."""
    coordinators = get_user_model().objects.filter(is_coordinator=True, is_active=True)
    if actor is not None:
        coordinators = coordinators.exclude(pk=actor.pk)
    for coordinator in coordinators:
        notify(
            recipient=coordinator,
            kind="participation.proposal_awaiting_answer",
            subject_object=proposal,
            context={
                "proposal": proposal,
                "link": site_url(proposal.get_absolute_url()),
            },
            key=f"proposal:{proposal.pk}:awaiting",
        )
