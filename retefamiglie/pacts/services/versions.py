"""Every write on the versions of the pact. Views check permissions (rules.py)
first; the services check them again where a role decides (only a municipal
officer approves), and refuse illegal steps with a translated ValidationError.

Versions move draft → consultation → approved → in force → superseded/expired;
a version in consultation may go back to draft. Sections keep their history
(django-simple-history): who changed which text, when.
"""

import datetime
from dataclasses import dataclass

import rules
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Organisation, OrganisationStaff
from retefamiglie.network.rules import works_for
from retefamiglie.notifications.services import notify_many, people_or_addresses

from .. import selectors
from ..models import PactSection, PactVersion, SectionComment, SectionKind, Signature

Status = PactVersion.Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: object
    # Who may take the step: a permission of rules.py, the one place that says it.
    permission: str

    def allowed(self, user: User | AnonymousUser) -> bool:
        return rules.has_perm(self.permission, user)


TRANSITIONS = [
    Transition(
        Status.DRAFT,
        Status.CONSULTATION,
        gettext_lazy("Open consultation"),
        "pacts.open_consultation",
    ),
    Transition(
        Status.CONSULTATION,
        Status.DRAFT,
        gettext_lazy("Back to draft"),
        "pacts.return_version_to_draft",
    ),
    Transition(
        Status.CONSULTATION,
        Status.APPROVED,
        gettext_lazy("Approve"),
        "pacts.approve_version",
    ),
    Transition(
        Status.APPROVED,
        Status.IN_FORCE,
        gettext_lazy("Put in force"),
        "pacts.put_version_in_force",
    ),
    Transition(
        Status.IN_FORCE, Status.EXPIRED, gettext_lazy("Expire"), "pacts.expire_version"
    ),
]


def transitions_for(
    *, version: PactVersion, user: User | AnonymousUser
) -> list[Transition]:
    """The steps this person may take from the version's status."""
    return [t for t in TRANSITIONS if t.source == version.status and t.allowed(user)]


def _as[M: Model](instance: M, actor: User | None) -> M:
    # simple_history reads the author of a change from here when no request
    # (middleware) is around, e.g. in tasks and the shell.
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    return instance


def _lock(version: PactVersion) -> None:
    """Lock the version's row and reload it, so two coordinators clicking at once
    never take two steps from the same status."""
    PactVersion.objects.select_for_update().filter(pk=version.pk).first()
    version.refresh_from_db()


def _default_title() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Collaboration pact of the network %(name)s") % {
            "name": settings.RETEFAMIGLIE["NETWORK_NAME"]
        }


@transaction.atomic
def version_create(*, actor: User) -> PactVersion:
    """Create a draft with the next number, copying the title and sections of the
    version in force, or with an empty section of every kind if none is in force.
    """
    current = selectors.version_in_force()
    last = PactVersion.objects.aggregate(last=Max("number"))["last"] or 0
    version = _as(
        PactVersion(
            number=last + 1,
            title=current.title if current else _default_title(),
            status=Status.DRAFT,
        ),
        actor,
    )
    version.full_clean()
    version.save()
    bodies = {s.kind: s for s in selectors.sections_of(current)} if current else {}
    for index, kind in enumerate(SectionKind):
        previous = bodies.get(kind.value)
        section = _as(
            PactSection(
                version=version,
                kind=kind,
                order=index,
                title=previous.title if previous else str(kind.label),
                body=previous.body if previous else "",
            ),
            actor,
        )
        # A new draft's sections may start empty: the edit form asks for every
        # text, and consultation opens only when none is empty.
        section.full_clean(exclude=["body"])
        section.save()
    return version


@transaction.atomic
def version_update(
    *,
    version: PactVersion,
    actor: User,
    title: str,
    summary: str,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    consultation_until: datetime.date | None,
    sections: dict[str, str],
) -> PactVersion:
    """Change a draft or a version in consultation. ``sections`` maps a
    SectionKind to its new text; only changed sections are saved (and so enter
    the history)."""
    _lock(version)
    if version.status not in (Status.DRAFT, Status.CONSULTATION):
        raise ValidationError(
            _("Only a draft or a version in consultation can be changed.")
        )
    version.title = title
    version.summary = summary
    version.valid_from = valid_from
    version.valid_until = valid_until
    version.consultation_until = consultation_until
    _as(version, actor).full_clean()
    version.save()
    existing = {s.kind: s for s in version.sections.all()}
    for index, kind in enumerate(SectionKind):
        if kind.value not in sections:
            continue
        body = sections[kind.value].strip()
        section = existing.get(kind.value) or PactSection(
            version=version, kind=kind, order=index, title=str(kind.label)
        )
        if section.pk and section.body == body:
            continue
        section.body = body
        _as(section, actor).full_clean()
        section.save()
    return version


def _check_can_leave_draft(version: PactVersion) -> None:
    empty = [s.title for s in selectors.sections_of(version) if not s.body.strip()]
    if empty:
        raise ValidationError(
            _("Write every section before opening the consultation: %(sections)s.")
            % {"sections": ", ".join(empty)}
        )


def _check_can_go_in_force(version: PactVersion) -> None:
    if version.valid_from is None:
        raise ValidationError(
            _("Set the date the version is valid from before putting it in force.")
        )


@transaction.atomic
def version_transition(
    *,
    version: PactVersion,
    to: str,
    actor: User,
    consultation_until: datetime.date | None = None,
) -> PactVersion:
    """Move the version to status ``to``.

    Preconditions: the step is in TRANSITIONS (else ValidationError) and the actor
    holds its role (else PermissionDenied). Putting a version in force supersedes
    the one in force and asks the administrators of active members to sign it.
    """
    _lock(version)
    step = next(
        (t for t in TRANSITIONS if t.source == version.status and t.target == to),
        None,
    )
    if step is None:
        raise ValidationError(
            _("A version cannot go from “%(source)s” to “%(target)s”.")
            % {
                "source": version.get_status_display(),
                "target": dict(Status.choices).get(to, to),
            }
        )
    if not step.allowed(actor):
        raise PermissionDenied(_("Your role cannot take this step."))
    now = timezone.now()
    if to == Status.CONSULTATION:
        _check_can_leave_draft(version)
        if consultation_until is not None:
            version.consultation_until = consultation_until
    elif to == Status.APPROVED:
        version.approved_by = actor
        version.approved_at = now
    elif to == Status.IN_FORCE:
        _check_can_go_in_force(version)
        # The previous version leaves first: only one may be in force.
        for previous in PactVersion.objects.select_for_update().filter(
            status=Status.IN_FORCE
        ):
            previous.status = Status.SUPERSEDED
            _as(previous, actor).full_clean()
            previous.save()
        version.in_force_at = now
    version.status = to
    _as(version, actor).full_clean()
    version.save()
    if to == Status.IN_FORCE:
        transaction.on_commit(lambda: _ask_to_sign(version))
    return version


def _ask_to_sign(version: PactVersion) -> None:
    recipients = selectors.active_member_admin_emails()
    if not recipients:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("pacts:current")
    # One message each: members never see each other's addresses.
    notify_many(
        recipients=people_or_addresses(recipients),
        kind="pacts.version_sign",
        subject_object=version,
        context={"version": version, "link": link},
    )


@transaction.atomic
def version_sign(
    *, version: PactVersion, organisation: Organisation, user: User, signer_role: str
) -> Signature:
    """The member signs the version in force, by one of its administrators.

    Preconditions: the version is in force, the member is active, the user is
    its administrator, and it has not signed this version yet.
    """
    if version.status != Status.IN_FORCE:
        raise ValidationError(_("Only the version in force can be signed."))
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only an active member can sign the pact."))
    if not works_for(user, organisation, role=OrganisationStaff.Role.ADMIN):
        raise PermissionDenied(_("Only an administrator of the member can sign."))
    if Signature.objects.filter(version=version, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s has already signed version %(number)s of the pact.")
            % {"name": organisation.name, "number": version.number}
        )
    signature = _as(
        Signature(
            version=version,
            organisation=organisation,
            signed_by=user,
            signer_name=user.display_name or user.email,
            signer_role=signer_role.strip(),
        ),
        user,
    )
    signature.full_clean()
    signature.save()
    return signature


@transaction.atomic
def comment_add(
    *,
    section: PactSection,
    author: User,
    body: str,
    organisation: Organisation | None = None,
) -> SectionComment:
    """A comment on a section of a version in consultation, on behalf of a
    member the author works for (or of nobody, for a coordinator)."""
    if section.version.status != Status.CONSULTATION:
        raise ValidationError(
            _("Comments are open only while the version is in consultation.")
        )
    if organisation is not None and not works_for(author, organisation):
        raise PermissionDenied(_("You can comment only on behalf of your member."))
    comment = SectionComment(
        section=section, author=author, organisation=organisation, body=body.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_answer(
    *, comment: SectionComment, actor: User, answer: str
) -> SectionComment:
    """A coordinator answers (or corrects the answer to) a comment."""
    comment.answer = answer.strip()
    comment.answered_by = actor
    comment.answered_at = timezone.now()
    comment.full_clean()
    comment.save()
    return comment
