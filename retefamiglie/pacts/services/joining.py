"""Joining the network: an application, reviewed by a coordinator, ends in a
new member, its first administrator and its signature of the pact.

Views check permissions first (rules.py). E-mails leave after the transaction
commits, rendered from text templates (first line: the subject).
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.network.services import staff_add
from retefamiglie.notifications.services import notify_many, people_or_addresses

from ..models import JoinApplication, PactVersion, Signature

Status = JoinApplication.Status

# What the applicant fills in; the rest is set by the workflow.
APPLICATION_FIELDS = (
    "type",
    "name",
    "description",
    "area",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "proposed_commitments",
    "is_public",
)


# ------------------------------------------------------------------------------
# E-mail
# ------------------------------------------------------------------------------


def _site_url(url_name: str, **kwargs: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(url_name, kwargs=kwargs)
    return settings.SITE_URL.rstrip("/") + path


def _coordinator_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_coordinator=True, is_active=True)
        .values_list("email", flat=True)
    )


def _send(template: str, recipients: Iterable[str], **context: Any) -> None:
    """Notify ``pacts.<template>`` (``pacts/joining/email/``), one message each."""
    notify_many(
        recipients=people_or_addresses(recipients),
        kind=f"pacts.{template}",
        subject_object=context.get("application"),
        context=context,
    )


def _notify_coordinators(application: JoinApplication, template: str) -> None:
    _send(
        template,
        _coordinator_emails(),
        application=application,
        link=_site_url("pacts:application_review", pk=application.pk),
    )


def _notify_applicant(
    application: JoinApplication, template: str, **extra: Any
) -> None:
    _send(
        template,
        [application.contact_email],
        application=application,
        link=_site_url("pacts:application", pk=application.pk),
        **extra,
    )


# ------------------------------------------------------------------------------
# The applicant
# ------------------------------------------------------------------------------


def _ensure_in_force(version: PactVersion) -> None:
    if version.status != PactVersion.Status.IN_FORCE:
        raise ValidationError(
            _(
                "The pact you accepted is no longer in force: read the pact in force "
                "and accept it."
            ),
            code="version_not_in_force",
        )


def _fill(application: JoinApplication, data: dict[str, Any]) -> None:
    for name in APPLICATION_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    # Organisations are public members; only a single citizen may stay unlisted.
    if application.type != Organisation.Type.CITIZEN:
        application.is_public = True


@transaction.atomic
def application_submit(
    *, applicant: User, data: dict[str, Any], version: PactVersion
) -> JoinApplication:
    """Record an application to join and tell the coordinators.

    Preconditions: ``data`` was validated by ``JoinApplicationForm``, the
    applicant accepted ``version`` (in force) and the privacy notice in force.
    """
    _ensure_in_force(version)
    application = JoinApplication(
        applicant=applicant,
        version=version,
        privacy_version=settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"],
        status=Status.SUBMITTED,
    )
    _fill(application, data)
    application.full_clean()
    application.save()
    transaction.on_commit(
        partial(_notify_coordinators, application, "coordinators_new")
    )
    return application


@transaction.atomic
def application_amend(
    *, application: JoinApplication, data: dict[str, Any], version: PactVersion
) -> JoinApplication:
    """The applicant changes the application as asked; it waits for review again.

    Preconditions: the actor is the applicant; the coordinator asked for changes;
    the applicant accepted ``version`` (in force) and the privacy notice again.
    """
    application = _lock(application)
    if application.status != Status.CHANGES_REQUESTED:
        raise ValidationError(
            _("This application cannot be changed now."), code="not_amendable"
        )
    _ensure_in_force(version)
    _fill(application, data)
    application.version = version
    application.privacy_version = settings.RETEFAMIGLIE["PRIVACY_NOTICE_VERSION"]
    application.status = Status.SUBMITTED
    application.full_clean()
    application.save()
    transaction.on_commit(
        partial(_notify_coordinators, application, "coordinators_amended")
    )
    return application


# ------------------------------------------------------------------------------
# The coordinator
# ------------------------------------------------------------------------------


def _lock(application: JoinApplication) -> JoinApplication:
    """Lock and reload the row, so two coordinators never review it twice."""
    return JoinApplication.objects.select_for_update().get(pk=application.pk)


def _ensure_waiting(application: JoinApplication) -> None:
    if application.status != Status.SUBMITTED:
        raise ValidationError(
            _("This application is not waiting for a review: it was already reviewed."),
            code="already_reviewed",
        )


def _reviewed(
    application: JoinApplication, *, status: str, reviewer: User, message: str = ""
) -> None:
    application.status = status
    application.coordinator_message = message
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "membro"
    slug, counter = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


@transaction.atomic
def application_approve(
    *, application: JoinApplication, reviewer: User
) -> Organisation:
    """Admit the applicant: create the member, make the applicant its
    administrator and record its signature of the version it accepted.

    Preconditions: ``reviewer`` holds ``pacts.review_application``; the
    application waits for review.
    """
    application = _lock(application)
    _ensure_waiting(application)
    is_citizen = application.type == Organisation.Type.CITIZEN
    organisation = Organisation(
        name=application.name,
        slug=_unique_slug(application.name),
        type=application.type,
        description=application.description,
        area=application.area,
        website=application.website,
        email=application.contact_email,
        phone=application.contact_phone,
        is_public=application.is_public,
        # A citizen's contacts are personal: hidden until they choose otherwise.
        show_contacts=not is_citizen,
        status=Organisation.Status.ACTIVE,
    )
    organisation.full_clean()
    organisation.save()
    if application.applicant is not None:
        staff_add(
            organisation=organisation,
            user=application.applicant,
            role=OrganisationStaff.Role.ADMIN,
        )
    with translation.override(settings.LANGUAGE_CODE):
        signer_role = _("Contact person")
    signature = Signature(
        version=application.version,
        organisation=organisation,
        signed_by=application.applicant,
        signer_name=application.contact_name,
        signer_role=signer_role,
    )
    signature.full_clean()
    signature.save()
    _reviewed(application, status=Status.APPROVED, reviewer=reviewer)
    application.organisation = organisation
    application.full_clean()
    application.save()
    transaction.on_commit(
        partial(
            _notify_applicant,
            application,
            "applicant_approved",
            member_link=_site_url("network:member", slug=organisation.slug),
            staff_link=_site_url("network:staff_home"),
        )
    )
    return organisation


@transaction.atomic
def application_request_changes(
    *, application: JoinApplication, reviewer: User, message: str
) -> JoinApplication:
    """Send the application back to the applicant with what to change.

    Preconditions: ``reviewer`` holds ``pacts.review_application``; the
    application waits for review; ``message`` says what to change.
    """
    application = _lock(application)
    _ensure_waiting(application)
    if not message.strip():
        raise ValidationError(
            {"message": _("Tell the applicant what to change.")}, code="required"
        )
    _reviewed(
        application,
        status=Status.CHANGES_REQUESTED,
        reviewer=reviewer,
        message=message.strip(),
    )
    application.full_clean()
    application.save()
    transaction.on_commit(
        partial(_notify_applicant, application, "applicant_changes_requested")
    )
    return application


@transaction.atomic
def application_reject(
    *, application: JoinApplication, reviewer: User, reason: str
) -> JoinApplication:
    """Refuse the application, with the reason the applicant reads.

    Preconditions: ``reviewer`` holds ``pacts.review_application``; the
    application waits for review; ``reason`` is given.
    """
    application = _lock(application)
    _ensure_waiting(application)
    if not reason.strip():
        raise ValidationError(
            {"message": _("Tell the applicant why the application is rejected.")},
            code="required",
        )
    _reviewed(
        application, status=Status.REJECTED, reviewer=reviewer, message=reason.strip()
    )
    application.full_clean()
    application.save()
    transaction.on_commit(partial(_notify_applicant, application, "applicant_rejected"))
    return application
