"""The rules of the process as its services enforce them."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.participation import selectors, services
from retefamiglie.participation.models import Meeting, Proposal, Registration

from .factories import (
    ActionFactory,
    MeetingFactory,
    ObjectiveFactory,
    PhaseFactory,
    ProposalFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

DATA = {"name": "Famiglia Bianchi", "email": "bianchi@example.org", "adults": 1}


def register(meeting, capture, **extra):
    with capture(execute=True):
        return services.registration_create(meeting=meeting, data=DATA | extra)


# Registrations ---------------------------------------------------------------------


def test_registering_without_an_account_sends_a_link_that_confirms(
    django_capture_on_commit_callbacks,
):
    meeting = MeetingFactory(capacity=10)
    registration = register(
        meeting,
        django_capture_on_commit_callbacks,
        children={"3-5": 1},
        needs_childcare=True,
    )
    assert registration.status == Registration.Status.UNCONFIRMED
    assert registration.children == {"3-5": 1}
    assert len(mail.outbox) == 1
    link = f"/partecipa/iscrizione/{registration.token}/conferma/"
    assert link in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert "iscritto" in mail.outbox[-1].subject.lower()


def test_a_full_meeting_puts_people_on_the_waiting_list_and_promotes_them(
    django_capture_on_commit_callbacks,
):
    meeting = MeetingFactory(capacity=2)
    first = RegistrationFactory(meeting=meeting, adults=2)
    late = register(meeting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm(registration=late)
    late.refresh_from_db()
    assert late.status == Registration.Status.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    late.refresh_from_db()
    assert late.status == Registration.Status.CONFIRMED
    assert [m.to for m in mail.outbox][-1] == ["bianchi@example.org"]


def test_childcare_only_where_offered():
    meeting = MeetingFactory(childcare_offered=False)
    with pytest.raises(ValidationError):
        services.registration_create(
            meeting=meeting, data=DATA | {"needs_childcare": True}
        )


@pytest.mark.parametrize("status", [Meeting.Status.PROPOSED, Meeting.Status.CANCELLED])
def test_only_published_meetings_take_registrations(status):
    with pytest.raises(ValidationError):
        services.registration_create(meeting=MeetingFactory(status=status), data=DATA)


def test_no_registration_once_the_meeting_started():
    meeting = MeetingFactory()
    started = meeting.starts_at + datetime.timedelta(minutes=1)
    with time_machine.travel(started), pytest.raises(ValidationError):
        services.registration_create(meeting=meeting, data=DATA)


def test_reminders_leave_once_the_day_before(django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITING)
    day_before = meeting.starts_at - datetime.timedelta(days=1)
    with (
        time_machine.travel(day_before),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.registrations_send_reminders() == 1
        assert services.registrations_send_reminders() == 0
    assert len(mail.outbox) == 1


def test_cancelling_a_meeting_cancels_and_tells_every_registration(
    django_capture_on_commit_callbacks,
):
    meeting = MeetingFactory()
    RegistrationFactory.create_batch(2, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=CoordinatorFactory(), meeting=meeting)
    assert set(meeting.registrations.values_list("status", flat=True)) == {"cancelled"}
    assert len(mail.outbox) == 2


# After the meeting -----------------------------------------------------------------


def test_attendance_and_minutes_after_the_meeting():
    meeting = MeetingFactory()
    came = RegistrationFactory(meeting=meeting)
    stayed_home = RegistrationFactory(meeting=meeting)
    proposal = ProposalFactory(process=meeting.process)
    coordinator = CoordinatorFactory()
    with pytest.raises(ValidationError):
        services.meeting_record_attendance(
            actor=coordinator, meeting=meeting, counts={"families_count": 3}
        )
    with time_machine.travel(meeting.ends_at + datetime.timedelta(hours=1)):
        services.meeting_record_attendance(
            actor=coordinator,
            meeting=meeting,
            counts={"families_count": 12, "members_count": 4, "officers_count": 1},
            attended=[came.pk],
        )
        services.meeting_publish_minutes(
            actor=coordinator,
            meeting=meeting,
            minutes="Abbiamo parlato del doposcuola.",
            decisions="",
            proposals=[proposal],
        )
    meeting.refresh_from_db()
    assert meeting.attendance_total == 17
    assert meeting.minutes_published_at is not None
    assert list(proposal.meetings.all()) == [meeting]
    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert (came.attended, stayed_home.attended) == (True, False)


# Proposals -------------------------------------------------------------------------


@pytest.fixture
def phase(db):
    return PhaseFactory()


def test_a_proposal_needs_an_open_phase(phase):
    data = {"title": "Cortili aperti", "body": "D'estate.", "category": "spaces"}
    proposal = services.proposal_create(
        actor=UserFactory(), process=phase.process, data=data
    )
    assert proposal.phase == phase
    phase.proposals_open = False
    phase.save()
    with pytest.raises(ValidationError):
        services.proposal_create(actor=UserFactory(), process=phase.process, data=data)


def test_supports_are_one_per_person_and_lock_editing(phase):
    proposal = ProposalFactory(process=phase.process, phase=phase)
    supporter = UserFactory()
    services.proposal_support(actor=supporter, proposal=proposal)
    services.proposal_support(actor=supporter, proposal=proposal)
    assert proposal.supports_count == 1
    with pytest.raises(ValidationError):
        services.proposal_update(
            actor=proposal.author, proposal=proposal, data={"title": "Altro"}
        )
    with pytest.raises(ValidationError):
        services.proposal_support(actor=proposal.author, proposal=proposal)
    services.proposal_unsupport(actor=supporter, proposal=proposal)
    assert proposal.supports_count == 0


def test_replies_stay_one_level_deep(phase):
    proposal = ProposalFactory(process=phase.process)
    user = UserFactory()
    top = services.comment_create(
        actor=user, proposal=proposal, body="Sì", stance="favour"
    )
    reply = services.comment_create(
        actor=user, proposal=proposal, body="No", stance="against", parent=top
    )
    deeper = services.comment_create(
        actor=user, proposal=proposal, body="Forse", stance="neutral", parent=reply
    )
    assert deeper.parent == top
    proposal.refresh_from_db()
    assert proposal.comments_count == 3


def test_answers_tell_the_author_and_supporters(
    phase, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(process=phase.process)
    supporter = UserFactory()
    services.proposal_support(actor=supporter, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            actor=CoordinatorFactory(),
            proposal=proposal,
            state=Proposal.State.ACCEPTED,
            answer="",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [proposal.author.email, supporter.email]
    )


def test_a_rejection_needs_a_reason(phase):
    proposal = ProposalFactory(process=phase.process)
    with pytest.raises(ValidationError):
        services.proposal_answer(
            actor=CoordinatorFactory(),
            proposal=proposal,
            state=Proposal.State.REJECTED,
            answer=" ",
        )
    proposal.state = Proposal.State.REJECTED
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal.save()


def test_merging_moves_the_supporters(phase):
    duplicate = ProposalFactory(process=phase.process)
    kept = ProposalFactory(process=phase.process)
    both, only_duplicate = UserFactory(), UserFactory()
    for user in (both, only_duplicate):
        services.proposal_support(actor=user, proposal=duplicate)
    services.proposal_support(actor=both, proposal=kept)
    services.proposal_merge(actor=CoordinatorFactory(), proposal=duplicate, into=kept)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert kept.supports_count == 2
    assert duplicate.state == Proposal.State.MERGED
    assert duplicate.merged_into == kept


def test_accepted_proposals_naming_a_section_are_suggestions_for_the_pact(phase):
    accepted = ProposalFactory(
        process=phase.process, state="accepted", pact_section="actions"
    )
    ProposalFactory(process=phase.process, state="accepted")
    ProposalFactory(process=phase.process, state="published", pact_section="actions")
    assert list(selectors.accepted_proposals_for_pact()) == [accepted]


# Objectives ------------------------------------------------------------------------


def test_an_objective_progresses_with_its_actions():
    objective = ObjectiveFactory()
    first = ActionFactory(objective=objective)
    ActionFactory(objective=objective)
    services.action_update(
        actor=CoordinatorFactory(),
        action=first,
        body="Partito il doposcuola.",
        progress=60,
        status="in_progress",
    )
    row = selectors.objectives_with_progress().get(pk=objective.pk)
    assert row.progress == 30
    assert first.updates.get().progress == 60
    with pytest.raises(ValidationError):
        services.action_update(
            actor=CoordinatorFactory(),
            action=first,
            body="Troppo",
            progress=120,
            status="done",
        )


# Figures for monitoring ------------------------------------------------------------


def test_figures_for_a_date_range(phase):
    now = timezone.now()
    held = MeetingFactory(
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
        families_count=10,
        officers_count=2,
    )
    MeetingFactory()  # still to come
    ProposalFactory(process=phase.process, state="accepted", answered_at=now)
    ProposalFactory(process=phase.process)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    assert list(selectors.meetings_held(start, today)) == [held]
    assert selectors.attendance_by_kind(start, today) == {
        "families": 10,
        "members": 0,
        "citizens": 0,
        "officers": 2,
        "total": 12,
    }
    by_state = selectors.proposals_by_state(start, today)
    assert (by_state["accepted"], by_state["published"]) == (1, 1)
    assert selectors.proposals_answered(start, today)["total"] == 1


def test_erasing_a_person_keeps_their_proposals_anonymous(phase):
    person = UserFactory()
    proposal = ProposalFactory(process=phase.process, author=person)
    other = ProposalFactory(process=phase.process)
    services.proposal_support(actor=person, proposal=other)
    RegistrationFactory(user=person, email=person.email)
    services.participation_erase_person(user=person)
    other.refresh_from_db()
    assert other.supports_count == 0
    assert not Registration.objects.filter(email=person.email).exists()
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_facts_for_the_dashboard(phase):
    now = timezone.now()
    MeetingFactory(
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2, hours=-2),
        families_count=8,
        members_count=2,
    )
    ProposalFactory(process=phase.process, state="accepted", answer="Sì")
    action = ActionFactory(status="done")
    facts = list(
        selectors.monitoring_facts(
            start=now - datetime.timedelta(days=7), end=now + datetime.timedelta(days=1)
        )
    )
    assert ("meetings", "", {}, 1) in facts
    assert ("meeting_attendees", "", {}, 10) in facts
    assert ("proposals", "", {"answer": ("accepted",)}, 1) in facts
    assert ("actions_done", "", {"objective": (action.objective.slug,)}, 1) in facts
    assert selectors.monitoring_labels("answer")["accepted"] == "Accolta"
