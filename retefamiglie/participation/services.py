"""Every write of the participatory process.

Services check their preconditions (stated in each docstring), validate with
``full_clean`` and send notices after the transaction commits, through
``notices`` only. Permissions are checked by the views (rules.py) before.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from retefamiglie.accounts.models import User
from retefamiglie.bookings import services as bookings
from retefamiglie.core.slugs import unique_slug
from retefamiglie.notifications import services as notifications

from . import notices
from .models import (
    Action,
    ActionUpdate,
    Comment,
    Meeting,
    MinutesAttachment,
    Objective,
    Phase,
    Process,
    Proposal,
    Registration,
    Support,
)
from .rules import current_phase
from .search import proposal_refresh_search_document

RStatus = Registration.Status
# Answers a coordinator may give, and the ones that need a reason.
ANSWER_STATES = (
    Proposal.State.EVALUATING,
    Proposal.State.ACCEPTED,
    Proposal.State.REJECTED,
    Proposal.State.IMPLEMENTED,
)


# Processes ------------------------------------------------------------------------

PHASE_FIELDS = (
    "title",
    "description",
    "starts_on",
    "ends_on",
    "order",
    "proposals_open",
    "supports_open",
    "comments_open",
    "meetings_open",
)


@transaction.atomic
def process_save(
    *,
    actor: User,
    process: Process,
    phases: Iterable[tuple[Phase | None, dict[str, Any]]],
    deleted: Iterable[Phase] = (),
) -> Process:
    """A coordinator writes a process and its phases: dates and what each
    phase allows are data. ``phases`` pairs an existing phase (or None for a new
    one) with its validated fields. Proposals and meetings of a deleted phase
    stay, without a phase."""
    if not process.slug:
        process.slug = unique_slug(Process, process.title)
    process.full_clean()
    process.save()
    for phase in deleted:
        phase.delete()
    for existing, data in phases:
        phase = existing or Phase(process=process)
        for field in PHASE_FIELDS:
            if field in data:
                setattr(phase, field, data[field])
        phase.full_clean()
        phase.save()
    if process.support_threshold:
        # A threshold set or lowered flags the proposals already past it.
        for proposal in Proposal.objects.filter(
            process=process,
            state=Proposal.State.PUBLISHED,
            threshold_reached_at__isnull=True,
            supports_count__gte=process.support_threshold,
        ):
            _flag_threshold(proposal, actor)
    return process


def phases_announce_started(*, today: Any = None) -> int:
    """Tell each process's followers when one of its phases begins, once per
    phase: the row is claimed by an UPDATE on its empty ``announced_at``, so two
    runs at once announce it once. Returns the phases announced."""
    today = today or timezone.localdate()
    announced = 0
    due = Phase.objects.filter(
        announced_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    ).select_related("process")
    for phase in due:
        with transaction.atomic():
            claimed = Phase.objects.filter(
                pk=phase.pk, announced_at__isnull=True
            ).update(announced_at=timezone.now())
            if claimed:
                notices.phase_started(phase)
                announced += 1
    return announced


# Meetings -------------------------------------------------------------------------

MEETING_FIELDS = (
    "title",
    "summary",
    "phase",
    "starts_at",
    "ends_at",
    "mode",
    "location",
    "place",
    "address",
    "area",
    "online_url",
    "capacity",
    "accessibility",
    "childcare_offered",
    "organiser",
)


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    process: Process,
    data: dict[str, Any],
    agenda: Iterable[dict[str, Any]] = (),
) -> Meeting:
    """A coordinator or member staff proposes a meeting; it stays unpublished
    until a coordinator publishes it."""
    meeting = Meeting(process=process, proposed_by=actor)
    for field in MEETING_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    meeting.slug = unique_slug(Meeting, meeting.title)
    meeting.full_clean()
    meeting.save()
    _replace_agenda(meeting, agenda)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    data: dict[str, Any],
    agenda: Iterable[dict[str, Any]] | None = None,
) -> Meeting:
    """Change a meeting's details; its registrations stay."""
    for field in MEETING_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    meeting.full_clean()
    meeting.save()
    if agenda is not None:
        _replace_agenda(meeting, agenda)
    return meeting


def _replace_agenda(meeting: Meeting, agenda: Iterable[dict[str, Any]]) -> None:
    meeting.agenda.all().delete()
    for item in agenda:
        entry = meeting.agenda.model(meeting=meeting, **item)
        entry.full_clean()
        entry.save()


@transaction.atomic
def meeting_publish(*, actor: User, meeting: Meeting) -> Meeting:
    """A coordinator publishes a proposed meeting. Precondition: not cancelled."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be published."))
    meeting.status = Meeting.Status.PUBLISHED
    meeting.full_clean()
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    """Cancel a meeting that has not started; registered people are told."""
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already taken place."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    for registration in meeting.registrations.exclude(status=RStatus.CANCELLED):
        transaction.on_commit(
            partial(notices.registration_notice, "cancelled", registration)
        )
    meeting.registrations.exclude(status=RStatus.CANCELLED).update(
        status=RStatus.CANCELLED, cancelled_at=timezone.now()
    )
    return meeting


# Registrations (on the shared booking rules, ADR 14) -------------------------------


def _lock_meeting(meeting: Meeting) -> int | None:
    """Lock the meeting's row before seats are counted (see bookings.services)."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk).capacity


def _slot(meeting: Meeting) -> bookings.Slot:
    return bookings.Slot(
        bookings=Registration.objects.filter(meeting=meeting),
        lock=partial(_lock_meeting, meeting),
    )


def _notify(kind: str, registration: Registration) -> None:
    notices.registration_notice(kind, registration)


@transaction.atomic
def registration_create(
    *, meeting: Meeting, data: dict[str, Any], user: Any = None
) -> Registration:
    """Someone, with or without an account, registers for a meeting.

    Preconditions: the meeting is published and has not started; ``data`` was
    validated by ``BookingDetailsForm``. A person logged in with that verified
    address is confirmed at once; anyone else gets a link to confirm.
    """
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("This meeting does not take registrations."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already taken place."))
    registration = bookings.fill(
        Registration(meeting=meeting), data=data, user=user, capacity=meeting.capacity
    )
    if registration.needs_childcare and not meeting.childcare_offered:
        raise ValidationError(_("This meeting offers no childcare."))
    return bookings.create(registration, slot=_slot(meeting), user=user, notify=_notify)


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    """The link in the e-mail was opened: seats or the waiting list."""
    if (
        registration.status == RStatus.UNCONFIRMED
        and registration.meeting.starts_at <= timezone.now()
    ):
        raise ValidationError(_("This meeting has already taken place."))
    return bookings.confirm(
        registration, slot=_slot(registration.meeting), notify=_notify
    )


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration; the seats go to the waiting list."""
    return bookings.cancel(
        registration,
        slot=_slot(registration.meeting),
        starts_at=registration.meeting.starts_at,
        notify=_notify,
    )


def registrations_send_reminders(*, now: datetime | None = None) -> int:
    """E-mail each confirmed registration for a meeting starting tomorrow, once."""
    start, end = bookings.tomorrow_bounds(now or timezone.now())
    due = Registration.objects.filter(
        status=RStatus.CONFIRMED,
        reminded_at__isnull=True,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    ).select_related("meeting")
    return bookings.send_reminders(due, notify=_notify)


# After the meeting -----------------------------------------------------------------


@transaction.atomic
def meeting_record_attendance(
    *,
    actor: User,
    meeting: Meeting,
    counts: dict[str, int | None],
    attended: Iterable[int] | None = None,
) -> Meeting:
    """The organiser counts who came, by kind, and optionally ticks the
    registered people who came. Precondition: the meeting has started."""
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    for kind in ("families_count", "members_count", "citizens_count", "officers_count"):
        setattr(meeting, kind, counts.get(kind))
    meeting.attendance_recorded_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    if attended is not None:
        came = set(attended)
        confirmed = meeting.registrations.filter(status=RStatus.CONFIRMED)
        confirmed.filter(pk__in=came).update(attended=True)
        confirmed.exclude(pk__in=came).update(attended=False)
    return meeting


@transaction.atomic
def meeting_publish_minutes(
    *,
    actor: User,
    meeting: Meeting,
    minutes: str,
    decisions: str,
    proposals: Iterable[Proposal],
) -> Meeting:
    """Publish (or correct) the minutes and link the proposals discussed.

    Precondition: the meeting has started; the minutes are not empty.
    """
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are published after the meeting."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    meeting.minutes = minutes.strip()
    meeting.decisions = decisions.strip()
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.full_clean()
    meeting.save()
    meeting.proposals.set(list(proposals))
    return meeting


@transaction.atomic
def minutes_attachment_add(
    *, actor: User, meeting: Meeting, title: str, file: UploadedFile, content_type: str
) -> MinutesAttachment:
    """Attach a checked file (the form checks type, size and content) to the
    minutes."""
    attachment = MinutesAttachment(
        meeting=meeting, title=title, file=file, content_type=content_type
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def minutes_attachment_delete(*, actor: User, attachment: MinutesAttachment) -> None:
    attachment.file.delete(save=False)
    attachment.delete()


# Proposals -------------------------------------------------------------------------

PROPOSAL_FIELDS = ("title", "body", "category", "area", "pact_section", "objective")


@transaction.atomic
def proposal_create(*, actor: User, process: Process, data: dict[str, Any]) -> Proposal:
    """Someone with an account submits a proposal. Precondition: the process's
    current phase takes proposals."""
    phase = current_phase(process)
    if phase is None or not phase.proposals_open:
        raise ValidationError(_("This phase of the process takes no proposals."))
    proposal = Proposal(process=process, phase=phase, author=actor)
    for field in PROPOSAL_FIELDS:
        if field in data:
            setattr(proposal, field, data[field])
    proposal.full_clean()
    proposal.save()
    proposal_refresh_search_document(proposal)
    # The author hears what happens to it (and may stop following it).
    notifications.follow(user=actor, target=proposal)
    return proposal


@transaction.atomic
def proposal_update(
    *, actor: User, proposal: Proposal, data: dict[str, Any]
) -> Proposal:
    """The author edits. Precondition (checked again under a lock): no one has
    supported it yet and it is not answered."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.supports_count or not locked.is_open:
        raise ValidationError(
            _("A proposal cannot be changed once someone has supported it.")
        )
    for field in PROPOSAL_FIELDS:
        if field in data:
            setattr(proposal, field, data[field])
    proposal.full_clean()
    proposal.save()
    proposal_refresh_search_document(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    """The author withdraws an open proposal; it stays readable."""
    if not proposal.is_open:
        raise ValidationError(_("This proposal has already been answered."))
    proposal.state = Proposal.State.WITHDRAWN
    proposal.full_clean()
    proposal.save(update_fields=["state", "updated_at"])
    transaction.on_commit(partial(notices.proposal_changed, proposal, actor=actor))
    return proposal


def _lock(proposal: Proposal) -> None:
    """Take the proposal's row before its supports change: two supports landing
    together are then counted one after the other, each seeing the other's
    (without it, both counts could miss one, and the threshold with them)."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).exists()


def _recount_supports(proposal: Proposal, actor: Any = None) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(
        supports_count=Support.objects.filter(proposal=proposal).count()
    )
    proposal.refresh_from_db(fields=["supports_count"])
    _flag_threshold(proposal, actor)


def _flag_threshold(proposal: Proposal, actor: Any) -> bool:
    """Flag the proposal as awaiting an answer the first time its supports
    reach the process's threshold, and tell the coordinators.

    The database decides "the first time": one UPDATE whose condition is that
    the flag is still empty, so of two supports landing together only one sees
    a row changed, and supports that drop and rise again find it set.
    """
    threshold = (
        Process.objects.filter(pk=proposal.process_id)
        .values_list("support_threshold", flat=True)
        .first()
    )
    if not threshold:
        return False
    now = timezone.now()
    flagged = Proposal.objects.filter(
        pk=proposal.pk,
        threshold_reached_at__isnull=True,
        supports_count__gte=threshold,
    ).update(threshold_reached_at=now)
    if not flagged:
        return False
    proposal.threshold_reached_at = now
    transaction.on_commit(
        partial(notices.proposal_awaiting_answer, proposal, actor=actor)
    )
    return True


@transaction.atomic
def proposal_support(*, actor: User, proposal: Proposal) -> Proposal:
    """One support per person; supporting twice changes nothing."""
    if proposal.author_id == actor.pk:
        raise ValidationError(_("You cannot support your own proposal."))
    _lock(proposal)
    Support.objects.get_or_create(proposal=proposal, user=actor)
    _recount_supports(proposal, actor)
    return proposal


@transaction.atomic
def proposal_unsupport(*, actor: User, proposal: Proposal) -> Proposal:
    _lock(proposal)
    Support.objects.filter(proposal=proposal, user=actor).delete()
    _recount_supports(proposal)
    return proposal


@transaction.atomic
def comment_create(
    *,
    actor: User,
    proposal: Proposal,
    body: str,
    stance: str,
    parent: Comment | None = None,
) -> Comment:
    """A comment, or a reply to a top-level comment (one level only)."""
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(_("Reply to a comment of this proposal."))
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment(
        proposal=proposal, author=actor, body=body.strip(), stance=stance, parent=parent
    )
    comment.full_clean()
    comment.save()
    Proposal.objects.filter(pk=proposal.pk).update(
        comments_count=F("comments_count") + 1
    )
    transaction.on_commit(partial(notices.comment_posted, comment))
    return comment


@transaction.atomic
def proposal_answer(
    *, actor: User, proposal: Proposal, state: str, answer: str
) -> Proposal:
    """A coordinator answers publicly; the author and supporters are told.

    Preconditions: ``state`` is one of ``ANSWER_STATES``; a rejection has a
    reason; a withdrawn or merged proposal is not answered.
    """
    if state not in ANSWER_STATES:
        raise ValidationError({"state": _("Choose an answer.")})
    if proposal.state in {Proposal.State.WITHDRAWN, Proposal.State.MERGED}:
        raise ValidationError(_("A withdrawn or merged proposal is not answered."))
    if state == Proposal.State.REJECTED and not answer.strip():
        raise ValidationError({"answer": _("Say why the proposal is rejected.")})
    proposal.state = state
    proposal.answer = answer.strip()
    proposal.answered_at = timezone.now()
    proposal.answered_by = actor
    proposal.full_clean()
    proposal.save()
    transaction.on_commit(partial(notices.proposal_answered, proposal, actor))
    return proposal


@transaction.atomic
def proposal_merge(*, actor: User, proposal: Proposal, into: Proposal) -> Proposal:
    """Merge a duplicate into another proposal: its supporters move over (once
    each) and it points to the one that stays."""
    if into.pk == proposal.pk or into.merged_into_id is not None:
        raise ValidationError(_("Choose another proposal that is still open."))
    if not proposal.is_open or not into.is_open:
        raise ValidationError(_("Only open proposals can be merged."))
    for user_id in proposal.supports.values_list("user_id", flat=True):
        if user_id != into.author_id:
            Support.objects.get_or_create(proposal=into, user_id=user_id)
    proposal.state = Proposal.State.MERGED
    proposal.merged_into = into
    proposal.answer = _("Merged into “%(title)s”.") % {"title": into.title}
    proposal.answered_at = timezone.now()
    proposal.answered_by = actor
    proposal.full_clean()
    proposal.save()
    _recount_supports(into, actor)
    transaction.on_commit(partial(notices.proposal_answered, proposal, actor))
    return proposal


# Objectives and actions ------------------------------------------------------------


@transaction.atomic
def objective_create(
    *, actor: User, process: Process | None, data: dict[str, Any]
) -> Objective:
    objective = Objective(
        process=process,
        title=data["title"],
        description=data.get("description", ""),
        area=data.get("area"),
    )
    objective.slug = unique_slug(Objective, objective.title)
    objective.full_clean()
    objective.save()
    if "proposals" in data:
        Proposal.objects.filter(pk__in=[p.pk for p in data["proposals"]]).update(
            objective=objective
        )
    return objective


@transaction.atomic
def action_create(*, actor: User, objective: Objective, data: dict[str, Any]) -> Action:
    action = Action(
        objective=objective,
        title=data["title"],
        description=data.get("description", ""),
        owner=data["owner"],
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(
    *, actor: User, action: Action, body: str, progress: int, status: str
) -> ActionUpdate:
    """A new entry in the action's timeline; the action takes its progress and
    status, and the objective's progress (the mean of its actions) follows."""
    update = ActionUpdate(
        action=action, author=actor, body=body.strip(), progress=progress, status=status
    )
    update.full_clean()
    update.save()
    action.progress = progress
    action.status = status
    action.full_clean()
    action.save(update_fields=["progress", "status", "updated_at"])
    return update


@transaction.atomic
def milestone_set_done(*, actor: User, milestone: Any, done_on: Any) -> Any:
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on"])
    return milestone


# Personal data ---------------------------------------------------------------------


@transaction.atomic
def participation_erase_person(*, user: Any) -> None:
    """Before an account is anonymised: registrations lose the person's name
    and address; proposals and comments stay, shown as by "a former member"."""
    Registration.objects.filter(user=user).update(
        user=None, name="—", email="erased@invalid", accessibility_needs=""
    )
    supported = list(
        Support.objects.filter(user=user).values_list("proposal", flat=True)
    )
    Support.objects.filter(user=user).delete()
    for proposal in Proposal.objects.filter(pk__in=supported):
        _recount_supports(proposal)
