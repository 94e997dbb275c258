"""A newly published listing notifies saved searches, families with children of
the right age, and followers of its organisation — once each."""

import pytest
import time_machine
from django.core import mail
from django.template import Context
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.directory.models import Publishable
from retefamiglie.directory.services.listings import event_save, listing_publish
from retefamiglie.directory.templatetags.family_tags import for_your_children
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.models import Child, Notification
from retefamiglie.notifications.services import (
    child_add,
    family_profile_update,
    follow,
    saved_search_save,
)

from .factories import CategoryFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sant_anna():
    return AreaFactory(name="Sant'Anna", slug="sant-anna")


def draft_event(area, **fields):
    event = EventFactory(
        status=Publishable.Status.DRAFT,
        location__area=area,
        categories=[CategoryFactory(slug="sport-movimento")],
        **fields,
    )
    return event


def publish(event, people, capture):
    with capture(execute=True):
        listing_publish(actor=people["coordinator"], listing=event)


def test_saved_search_match_notifies_once_with_its_frequency(
    people, sant_anna, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    saved_search_save(
        user=giulia,
        scope="directory.events",
        name="Sport, 7, Sant'Anna",
        query="categoria=sport-movimento&eta=7&zona=sant-anna",
        frequency="immediate",
    )
    event = draft_event(sant_anna, name="Minivolley", age_min=6, age_max=10)
    publish(event, people, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=giulia)
    assert notification.kind == "directory.saved_search_match"
    assert "Minivolley" in notification.title
    assert [m.to for m in mail.outbox] == [[giulia.email]]
    # Unpublished and published again: no second notice.
    event.status = Publishable.Status.DRAFT
    event.save()
    publish(event, people, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=giulia).count() == 1


def test_saved_search_that_does_not_match_stays_silent(
    people, sant_anna, django_capture_on_commit_callbacks
):
    giulia = UserFactory()
    saved_search_save(
        user=giulia,
        scope="directory.events",
        name="Sport, 7",
        query="eta=7",
        frequency="immediate",
    )
    publish(
        draft_event(sant_anna, age_min=12, age_max=14),
        people,
        django_capture_on_commit_callbacks,
    )
    assert not Notification.objects.filter(recipient=giulia).exists()


def test_families_with_a_child_of_the_right_age_hear_of_it(
    people, sant_anna, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False):
        today = timezone.localdate()
        seven = UserFactory()
        child_add(user=seven, birth_year=today.year - 7, birth_month=1)
        baby = UserFactory()
        child_add(user=baby, birth_year=today.year - 1, birth_month=1)
        elsewhere = UserFactory()
        child_add(user=elsewhere, birth_year=today.year - 7, birth_month=1)
        family_profile_update(user=elsewhere, areas=["centro"], languages=[])
        publish(
            draft_event(sant_anna, age_min=6, age_max=10),
            people,
            django_capture_on_commit_callbacks,
        )
    notified = set(
        Notification.objects.filter(kind="directory.new_for_children").values_list(
            "recipient", flat=True
        )
    )
    assert notified == {seven.pk}
    # Batchable: it waits for the weekly digest, no e-mail now.
    assert mail.outbox == []


def test_followers_of_the_organisation_hear_of_it(
    people, sant_anna, django_capture_on_commit_callbacks
):
    event = draft_event(sant_anna)
    follower = UserFactory()
    follow(user=follower, target=event.organisation)
    publish(event, people, django_capture_on_commit_callbacks)
    assert Notification.objects.get(recipient=follower).kind == (
        "directory.organisation_news"
    )


def test_followers_of_an_event_hear_that_it_changed(
    people, sant_anna, django_capture_on_commit_callbacks
):
    event = EventFactory(location__area=sant_anna)
    follower = UserFactory()
    follow(user=follower, target=event)
    with django_capture_on_commit_callbacks(execute=True):
        event_save(
            actor=people["coordinator"],
            event=event,
            categories=list(event.categories.all()),
            name="Minivolley (new time)",
        )
    notification = Notification.objects.get(recipient=follower)
    assert notification.kind == "directory.event_changed"
    assert [m.to for m in mail.outbox] == [[follower.email]]


def test_events_list_offers_filters_for_your_children(sant_anna):
    giulia = UserFactory()
    today = timezone.localdate()
    Child.objects.create(user=giulia, birth_year=today.year - 7, birth_month=1)
    Child.objects.create(user=giulia, birth_year=today.year - 3, birth_month=1)
    client = Client()
    client.force_login(giulia)
    page = client.get(reverse("directory:events") + "?eta=7").content.decode()
    assert 'href="/eventi/?eta=3"' in page
    assert 'href="/eventi/?eta=7" aria-current="true"' in page
    assert "lista=directory.events&amp;filtri=eta%3D7" in page
    anonymous = Client().get(reverse("directory:events")).content.decode()
    assert "?eta=3" not in anonymous


def test_services_list_offers_filters_for_your_children():
    giulia = UserFactory()
    Child.objects.create(
        user=giulia, birth_year=timezone.localdate().year - 7, birth_month=1
    )
    client = Client()
    client.force_login(giulia)
    page = client.get(reverse("directory:services")).content.decode()
    assert 'href="/servizi/?eta=7"' in page


def test_home_shows_what_fits_the_children_first():
    giulia = UserFactory()
    Child.objects.create(
        user=giulia, birth_year=timezone.localdate().year - 7, birth_month=1
    )
    EventFactory(name="Teen climbing", age_min=14, age_max=17)
    EventFactory(name="Minivolley", age_min=6, age_max=10)
    client = Client()
    client.force_login(giulia)
    page = client.get("/").content.decode()
    section = page[page.index("home-for-you-title") : page.index("home-events-title")]
    assert "Minivolley" in section
    assert "Teen climbing" not in section


def test_follow_button_on_event_page(sant_anna):
    event = EventFactory(location__area=sant_anna)
    giulia = UserFactory()
    client = Client()
    client.force_login(giulia)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("notifications:follow") in page
    token = page.split('name="target" value="')[1].split('"')[0]
    response = client.post(
        reverse("notifications:follow"),
        {"target": token, "next": event.get_absolute_url()},
    )
    assert response["Location"] == event.get_absolute_url()
    assert giulia.follows.count() == 1
    assert (
        'aria-pressed="true"' in client.get(event.get_absolute_url()).content.decode()
    )


def test_for_your_children_reads_the_family_in_one_query(
    django_assert_num_queries, sant_anna
):
    giulia = UserFactory()
    today = timezone.localdate()
    Child.objects.create(user=giulia, birth_year=today.year - 7, birth_month=1)
    Child.objects.create(user=giulia, birth_year=today.year - 7, birth_month=2)
    Child.objects.create(user=giulia, birth_year=today.year - 3, birth_month=1)
    family_profile_update(user=giulia, areas=[sant_anna.slug], languages=[])
    request = RequestFactory().get(reverse("directory:events"), {"eta": "7"})
    request.user = giulia
    with django_assert_num_queries(1):
        found = for_your_children(
            Context({"request": request}), "directory.events", "/eventi/"
        )
    assert [link["url"] for link in found["links"]] == [
        f"/eventi/?eta=3&zona={sant_anna.slug}",
        f"/eventi/?eta=7&zona={sant_anna.slug}",
    ]
    assert [link["current"] for link in found["links"]] == [False, True]


def test_for_your_children_without_profile_nor_children(django_assert_num_queries):
    family = UserFactory()
    request = RequestFactory().get(reverse("directory:services"))
    request.user = family
    with django_assert_num_queries(1):
        found = for_your_children(
            Context({"request": request}), "directory.services", "/servizi/"
        )
    assert found["show"] is True
    assert found["links"] == []
    assert found["has_children"] is False


@pytest.mark.parametrize("with_children", [False, True])
def test_a_family_home_page_makes_a_known_number_of_queries(
    with_children, django_assert_num_queries
):
    """The anonymous page's queries (services, the coming events) and, for a
    family: its session, its account, its children, its unread notifications
    (then cached) and whether it may enter the staff area; with children, the
    events that fit them (ADR 0029)."""
    giulia = UserFactory()
    if with_children:
        for age in (3, 7):
            Child.objects.create(
                user=giulia, birth_year=timezone.localdate().year - age, birth_month=1
            )
    for _ in range(3):
        EventFactory()
    client = Client()
    client.force_login(giulia)
    with django_assert_num_queries(10 if with_children else 9):
        client.get("/")
