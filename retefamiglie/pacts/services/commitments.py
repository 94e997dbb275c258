"""Writes on commitments: create, edit, record progress. Views check rules.py first.

Every save goes through the model's history (django-simple-history): the actor is
set explicitly, so the history says who changed what even outside a request.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.network.models import Area, Organisation

from .. import selectors
from ..models import Commitment, CommitmentUpdate, PactVersion

# Fields a member may change after creating a commitment.
EDITABLE_FIELDS = (
    "objective",
    "title",
    "beneficiaries",
    "target_value",
    "target_unit",
    "due_date",
    "area",
)


def _require_version_in_force() -> PactVersion:
    """The version of the pact in force; a ValidationError when there is none."""
    version = selectors.version_in_force()
    if version is None:
        raise ValidationError(
            _(
                "No version of the pact is in force: commitments can be added "
                "once the municipality has approved one."
            )
        )
    return version


def _check_target(target_value: int | None) -> None:
    if target_value is None or target_value <= 0:
        raise ValidationError(
            {"target_value": _("The target must be a number greater than zero.")}
        )


def _save(commitment: Commitment, actor: User) -> None:
    commitment._history_user = actor  # type: ignore[attr-defined]
    commitment.full_clean()
    commitment.save()


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    organisation: Organisation,
    objective: str,
    title: str,
    beneficiaries: str,
    target_value: int,
    target_unit: str,
    due_date: date,
    area: Area | None = None,
) -> Commitment:
    """A member takes on a commitment under the version of the pact in force.

    Preconditions: the actor may add a commitment for ``organisation`` (staff of
    that active member, or a coordinator); a version is in force; the target is
    positive and the due date is not in the past.
    """
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active members of the network make commitments."))
    version = _require_version_in_force()
    _check_target(target_value)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    commitment = Commitment(
        organisation=organisation,
        version=version,
        objective=objective,
        title=title,
        beneficiaries=beneficiaries,
        target_value=target_value,
        target_unit=target_unit,
        due_date=due_date,
        area=area,
    )
    _save(commitment, actor)
    return commitment


def _ensure_open(commitment: Commitment) -> None:
    if commitment.status in Commitment.CLOSED_STATUSES:
        raise ValidationError(
            _("This commitment is done or dropped: it can no longer be changed.")
        )


@transaction.atomic
def commitment_edit(
    *,
    actor: User,
    commitment: Commitment,
    status: str,
    drop_reason: str = "",
    **fields: Any,
) -> Commitment:
    """Change what a commitment promises, or its status.

    Preconditions: the actor may change the commitment (staff of its member or a
    coordinator) and it is still open. Dropping it needs a reason, kept as its
    final progress update.
    """
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _ensure_open(commitment)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "target_value" in fields:
        _check_target(fields["target_value"])
    drop_reason = drop_reason.strip()
    if status == Commitment.Status.DROPPED and not drop_reason:
        raise ValidationError(
            {
                "drop_reason": _(
                    "Say why the commitment is dropped: members will read it."
                )
            }
        )
    for name, value in fields.items():
        setattr(commitment, name, value)
    commitment.status = status
    _save(commitment, actor)
    if status == Commitment.Status.DROPPED:
        _add_update(
            commitment=commitment,
            actor=actor,
            text=_("Commitment dropped: %(reason)s") % {"reason": drop_reason},
            progress_value=commitment.progress_value,
        )
    return commitment


def _add_update(
    *,
    commitment: Commitment,
    actor: User,
    text: str,
    progress_value: int,
    link: str = "",
    file: UploadedFile | None = None,
) -> CommitmentUpdate:
    update = CommitmentUpdate(
        commitment=commitment,
        author=actor,
        text=text,
        progress_value=progress_value,
        link=link,
    )
    if file is not None:
        update.file = file
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def commitment_update_progress(
    *,
    actor: User,
    commitment: Commitment,
    text: str,
    progress_value: int,
    link: str = "",
    file: UploadedFile | None = None,
) -> CommitmentUpdate:
    """Record what was done, with evidence, and how far the commitment has got.

    Preconditions: the actor may change the commitment and it is still open; the
    file, if any, was checked by the form (size and type). Reaching the target
    marks the commitment done; any other progress marks it in progress.
    """
    # Two people of the same member may post at once: the last progress wins,
    # but both updates are kept and the status follows the saved value.
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _ensure_open(commitment)
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    update = _add_update(
        commitment=commitment,
        actor=actor,
        text=text.strip(),
        progress_value=progress_value,
        link=link,
        file=file,
    )
    commitment.progress_value = progress_value
    commitment.status = (
        Commitment.Status.DONE
        if progress_value >= commitment.target_value
        else Commitment.Status.IN_PROGRESS
    )
    _save(commitment, actor)
    return update


@transaction.atomic
def commitment_link_objectives(
    *, actor: Any, commitment: Commitment, objectives: Iterable[Any]
) -> Commitment:
    """Say which objectives of the participatory process the commitment serves
    (shown on the commitment and on each objective's page)."""
    commitment.participation_objectives.set(list(objectives))
    return commitment
