"""The pages of the process as people use them."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.moderation import services as moderation
from retefamiglie.pacts.tests.factories import PactVersionFactory
from retefamiglie.participation.models import Proposal, Registration
from retefamiglie.participation.search import proposal_refresh_search_document

from .factories import (
    ActionFactory,
    CommentFactory,
    MeetingFactory,
    ObjectiveFactory,
    PhaseFactory,
    ProposalFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def phase():
    return PhaseFactory()


def test_the_process_page_shows_the_current_phase(client, phase):
    PhaseFactory(
        process=phase.process,
        title="Stesura",
        starts_on=phase.ends_on + datetime.timedelta(days=1),
        ends_on=phase.ends_on + datetime.timedelta(days=30),
    )
    response = client.get(reverse("participation:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in html
    assert phase.title in html
    assert "Stesura" in html


def test_a_family_registers_without_an_account_and_asks_for_childcare(
    client, phase, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(process=phase.process, capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            meeting.get_absolute_url(),
            {
                "adults": 1,
                "children_3_5": 1,
                "needs_childcare": "on",
                "name": "Famiglia Neri",
                "email": "neri@example.org",
            },
        )
    registration = Registration.objects.get()
    assert response.url == reverse(
        "participation:registration", args=[registration.token]
    )
    assert registration.children == {"3-5": 1}
    assert registration.needs_childcare
    confirm = reverse("participation:registration_confirm", args=[registration.token])
    assert confirm in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm)
    page = client.get(response.url).content.decode()
    assert "Confermata" in page
    assert "3–5 anni" in page


def test_bad_registration_keeps_what_was_typed(client, phase):
    meeting = MeetingFactory(process=phase.process)
    response = client.post(
        meeting.get_absolute_url(), {"adults": 0, "name": "Famiglia Neri"}
    )
    assert response.status_code == 400
    assert 'value="Famiglia Neri"' in response.content.decode()
    assert not Registration.objects.exists()


def test_the_online_link_shows_only_to_registered_people_shortly_before(client):
    meeting = MeetingFactory(
        mode="online", place="", online_url="https://meet.example.org/x"
    )
    registration = RegistrationFactory(meeting=meeting)
    page = reverse("participation:registration", args=[registration.token])
    assert (
        "meet.example.org"
        not in client.get(meeting.get_absolute_url()).content.decode()
    )
    assert "meet.example.org" not in client.get(page).content.decode()
    with time_machine.travel(meeting.starts_at - datetime.timedelta(minutes=30)):
        assert "meet.example.org" in client.get(page).content.decode()


def test_ics_of_a_meeting_and_the_feed_parse(client):
    meeting = MeetingFactory(title="Co-progettazione")
    MeetingFactory(status="proposed", title="Non pubblico")
    one = Calendar.from_ical(
        client.get(reverse("participation:meeting_ics", args=[meeting.slug])).content
    )
    events = one.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Co-progettazione"]
    assert events[0].decoded("dtstart") == meeting.starts_at
    feed = Calendar.from_ical(client.get(reverse("participation:meeting_feed")).content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["Co-progettazione"]


def test_proposed_meetings_are_not_public(client):
    meeting = MeetingFactory(status="proposed")
    assert client.get(meeting.get_absolute_url()).status_code == 404


def _past_meeting(**kwargs):
    start = timezone.now() - datetime.timedelta(days=2)
    return MeetingFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs
    )


def test_coordinator_records_attendance_and_publishes_minutes(client, phase):
    meeting = _past_meeting(process=phase.process)
    proposal = ProposalFactory(process=phase.process, title="Doposcuola il sabato")
    client.force_login(with_mfa(CoordinatorFactory()))
    url = reverse("participation:manage_report", args=[meeting.slug])
    client.post(url, {"step": "attendance", "families_count": 9, "members_count": 3})
    client.post(
        url,
        {
            "step": "minutes",
            "minutes": "Si è parlato del sabato.",
            "proposals": [proposal.pk],
        },
    )
    pdf = SimpleUploadedFile(
        "foglio.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    client.post(url, {"step": "attachment", "title": "Foglio firme", "file": pdf})
    fake = SimpleUploadedFile("finto.pdf", b"<html><script>alert(1)</script></html>")
    refused = client.post(url, {"step": "attachment", "title": "Finto", "file": fake})
    assert refused.status_code == 400
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Si è parlato del sabato." in page
    assert "Doposcuola il sabato" in page
    assert "Foglio firme" in page
    assert "Finto" not in page
    assert "12" in page  # attendance in all
    printed = client.get(reverse("participation:minutes_print", args=[meeting.slug]))
    assert "Si è parlato del sabato." in printed.content.decode()
    download = client.get(reverse("participation:minutes_pdf", args=[meeting.slug]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["family", "other_org_staff", "municipal_officer"])
def test_others_cannot_record_attendance(client, people, role):
    meeting = _past_meeting()
    user = people[role]
    if user.requires_mfa:
        with_mfa(user)
    client.force_login(user)
    url = reverse("participation:manage_report", args=[meeting.slug])
    assert client.get(url).status_code == 403


def test_member_staff_propose_and_coordinators_publish(client, people, organisation):
    PhaseFactory()
    client.force_login(people["org_editor"])
    start = timezone.localtime() + datetime.timedelta(days=10)
    response = client.post(
        reverse("participation:manage_meeting_create"),
        {
            "title": "Incontro nel quartiere",
            "summary": "Parliamo dei cortili.",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "in_person",
            "place": "Palestra",
            "organiser": organisation.pk,
            "agenda": "17:30 | Benvenuto | Anna\n18:00 | Cortili",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = (
        organisation
        and __import__(
            "retefamiglie.participation.models", fromlist=["Meeting"]
        ).Meeting.objects.get()
    )
    assert meeting.status == "proposed"
    assert [i.title for i in meeting.agenda.all()] == ["Benvenuto", "Cortili"]
    publish = reverse("participation:manage_meeting_publish", args=[meeting.slug])
    assert client.post(publish).status_code == 403
    client.force_login(with_mfa(people["coordinator"]))
    client.post(publish, {"action": "publish"})
    meeting.refresh_from_db()
    assert meeting.status == "published"


def test_proposal_walk(client, phase, django_capture_on_commit_callbacks):
    author, supporter = UserFactory(), UserFactory()
    client.force_login(author)
    response = client.post(
        reverse("participation:proposal_create"),
        {
            "title": "Cortili aperti d'estate",
            "body": "Aprire i cortili delle scuole.",
            "category": "spaces",
            "pact_section": "actions",
        },
    )
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    client.force_login(supporter)
    client.post(reverse("participation:proposal_support", args=[proposal.pk]))
    client.post(
        reverse("participation:proposal_comment", args=[proposal.pk]),
        {"stance": "against", "body": "Mancano i volontari."},
    )
    proposal.refresh_from_db()
    assert (proposal.supports_count, proposal.comments_count) == (1, 1)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Mancano i volontari." in page
    assert "Contro" in page
    assert author.email not in page
    client.force_login(with_mfa(CoordinatorFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("participation:proposal_answer", args=[proposal.pk]),
            {"state": "accepted", "answer": "La inseriamo nel patto."},
        )
    proposal.refresh_from_db()
    assert proposal.state == "accepted"
    assert {m.to[0] for m in mail.outbox} == {author.email, supporter.email}
    # The next pact version's draft shows it as a suggestion.
    version = PactVersionFactory()
    edit = client.get(reverse("pacts:version_edit", args=[version.number]))
    assert "Cortili aperti d&#x27;estate" in edit.content.decode()


def test_rejecting_without_a_reason_is_refused(client, phase):
    proposal = ProposalFactory(process=phase.process)
    client.force_login(with_mfa(CoordinatorFactory()))
    response = client.post(
        reverse("participation:proposal_answer", args=[proposal.pk]),
        {"state": "rejected", "answer": ""},
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == "published"


def test_a_proposal_flagged_enough_is_hidden(client, phase, settings):
    settings.MODERATION_HIDE_AFTER_FLAGS = 2
    proposal = ProposalFactory(process=phase.process, title="Da nascondere")
    comment = CommentFactory(proposal=proposal, body="Commento da nascondere")
    for _ in range(2):
        moderation.flag_create(actor=UserFactory(), target=comment, reason="spam")
    assert (
        "Commento da nascondere"
        not in client.get(proposal.get_absolute_url()).content.decode()
    )
    for _ in range(2):
        moderation.flag_create(actor=UserFactory(), target=proposal, reason="spam")
    assert client.get(proposal.get_absolute_url()).status_code == 404
    listing = client.get(reverse("participation:proposals")).content.decode()
    assert "Da nascondere" not in listing
    client.force_login(proposal.author)
    assert client.get(proposal.get_absolute_url()).status_code == 200


def test_filters_and_search(client, phase):
    ProposalFactory(
        process=phase.process, title="Doposcuola il sabato", category="school"
    )
    ProposalFactory(
        process=phase.process,
        title="Cortili aperti",
        body="D'estate, per giocare.",
        category="spaces",
    )
    for proposal in Proposal.objects.all():
        proposal_refresh_search_document(proposal)  # as the services do
    url = reverse("participation:proposals")
    page = client.get(url, {"q": "doposcuòla"}).content.decode()
    assert "Doposcuola il sabato" in page
    assert "Cortili aperti" not in page
    page = client.get(url, {"categoria": "spaces"}).content.decode()
    assert "Cortili aperti" in page
    assert "Doposcuola il sabato" not in page


def _queries(client, url):
    """The number of queries the page takes (same at N and 3N rows), each
    measured from an empty cache so kept values do not hide a query."""
    from retefamiglie.core.testing import count_queries

    return count_queries(client, url)


def test_the_proposals_list_keeps_its_query_count(client, phase):
    url = reverse("participation:proposals")
    ProposalFactory.create_batch(4, process=phase.process)
    few = _queries(client, url)
    ProposalFactory.create_batch(8, process=phase.process)
    assert _queries(client, url) == few
    client.force_login(UserFactory())
    few = _queries(client, url)
    ProposalFactory.create_batch(4, process=phase.process)
    assert _queries(client, url) == few


def test_the_meetings_list_keeps_its_query_count(client):
    url = reverse("participation:meetings")
    MeetingFactory.create_batch(3)
    few = _queries(client, url)
    MeetingFactory.create_batch(6)
    assert _queries(client, url) == few


def test_an_objective_rises_when_an_action_is_updated(client, people, organisation):
    objective = ObjectiveFactory(title="Ogni famiglia conosce il doposcuola")
    action = ActionFactory(objective=objective, owner=organisation)
    client.force_login(people["org_editor"])
    url = reverse("participation:action_update", args=[objective.slug, action.pk])
    client.post(
        url,
        {"body": "Volantini nelle scuole.", "progress": 50, "status": "in_progress"},
    )
    page = client.get(objective.get_absolute_url()).content.decode()
    assert 'value="50"' in page
    assert "Volantini nelle scuole." in page
    client.force_login(people["other_org_staff"])
    assert (
        client.post(url, {"body": "x", "progress": 90, "status": "done"}).status_code
        == 403
    )


def test_registration_pages_stay_private(client):
    registration = RegistrationFactory()
    response = client.get(
        reverse("participation:registration", args=[registration.token])
    )
    assert "noindex" in response["X-Robots-Tag"]
    assert (
        "no-store" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_english_pages(client, phase):
    response = client.get("/en/partecipa/")
    assert response.status_code == 200
    assert "Phases of the process" in response.content.decode()


def test_services_register_and_cancel_by_the_private_link(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=1)
    first = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status="waiting")
    cancel = reverse("participation:registration_cancel", args=[first.token])
    assert client.get(cancel).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_coordinators_set_what_each_phase_allows(client, people):
    client.force_login(with_mfa(people["coordinator"]))
    today = timezone.localdate()
    response = client.post(
        reverse("participation:manage_process_create"),
        {
            "title": "Rinnovo del patto 2028",
            "summary": "Il percorso che rinnova il patto.",
            "fasi-TOTAL_FORMS": "1",
            "fasi-INITIAL_FORMS": "0",
            "fasi-0-title": "Proposte",
            "fasi-0-starts_on": today.isoformat(),
            "fasi-0-ends_on": (today + datetime.timedelta(days=20)).isoformat(),
            "fasi-0-order": "0",
            "fasi-0-proposals_open": "on",
        },
    )
    assert response.status_code == 302
    from retefamiglie.participation.models import Process

    process = Process.objects.get()
    phase = process.phases.get()
    assert (phase.proposals_open, phase.supports_open) == (True, False)
    client.force_login(people["org_admin"])
    edit = reverse("participation:manage_process", args=[process.slug])
    assert client.get(edit).status_code == 403
