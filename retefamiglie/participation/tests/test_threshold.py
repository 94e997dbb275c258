"""The optional support threshold: enough supports flag a proposal as awaiting an
answer, and coordinators hear it once (ADR 26)."""

import threading

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.core.testing import count_queries
from retefamiglie.notifications.models import Notification
from retefamiglie.participation import services
from retefamiglie.participation.models import Proposal

from .factories import PhaseFactory, ProposalFactory

pytestmark = pytest.mark.django_db

AWAITING = "participation.proposal_awaiting_answer"


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def phase():
    phase = PhaseFactory()
    phase.process.support_threshold = 2
    phase.process.save()
    return phase


@pytest.fixture
def proposal(phase):
    return ProposalFactory(process=phase.process, title="Cortili aperti")


def awaiting_notices(user=None) -> int:
    notices = Notification.objects.filter(kind=AWAITING)
    if user is not None:
        notices = notices.filter(recipient=user)
    return notices.count()


def support(proposal, user, callbacks):
    with callbacks(execute=True):
        services.proposal_support(actor=user, proposal=proposal)


def test_reaching_the_threshold_flags_and_tells_coordinators(
    client, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    coordinators = [CoordinatorFactory(), CoordinatorFactory()]
    family = UserFactory()
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert proposal.threshold_reached_at is None
    assert awaiting_notices() == 0
    assert (
        "Attende la risposta della rete"
        not in client.get(proposal.get_absolute_url()).content.decode()
    )

    support(proposal, family, django_capture_on_commit_callbacks)

    proposal.refresh_from_db()
    assert proposal.awaiting_answer
    assert [awaiting_notices(c) for c in coordinators] == [1, 1]
    assert awaiting_notices(family) == 0
    assert {m.to[0] for m in mailoutbox} >= {c.email for c in coordinators}
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Attende la risposta della rete" in html
    assert (
        "Attende la risposta della rete"
        in client.get(reverse("participation:proposals")).content.decode()
    )


def test_supports_that_drop_and_rise_again_tell_no_one_twice(
    proposal, django_capture_on_commit_callbacks
):
    CoordinatorFactory()
    first, second = UserFactory(), UserFactory()
    support(proposal, first, django_capture_on_commit_callbacks)
    support(proposal, second, django_capture_on_commit_callbacks)
    flagged_at = Proposal.objects.get(pk=proposal.pk).threshold_reached_at
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_unsupport(actor=second, proposal=proposal)
    support(proposal, second, django_capture_on_commit_callbacks)
    assert awaiting_notices() == 1
    assert Proposal.objects.get(pk=proposal.pk).threshold_reached_at == flagged_at


def test_the_database_not_a_stale_copy_decides_the_single_notice(
    proposal, django_capture_on_commit_callbacks
):
    """Two supports landing together each hold a copy read before the other
    committed: the copy says "not flagged yet", the row says otherwise. The
    conditional UPDATE reads the row, so the second tells no one."""
    CoordinatorFactory()
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    stale = Proposal.objects.get(pk=proposal.pk)
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    assert stale.threshold_reached_at is None  # what a racing request would see
    support(stale, UserFactory(), django_capture_on_commit_callbacks)
    assert awaiting_notices() == 1


def test_the_coordinator_who_tips_it_is_not_told(
    proposal, django_capture_on_commit_callbacks
):
    tipping, other = CoordinatorFactory(), CoordinatorFactory()
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    support(proposal, tipping, django_capture_on_commit_callbacks)
    assert (awaiting_notices(tipping), awaiting_notices(other)) == (0, 1)


def test_without_a_threshold_nothing_is_flagged(
    django_capture_on_commit_callbacks,
):
    CoordinatorFactory()
    proposal = ProposalFactory(process=PhaseFactory().process)
    for _ in range(3):
        support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert proposal.threshold_reached_at is None
    assert awaiting_notices() == 0


def test_an_answer_ends_the_wait(proposal, django_capture_on_commit_callbacks):
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    services.proposal_answer(
        actor=CoordinatorFactory(), proposal=proposal, state="evaluating", answer=""
    )
    assert not proposal.awaiting_answer


def _process_post(process, threshold: str) -> dict:
    phase = process.phases.get()
    return {
        "title": process.title,
        "summary": process.summary,
        "support_threshold": threshold,
        "fasi-TOTAL_FORMS": "1",
        "fasi-INITIAL_FORMS": "1",
        "fasi-0-id": str(phase.pk),
        "fasi-0-process": str(process.pk),
        "fasi-0-title": phase.title,
        "fasi-0-starts_on": phase.starts_on.isoformat(),
        "fasi-0-ends_on": phase.ends_on.isoformat(),
        "fasi-0-order": "0",
        "fasi-0-supports_open": "on",
    }


def test_a_coordinator_sets_the_threshold_and_past_proposals_are_flagged(
    client, people, django_capture_on_commit_callbacks
):
    process = PhaseFactory().process
    proposal = ProposalFactory(process=process)
    for _ in range(3):
        support(proposal, UserFactory(), django_capture_on_commit_callbacks)
    coordinator = with_mfa(people["coordinator"])
    other = CoordinatorFactory()
    client.force_login(coordinator)
    url = reverse("participation:manage_process", args=[process.slug])

    response = client.post(url, _process_post(process, "0"))
    assert response.status_code == 400
    assert "maggiore o uguale a 1" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _process_post(process, "3"))
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.support_threshold == 3
    assert Proposal.objects.get(pk=proposal.pk).awaiting_answer
    assert (awaiting_notices(other), awaiting_notices(coordinator)) == (1, 0)


# The coordinators' list ------------------------------------------------------------

LIST = "participation:manage_proposals"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("family", 403),
        ("other_org_staff", 403),
        ("org_editor", 403),
        ("org_admin", 403),
        ("municipal_officer", 403),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_only_coordinators_see_the_list_to_answer(client, people, role, status):
    user = people[role]
    if user is not None:
        client.force_login(with_mfa(user))
    response = client.get(reverse(LIST))
    assert response.status_code == status
    if role == "anonymous":
        assert "/account/login/" in response["Location"]


def test_the_list_filters_proposals_awaiting_an_answer(client, people, phase):
    waiting = ProposalFactory(
        process=phase.process,
        title="Doposcuola al sabato",
        supports_count=2,
        threshold_reached_at=timezone.now(),
    )
    quiet = ProposalFactory(process=phase.process, title="Cortili aperti")
    answered = ProposalFactory(
        process=phase.process, title="Ludoteca", state=Proposal.State.ACCEPTED
    )
    client.force_login(with_mfa(people["coordinator"]))

    html = client.get(reverse(LIST), {"mostra": "in-attesa"}).content.decode()
    assert waiting.title in html
    assert quiet.title not in html
    assert answered.title not in html

    html = client.get(reverse(LIST)).content.decode()
    assert html.index(waiting.title) < html.index(quiet.title)
    assert answered.title not in html
    assert (
        answered.title
        in client.get(reverse(LIST), {"mostra": "tutte"}).content.decode()
    )
    manage = client.get(reverse("participation:manage")).content.decode()
    assert "1 attende risposta" in manage


def test_the_list_to_answer_keeps_its_query_count(client, people, phase):
    client.force_login(with_mfa(people["coordinator"]))
    url = reverse(LIST)
    ProposalFactory.create_batch(3, process=phase.process)
    few = count_queries(client, url)
    ProposalFactory.create_batch(
        6, process=phase.process, threshold_reached_at=timezone.now()
    )
    assert count_queries(client, url) == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need PostgreSQL"
)
def test_parallel_supports_count_every_one_and_tell_coordinators_once():
    process = PhaseFactory().process
    process.support_threshold = 3
    process.save()
    proposal = ProposalFactory(process=process)
    coordinator = CoordinatorFactory()
    supporters = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(supporters))
    errors: list[Exception] = []

    def support_now(user) -> None:
        try:
            barrier.wait()
            services.proposal_support(
                actor=user, proposal=Proposal.objects.get(pk=proposal.pk)
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support_now, args=(u,)) for u in supporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    proposal.refresh_from_db()
    assert proposal.supports_count == 6
    assert proposal.threshold_reached_at is not None
    assert awaiting_notices(coordinator) == 1
