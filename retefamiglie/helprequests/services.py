"""Every write on help requests. Views check permissions (rules.py) first.

Each step records an Activity: who, when, what, and the plain words the family
reads on its status page. E-mails leave after the transaction commits.
"""

import secrets
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from retefamiglie.accounts.models import User, Visitor
from retefamiglie.network.models import Organisation

from . import notifications
from .models import AccessLog, Activity, HelpRequest, Outcome, Referral
from .tokens import make_token

Status = HelpRequest.Status

# Public texts are stored untranslated (gettext_noop) and translated when shown,
# so the family reads them in the language of the page.
TEXT_SUBMITTED = gettext_noop(
    "We received your request. A coordinator of the network will read it soon."
)
TEXT_TRIAGED = gettext_noop("A coordinator of the network is looking at your request.")
TEXT_REFERRED = gettext_noop(
    "Your request has been sent to a member of the network who can help: %(name)s."
)
TEXT_ACCEPTED = gettext_noop(
    "%(name)s has taken on your request and will get in touch with you."
)
TEXT_DECLINED = gettext_noop(
    "A member of the network could not take on your request. The coordinator is "
    "looking for someone else."
)
TEXT_CLOSED = gettext_noop("Your request has been closed. Outcome: %(outcome)s.")
TEXT_WITHDRAWN = gettext_noop("You withdrew your request.")

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        reference = f"{code[:3]}-{code[3:]}"
        if not HelpRequest.objects.filter(reference=reference).exists():
            return reference


def _record(
    help_request: HelpRequest,
    kind: str,
    *,
    author: User | None = None,
    organisation: Organisation | None = None,
    public_text: str = "",
    body: str = "",
    visible_to_family: bool = False,
) -> Activity:
    return Activity.objects.create(
        request=help_request,
        kind=kind,
        author=author,
        organisation=organisation,
        public_text=public_text,
        body=body,
        visible_to_family=visible_to_family,
    )


def _lock(help_request: HelpRequest) -> None:
    """Lock the request's row and reload it, so concurrent steps never undo each
    other (a staff message while an organisation accepts, say)."""
    HelpRequest.objects.select_for_update().filter(pk=help_request.pk).first()
    help_request.refresh_from_db()


def _ensure_open(help_request: HelpRequest) -> None:
    if not help_request.is_open:
        raise ValidationError(_("This request is closed: nothing more can be done."))


def _set_status(help_request: HelpRequest, status: str) -> None:
    help_request.status = status
    help_request.full_clean()
    help_request.save()


@transaction.atomic
def request_submit(
    *, data: dict[str, Any], family: Visitor | None = None
) -> tuple[HelpRequest, str]:
    """Create a request from the family's form; return it with its private token.

    Precondition: ``data`` was validated by ``HelpRequestForm`` and the family
    accepted the privacy notice in force.
    """
    help_request = HelpRequest(
        reference=_new_reference(),
        family=family if family is not None and family.is_authenticated else None,
        kinds=data["kinds"],
        description=data["description"],
        children=data.get("children", {}),
        area=data.get("area"),
        contact_method=data["contact_method"],
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        contact_email=data.get("contact_email", ""),
        contact_times=data.get("contact_times", ""),
        language=data.get("language", "it"),
        needs_interpreter=data.get("needs_interpreter", False),
        urgency=data["urgency"],
        consent_version=settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"],
        consent_at=timezone.now(),
    )
    help_request.full_clean()
    help_request.save()
    _record(
        help_request,
        Activity.Kind.SUBMITTED,
        author=help_request.family,
        public_text=TEXT_SUBMITTED,
        visible_to_family=True,
    )
    transaction.on_commit(lambda: _notify_submitted(help_request))
    return help_request, make_token(help_request.public_id)


def _notify_submitted(help_request: HelpRequest) -> None:
    notifications.send(
        "new_request",
        notifications.coordinator_emails(),
        request=help_request,
        link=notifications.staff_link(help_request),
    )
    notifications.notify_family(help_request, "family_received")


@transaction.atomic
def request_triage(
    *, actor: User, help_request: HelpRequest, kinds: list[str], urgency: str
) -> HelpRequest:
    """Coordinator sets the kinds of help and the urgency. Request must be open."""
    _lock(help_request)
    _ensure_open(help_request)
    help_request.kinds = kinds
    help_request.urgency = urgency
    first_look = help_request.status == Status.NEW
    if first_look:
        help_request.status = Status.IN_TRIAGE
    help_request.full_clean()
    help_request.save()
    _record(
        help_request,
        Activity.Kind.TRIAGED,
        author=actor,
        public_text=TEXT_TRIAGED if first_look else "",
        body=", ".join(help_request.get_kinds_display()),
        visible_to_family=first_look,
    )
    return help_request


@transaction.atomic
def request_refer(
    *,
    actor: User,
    help_request: HelpRequest,
    organisations: list[Organisation],
    note: str = "",
) -> list[Referral]:
    """Send the request to member organisations. Request must be open."""
    _lock(help_request)
    _ensure_open(help_request)
    if not organisations:
        raise ValidationError(_("Choose at least one organisation."))
    created = []
    for organisation in organisations:
        referral, is_new = Referral.objects.get_or_create(
            request=help_request,
            organisation=organisation,
            defaults={"note": note, "referred_by": actor},
        )
        if not is_new:
            if referral.status in (Referral.Status.PENDING, Referral.Status.ACCEPTED):
                continue
            # Sent again after a decline or a cancellation.
            referral.status = Referral.Status.PENDING
            referral.note = note
            referral.decline_reason = ""
            referral.answered_at = None
            referral.reminded_at = None
            referral.referred_by = actor
            referral.full_clean()
            referral.save()
        created.append(referral)
        _record(
            help_request,
            Activity.Kind.REFERRED,
            author=actor,
            organisation=organisation,
            public_text=TEXT_REFERRED,
            body=note,
            visible_to_family=True,
        )
    if created and help_request.status in (
        Status.NEW,
        Status.IN_TRIAGE,
        Status.DECLINED,
    ):
        _set_status(help_request, Status.REFERRED)
    for referral in created:
        transaction.on_commit(partial(_notify_referred, referral))
    return created


def _notify_referred(referral: Referral) -> None:
    notifications.send(
        "referral_new",
        notifications.organisation_emails(referral.organisation),
        request=referral.request,
        organisation=referral.organisation,
        link=notifications.staff_link(referral.request),
    )


def _mark_first_answer(help_request: HelpRequest) -> None:
    if help_request.first_answer_at is None:
        help_request.first_answer_at = timezone.now()


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    """The organisation takes the request on. Referral must be pending."""
    # Lock the request before the referral, in the same order as every service.
    help_request = referral.request
    _lock(help_request)
    _ensure_open(help_request)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    referral.status = Referral.Status.ACCEPTED
    referral.answered_at = timezone.now()
    referral.save()
    _mark_first_answer(help_request)
    if help_request.status in (
        Status.NEW,
        Status.IN_TRIAGE,
        Status.REFERRED,
        Status.DECLINED,
    ):
        help_request.status = Status.ACCEPTED
    help_request.full_clean()
    help_request.save()
    _record(
        help_request,
        Activity.Kind.ACCEPTED,
        author=actor,
        organisation=referral.organisation,
        public_text=TEXT_ACCEPTED,
        visible_to_family=True,
    )
    transaction.on_commit(partial(_notify_accepted, referral))
    return referral


def _notify_accepted(referral: Referral) -> None:
    help_request = referral.request
    notifications.send(
        "referral_answered",
        notifications.coordinator_emails(),
        request=help_request,
        organisation=referral.organisation,
        accepted=True,
        link=notifications.staff_link(help_request),
    )
    notifications.notify_family(
        help_request, "family_update", organisation=referral.organisation
    )


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The organisation cannot help; the request returns to the coordinator.

    Precondition: the referral is pending. A reason is required.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why, so the coordinator can re-route it.")}
        )
    help_request = referral.request
    _lock(help_request)
    _ensure_open(help_request)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.answered_at = timezone.now()
    referral.full_clean()
    referral.save()
    still_active = help_request.referrals.filter(
        status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
    ).exists()
    if not still_active:
        _set_status(help_request, Status.DECLINED)
    _record(
        help_request,
        Activity.Kind.DECLINED,
        author=actor,
        organisation=referral.organisation,
        public_text=TEXT_DECLINED if not still_active else "",
        body=reason,
        visible_to_family=not still_active,
    )
    transaction.on_commit(
        lambda: notifications.send(
            "referral_answered",
            notifications.coordinator_emails(),
            request=help_request,
            organisation=referral.organisation,
            accepted=False,
            reason=reason,
            link=notifications.staff_link(help_request),
        )
    )
    return referral


def _acting_organisation(actor: User, help_request: HelpRequest) -> Organisation | None:
    """The organisation on whose behalf a staff member acts, if any."""
    referral = (
        help_request.referrals.filter(organisation__staff__user=actor)
        .exclude(status=Referral.Status.DECLINED)
        .select_related("organisation")
        .order_by("status")  # "pending" sorts after "accepted": prefer accepted
        .first()
    )
    return referral.organisation if referral else None


@transaction.atomic
def message_to_family(*, actor: User, help_request: HelpRequest, body: str) -> Activity:
    """Write to the family; it reads the message on its status page."""
    _lock(help_request)
    _ensure_open(help_request)
    organisation = _acting_organisation(actor, help_request)
    _mark_first_answer(help_request)
    if help_request.status == Status.ACCEPTED:
        help_request.status = Status.IN_PROGRESS
    help_request.full_clean()
    help_request.save()
    activity = _record(
        help_request,
        Activity.Kind.MESSAGE_TO_FAMILY,
        author=actor,
        organisation=organisation,
        body=body.strip(),
        visible_to_family=True,
    )
    transaction.on_commit(
        lambda: notifications.notify_family(help_request, "family_message")
    )
    return activity


@transaction.atomic
def family_reply(*, help_request: HelpRequest, body: str) -> Activity:
    """The family writes back. Request must be open."""
    if not help_request.is_open:
        raise ValidationError(
            _("This request is closed: it can no longer receive messages.")
        )
    activity = _record(
        help_request,
        Activity.Kind.MESSAGE_FROM_FAMILY,
        author=help_request.family,
        body=body.strip(),
        visible_to_family=True,
    )
    recipients = notifications.coordinator_emails()
    for referral in help_request.referrals.filter(status=Referral.Status.ACCEPTED):
        recipients += notifications.organisation_emails(referral.organisation)
    transaction.on_commit(
        lambda: notifications.send(
            "family_replied",
            recipients,
            request=help_request,
            link=notifications.staff_link(help_request),
        )
    )
    return activity


@transaction.atomic
def note_add(*, actor: User, help_request: HelpRequest, body: str) -> Activity:
    """An internal note: staff and coordinators read it, the family never does."""
    return _record(
        help_request,
        Activity.Kind.NOTE,
        author=actor,
        organisation=_acting_organisation(actor, help_request),
        body=body.strip(),
    )


def _finish(help_request: HelpRequest, status: str, outcome: str) -> None:
    now = timezone.now()
    help_request.status = status
    help_request.outcome = outcome
    help_request.closed_at = now
    help_request.full_clean()
    help_request.save()
    help_request.referrals.filter(status=Referral.Status.ACCEPTED).update(
        status=Referral.Status.CLOSED, updated_at=now
    )
    help_request.referrals.filter(status=Referral.Status.PENDING).update(
        status=Referral.Status.CANCELLED, updated_at=now
    )


@transaction.atomic
def request_close(
    *, actor: User, help_request: HelpRequest, outcome: str, body: str = ""
) -> HelpRequest:
    """Close with an outcome (required). Request must be open."""
    _lock(help_request)
    _ensure_open(help_request)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose how the request ended.")})
    _finish(help_request, Status.CLOSED, outcome)
    _record(
        help_request,
        Activity.Kind.CLOSED,
        author=actor,
        organisation=_acting_organisation(actor, help_request),
        public_text=TEXT_CLOSED,
        body=body.strip(),
        visible_to_family=True,
    )
    transaction.on_commit(
        lambda: notifications.notify_family(help_request, "family_update")
    )
    return help_request


@transaction.atomic
def request_withdraw(*, help_request: HelpRequest, reason: str = "") -> HelpRequest:
    """The family withdraws its request. Request must be open."""
    _lock(help_request)
    if not help_request.is_open:
        raise ValidationError(_("This request is already closed."))
    notified = notifications.coordinator_emails()
    for referral in help_request.referrals.filter(
        status__in=[Referral.Status.PENDING, Referral.Status.ACCEPTED]
    ):
        notified += notifications.organisation_emails(referral.organisation)
    _finish(help_request, Status.WITHDRAWN, Outcome.WITHDRAWN)
    _record(
        help_request,
        Activity.Kind.WITHDRAWN,
        author=help_request.family,
        public_text=TEXT_WITHDRAWN,
        body=reason.strip(),
        visible_to_family=True,
    )
    transaction.on_commit(
        lambda: notifications.send(
            "family_withdrew",
            notified,
            request=help_request,
            link=notifications.staff_link(help_request),
        )
    )
    return help_request


def access_record(*, user: User, help_request: HelpRequest) -> AccessLog:
    """Log that ``user`` read the details of ``help_request``."""
    return AccessLog.objects.create(
        request=help_request,
        user=user,
        organisation=_acting_organisation(user, help_request),
    )


@transaction.atomic
def requests_anonymise(
    *, now: datetime | None = None, months: int | None = None
) -> int:
    """Erase personal data of requests closed more than ``months`` ago.

    Keeps only what the aggregates need: kinds, area, urgency, outcome and dates.
    """
    now = now or timezone.now()
    months = settings.HELPREQUESTS_RETENTION_MONTHS if months is None else months
    cutoff = now - timedelta(days=round(months * 30.44))
    stale = HelpRequest.objects.filter(
        anonymised_at__isnull=True,
        closed_at__lt=cutoff,
        status__in=[Status.CLOSED, Status.WITHDRAWN],
    )
    ids = list(stale.values_list("pk", flat=True))
    requests_anonymise_ids(ids=ids, now=now)
    return len(ids)


def requests_anonymise_ids(*, ids: list[int], now: datetime) -> None:
    if not ids:
        return
    HelpRequest.objects.filter(pk__in=ids).update(
        description="",
        children={},
        family=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        contact_times="",
        needs_interpreter=False,
        anonymised_at=now,
    )
    Activity.objects.filter(request_id__in=ids).filter(
        Q(body__gt="") | Q(author__isnull=False)
    ).update(body="", author=None)
    referrals = Referral.objects.filter(request_id__in=ids)
    referrals.exclude(status=Referral.Status.DECLINED).update(
        note="", decline_reason=""
    )
    # A declined referral keeps a placeholder reason (database constraint).
    referrals.filter(status=Referral.Status.DECLINED).update(
        note="", decline_reason="-"
    )


@transaction.atomic
def referrals_remind(*, now: datetime | None = None, hours: int | None = None) -> int:
    """E-mail organisations that left a referral unanswered for ``hours``."""
    now = now or timezone.now()
    hours = settings.HELPREQUESTS_REMINDER_HOURS if hours is None else hours
    due = Referral.objects.filter(
        status=Referral.Status.PENDING,
        reminded_at__isnull=True,
        created_at__lt=now - timedelta(hours=hours),
        request__status__in=HelpRequest.OPEN_STATUSES,
    ).select_related("organisation", "request")
    count = 0
    for referral in due:
        referral.reminded_at = now
        referral.save(update_fields=["reminded_at"])
        transaction.on_commit(partial(_notify_reminder, referral))
        count += 1
    return count


def _notify_reminder(referral: Referral) -> None:
    notifications.send(
        "referral_reminder",
        notifications.organisation_emails(referral.organisation),
        request=referral.request,
        organisation=referral.organisation,
        link=notifications.staff_link(referral.request),
    )


@transaction.atomic
def requests_detach_family(*, family: User) -> int:
    """Account deletion: closed requests are anonymised now, open ones unlinked.

    An open request may still be helping the family, so it keeps the contact
    details the family gave; the retention task erases them once it is closed.
    """
    requests = HelpRequest.objects.filter(family=family)
    closed_ids = list(
        requests.exclude(status__in=HelpRequest.OPEN_STATUSES).values_list(
            "pk", flat=True
        )
    )
    count = requests.update(family=None)
    Activity.objects.filter(author=family).update(author=None)
    if closed_ids:
        requests_anonymise_ids(ids=closed_ids, now=timezone.now())
    return count
