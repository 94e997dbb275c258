"""Writes on member organisations and their staff.

E-mails leave after the transaction commits, rendered from text templates
(first line: the subject) in the site's default language.
"""

import secrets
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retefamiglie.notifications.services import notify_many, people_or_addresses

from .models import Organisation, OrganisationStaff, StaffInvitation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's public profile.

    Precondition: the actor holds ``network.change_organisation`` on it.
    """
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def staff_add(
    *, organisation: Organisation, user, role: str = OrganisationStaff.Role.EDITOR
) -> OrganisationStaff:
    staff, created = OrganisationStaff.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and staff.role != role:
        staff.role = role
        staff.full_clean()
        staff.save(update_fields=["role", "updated_at"])
    return staff


@transaction.atomic
def staff_remove_all_for_user(*, user) -> int:
    """Remove a person from every organisation (account deletion)."""
    deleted, _ = OrganisationStaff.objects.filter(user=user).delete()
    return deleted


# ------------------------------------------------------------------------------
# E-mail
# ------------------------------------------------------------------------------


def _site_url(url_name: str, **kwargs) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(url_name, kwargs=kwargs)
    return settings.SITE_URL.rstrip("/") + path


def _coordinator_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_coordinator=True, is_active=True)
        .values_list("email", flat=True)
    )


def _send(template: str, recipients: Iterable[str], **context) -> None:
    """Notify ``network.<template>`` (``network/email/``), one message each."""
    notify_many(
        recipients=people_or_addresses(recipients),
        kind=f"network.{template}",
        subject_object=context.get("organisation"),
        context=context,
    )


# ------------------------------------------------------------------------------
# Staff invitations
# ------------------------------------------------------------------------------


def _notify_invited(invitation: StaffInvitation) -> None:
    _send(
        "staff_invitation",
        [invitation.email],
        invitation=invitation,
        organisation=invitation.organisation,
        inviter=invitation.invited_by,
        link=_site_url("network:invitation_accept", token=invitation.token),
    )


@transaction.atomic
def staff_invite(
    *, organisation: Organisation, email: str, role: str, invited_by
) -> StaffInvitation:
    """Invite a colleague by e-mail to manage ``organisation`` with ``role``.

    Precondition: ``invited_by`` holds ``network.manage_staff`` on it. A pending
    invitation to the same address is replaced, so only the newest link works.
    """
    email = email.strip().lower()
    if OrganisationStaff.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise ValidationError(
            {"email": _("This person already works for the organisation.")}
        )
    StaffInvitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).delete()
    invitation = StaffInvitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
    )
    invitation.full_clean()
    invitation.save()
    transaction.on_commit(partial(_notify_invited, invitation))
    return invitation


def invitation_matches(*, invitation: StaffInvitation, user) -> bool:
    return bool(
        user.is_authenticated and user.email.lower() == invitation.email.lower()
    )


@transaction.atomic
def invitation_accept(*, invitation: StaffInvitation, user) -> OrganisationStaff:
    """Make ``user`` staff of the invitation's organisation.

    Preconditions: the invitation is not used yet and was sent to the user's
    e-mail address. An administrator who accepts an editor's invitation stays
    administrator.
    """
    # Lock the row: two tabs accepting at once must not both succeed.
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if not invitation_matches(invitation=invitation, user=user):
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    role = invitation.role
    if OrganisationStaff.objects.filter(
        organisation=invitation.organisation,
        user=user,
        role=OrganisationStaff.Role.ADMIN,
    ).exists():
        role = OrganisationStaff.Role.ADMIN
    staff = staff_add(organisation=invitation.organisation, user=user, role=role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.full_clean()
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return staff


@transaction.atomic
def invitation_revoke(*, invitation: StaffInvitation) -> None:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    invitation.delete()


@transaction.atomic
def staff_remove(*, staff: OrganisationStaff, actor) -> None:
    """Remove a person from an organisation's staff.

    Precondition: ``actor`` holds ``network.manage_staff`` on the organisation.
    The last administrator cannot be removed: someone must stay in charge.
    """
    # Lock the organisation's staff: two admins removing each other at once
    # must not leave it without one.
    admins = list(
        OrganisationStaff.objects.select_for_update()
        .filter(
            organisation_id=staff.organisation_id, role=OrganisationStaff.Role.ADMIN
        )
        .values_list("pk", flat=True)
    )
    if staff.role == OrganisationStaff.Role.ADMIN and admins == [staff.pk]:
        raise ValidationError(
            _(
                "The last administrator cannot be removed: make someone else "
                "administrator first."
            )
        )
    staff.delete()


# ------------------------------------------------------------------------------
# Leaving the network
# ------------------------------------------------------------------------------


def _notify_left(organisation: Organisation) -> None:
    _send(
        "organisation_left",
        _coordinator_emails(),
        organisation=organisation,
        link=_site_url("network:member", slug=organisation.slug),
    )


@transaction.atomic
def organisation_leave(
    *, organisation: Organisation, reason: str, actor
) -> Organisation:
    """The member leaves the network; the coordinators are told.

    Preconditions: ``actor`` holds ``network.leave_network`` on it (it is active).
    Its signatures of the pact stay: they are a record of what was agreed.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("This member is not active in the network."))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the network why you are leaving.")})
    organisation.status = Organisation.Status.LEFT
    organisation.left_at = timezone.now()
    organisation.left_reason = reason.strip()
    organisation.full_clean()
    organisation.save()
    transaction.on_commit(partial(_notify_left, organisation))
    return organisation
