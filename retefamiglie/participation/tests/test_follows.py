"""Following proposals and processes, and the notices followers get (ADR 26)."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from retefamiglie.accounts.tests.factories import CoordinatorFactory, UserFactory
from retefamiglie.core.testing import ACCOUNT_ROLES
from retefamiglie.notifications import follow_targets
from retefamiglie.notifications import services as notifications
from retefamiglie.notifications.models import Follow, Notification
from retefamiglie.participation import services
from retefamiglie.participation.models import Proposal

from .factories import PhaseFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def phase():
    return PhaseFactory(title="Proposte")


@pytest.fixture
def proposal(phase):
    return ProposalFactory(process=phase.process, title="Cortili aperti")


def kinds_of(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def post_follow(client, target, action="follow"):
    return client.post(
        reverse("notifications:follow"),
        {
            "target": follow_targets.make(target),
            "action": action,
            "next": target.get_absolute_url(),
        },
    )


# The button, for every role -------------------------------------------------------


@pytest.mark.parametrize("which", ["proposal", "process"])
def test_anonymous_is_asked_to_log_in_to_follow(client, proposal, which):
    target = proposal if which == "proposal" else proposal.process
    html = client.get(target.get_absolute_url()).content.decode()
    assert "Accedi per seguire" in html
    response = post_follow(client, target)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Follow.objects.exists()


@pytest.mark.parametrize("role", ACCOUNT_ROLES)
@pytest.mark.parametrize("which", ["proposal", "process"])
def test_anyone_with_an_account_follows_and_unfollows(
    client, people, proposal, role, which
):
    """The button posts (CSRF-protected, no JavaScript needed) and comes back
    to the page, which then says "Following"."""
    target = proposal if which == "proposal" else proposal.process
    user = people[role]
    client.force_login(user)
    assert (
        'aria-pressed="true"'
        not in client.get(target.get_absolute_url()).content.decode()
    )

    response = post_follow(client, target)
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()
    html = client.get(target.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html
    assert notifications_followed(user) == [target]

    post_follow(client, target, action="unfollow")
    assert notifications_followed(user) == []


def notifications_followed(user) -> list:
    from retefamiglie.notifications.selectors import follows_of

    return [
        f.target_type.get_object_for_this_type(pk=f.target_id) for f in follows_of(user)
    ]


def test_the_follow_form_is_protected_against_cross_site_posts(proposal):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert post_follow(client, proposal).status_code == 403
    assert not Follow.objects.exists()


def test_follows_show_on_the_familys_page(client, proposal):
    user = UserFactory()
    notifications.follow(user=user, target=proposal)
    notifications.follow(user=user, target=proposal.process)
    client.force_login(user)
    html = client.get(reverse("notifications:follows")).content.decode()
    assert f'href="{proposal.get_absolute_url()}"' in html
    assert f'href="{proposal.process.get_absolute_url()}"' in html


def test_the_author_follows_a_new_proposal(client, phase):
    author = UserFactory()
    client.force_login(author)
    response = client.post(
        reverse("participation:proposal_create"),
        {
            "title": "Ludoteca aperta",
            "body": "Anche la domenica.",
            "category": "spaces",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert notifications_followed(author) == [proposal]
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html


# What followers hear ---------------------------------------------------------------


def test_an_answer_reaches_followers_once_and_not_the_coordinator(
    proposal, django_capture_on_commit_callbacks, mailoutbox
):
    follower, stranger, supporter = UserFactory(), UserFactory(), UserFactory()
    coordinator = CoordinatorFactory()
    for user in (follower, supporter, coordinator):
        notifications.follow(user=user, target=proposal)
    notifications.follow(user=proposal.author, target=proposal)
    services.proposal_support(actor=supporter, proposal=proposal)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            actor=coordinator, proposal=proposal, state="accepted", answer="Sì."
        )

    assert kinds_of(follower) == ["participation.followed_proposal_changed"]
    # The author and supporters have their own notice, not a second one.
    assert kinds_of(proposal.author) == ["participation.proposal_answered"]
    assert kinds_of(supporter) == ["participation.proposal_answered"]
    assert kinds_of(coordinator) == []
    assert kinds_of(stranger) == []
    # Immediate: the follower is e-mailed at once.
    assert any(
        follower.email in m.to and "Cortili aperti" in m.subject for m in mailoutbox
    )


def test_a_withdrawal_reaches_followers_but_not_the_author(
    proposal, django_capture_on_commit_callbacks
):
    follower, stranger = UserFactory(), UserFactory()
    notifications.follow(user=follower, target=proposal)
    notifications.follow(user=proposal.author, target=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_withdraw(actor=proposal.author, proposal=proposal)
    assert kinds_of(follower) == ["participation.followed_proposal_changed"]
    assert kinds_of(proposal.author) == []
    assert kinds_of(stranger) == []


def test_a_comment_reaches_followers_but_not_its_author(
    proposal, django_capture_on_commit_callbacks, mailoutbox
):
    follower, commenter, stranger = UserFactory(), UserFactory(), UserFactory()
    notifications.follow(user=follower, target=proposal)
    notifications.follow(user=commenter, target=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            actor=commenter, proposal=proposal, body="Contraria.", stance="against"
        )
    assert kinds_of(follower) == ["participation.followed_proposal_comment"]
    assert kinds_of(commenter) == []
    assert kinds_of(stranger) == []
    # Batchable: it waits for the digest, no e-mail now.
    assert not [m for m in mailoutbox if follower.email in m.to]


def test_a_new_phase_reaches_the_process_followers_once(
    proposal, django_capture_on_commit_callbacks
):
    process = proposal.process
    today = timezone.localdate()
    PhaseFactory(
        process=process,
        title="Co-progettazione",
        starts_on=today + datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=60),
    )
    follower, stranger = UserFactory(), UserFactory()
    notifications.follow(user=follower, target=process)
    notifications.follow(user=stranger, target=proposal)  # not the process

    with django_capture_on_commit_callbacks(execute=True):
        assert services.phases_announce_started(today=today) == 1  # "Proposte"
    notice = Notification.objects.get(recipient=follower)
    assert notice.kind == "participation.followed_process_phase"
    assert "Proposte" in notice.title

    with django_capture_on_commit_callbacks(execute=True):
        assert services.phases_announce_started(today=today) == 0
        assert (
            services.phases_announce_started(today=today + datetime.timedelta(days=41))
            == 1
        )
    titles = sorted(
        Notification.objects.filter(recipient=follower).values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert "Co-progettazione" in titles[0]
    assert kinds_of(stranger) == []


def test_the_periodic_command_enqueues_the_phase_news(proposal):
    from django.core.management import call_command

    follower = UserFactory()
    notifications.follow(user=follower, target=proposal.process)
    call_command("participation_periodic")
    assert kinds_of(follower) == ["participation.followed_process_phase"]
