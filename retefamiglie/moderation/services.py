"""Writes of moderation: flags, decisions, suspensions (ADR 16)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.notifications.services import notify

from . import registry
from .models import Case, Decision, Flag, Reason, Suspension
from .selectors import author_of


def hide_after_flags() -> int:
    """Open flags from different people that hide an object (setting)."""
    return max(1, int(getattr(settings, "MODERATION_HIDE_AFTER_FLAGS", 3)))


@transaction.atomic
def flag_create(*, actor: User, target: Model, reason: str, note: str = "") -> Flag:
    """Flag ``target`` for ``reason``; hide it once enough people did.

    Preconditions: ``actor`` is logged in, ``target`` is flaggable and not the
    actor's own. Flagging twice before a decision is refused.
    """
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if not registry.is_flaggable(target):
        raise ValidationError(_("This cannot be flagged."))
    author = author_of(target)
    if (author is not None and author.pk == actor.pk) or target == actor:
        raise ValidationError(_("You cannot flag what is yours."))
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    case, _created = Case.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    # Lock the case: two flags at once must both count, and hide it only once.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.flags.filter(reporter=actor, decision__isnull=True).exists():
        raise ValidationError(
            _("You have already flagged this; a coordinator will look at it.")
        )
    flag = Flag(case=case, reporter=actor, reason=reason, note=note.strip())
    flag.full_clean()
    flag.save()
    case.open_flags = case.flags.filter(decision__isnull=True).count()
    case.last_flagged_at = timezone.now()
    if case.status == Case.Status.REMOVED:
        pass  # stays hidden; the new flag waits in the history
    elif case.open_flags >= hide_after_flags():
        case.status = Case.Status.HIDDEN
    else:
        case.status = Case.Status.OPEN
    case.save(update_fields=["open_flags", "last_flagged_at", "status", "updated_at"])
    return flag


@transaction.atomic
def decision_create(*, actor: User, case: Case, outcome: str, reason: str) -> Decision:
    """A coordinator restores or removes the object of ``case``, settling its flags.

    Preconditions: ``actor`` holds ``moderation.decide_case``; a reason is given.
    """
    if not actor.has_perm("moderation.decide_case", case):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    decision = Decision(case=case, actor=actor, outcome=outcome, reason=reason.strip())
    decision.full_clean()
    decision.save()
    settled = case.flags.filter(decision__isnull=True).update(decision=decision)
    decision.flags_settled = settled
    decision.save(update_fields=["flags_settled"])
    case.status = (
        Case.Status.RESTORED
        if outcome == Decision.Outcome.RESTORE
        else Case.Status.REMOVED
    )
    case.open_flags = 0
    case.save(update_fields=["status", "open_flags", "updated_at"])
    return decision


@transaction.atomic
def suspension_create(
    *, actor: User, person: User, scope: str, reason: str
) -> Suspension:
    """Keep ``person`` out of ``scope``; the reason is shown to them."""
    if not actor.has_perm("moderation.suspend_person", person):
        raise PermissionDenied
    if scope not in registry.suspension_scopes():
        raise ValidationError({"scope": _("Choose where to suspend the person from.")})
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    if Suspension.objects.filter(
        person=person, scope=scope, lifted_at__isnull=True
    ).exists():
        raise ValidationError(_("This person is already suspended from there."))
    suspension = Suspension(
        person=person, scope=scope, reason=reason.strip(), created_by=actor
    )
    suspension.full_clean()
    suspension.save()
    notify(
        recipient=person,
        kind="moderation.suspended",
        subject_object=suspension,
        context={
            "scope": registry.suspension_scopes()[scope],
            "reason": suspension.reason,
            "link": settings.SITE_URL,
        },
        key=f"suspension:{suspension.pk}",
    )
    return suspension


@transaction.atomic
def suspension_lift(*, actor: User, suspension: Suspension) -> Suspension:
    if not actor.has_perm("moderation.suspend_person", suspension.person):
        raise PermissionDenied
    if suspension.lifted_at is None:
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = actor
        suspension.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    return suspension
