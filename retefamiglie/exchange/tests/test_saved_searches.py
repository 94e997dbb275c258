"""Saved searches of /scambio/: a person saves the filters, a new listing that
matches them is announced to its owner, once, at the frequency chosen, never
to its author; matching costs the same queries for N or 3N saved searches."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from retefamiglie.accounts.tests.factories import UserFactory
from retefamiglie.exchange import selectors, services
from retefamiglie.exchange.announce import SCOPE, matching_searches, saved_filters
from retefamiglie.exchange.models import Block, Listing
from retefamiglie.moderation import services as moderation
from retefamiglie.network.models import Area
from retefamiglie.network.tests.factories import AreaFactory
from retefamiglie.notifications.models import (
    Delivery,
    Notification,
    Preference,
)
from retefamiglie.notifications.services import saved_search_save

from .factories import ListingFactory, member

pytestmark = pytest.mark.django_db

KIND = "exchange.saved_search_match"


@pytest.fixture
def sant_anna():
    return AreaFactory(name="Sant'Anna", slug="sant-anna")


def save(user, query, *, name="Passeggini", frequency="immediate"):
    return saved_search_save(
        user=user, scope=SCOPE, name=name, query=query, frequency=frequency
    )


def publish(capture, area, *, owner=None, **fields):
    data = {
        "kind": "offer",
        "what": "good",
        "how": "give",
        "category": "baby_gear",
        "age_band": "0-1",
        "condition": "good",
        "title": "Passeggino leggero",
        "description": "Pieghevole.",
        **fields,
    }
    with capture(execute=True):
        return services.listing_create(actor=owner or member(), area=area, **data)


def test_the_list_offers_to_save_its_filters_to_a_member(client, sant_anna):
    giulia = member()
    client.force_login(giulia)
    html = client.get("/en/scambio/?q=passeggino&zona=sant-anna&page=2").content
    page = html.decode()
    assert "Save this search" in page
    link = re.search(r'href="([^"]*lista=exchange\.listings[^"]*)"', page)[1]
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["lista"] == [SCOPE]
    assert parse_qs(query["filtri"][0]) == {"q": ["passeggino"], "zona": ["sant-anna"]}
    # The page it leads to saves the search without JavaScript.
    response = client.post(
        reverse("notifications:saved_search_create"),
        {
            "scope": SCOPE,
            "query": query["filtri"][0],
            "name": "Passeggini a Sant'Anna",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/scambio/?" + query["filtri"][0])
    search = giulia.saved_searches.get()
    assert (search.scope, search.frequency) == (SCOPE, "daily")


def test_no_save_button_without_filters_or_for_anonymous_visitors(client):
    assert b"Save this search" not in client.get("/en/scambio/?q=passeggino").content
    client.force_login(member())
    assert b"Save this search" not in client.get("/en/scambio/").content


def test_a_person_not_in_the_exchange_is_asked_to_join_first(client):
    client.force_login(UserFactory())
    page = client.get("/en/scambio/?q=passeggino").content.decode()
    assert "Save this search" in page
    assert "/scambio/partecipa/?next=" in page


def test_a_matching_listing_is_announced_once_at_the_chosen_frequency(
    sant_anna, django_capture_on_commit_callbacks
):
    giulia, marco = member(), member()
    save(giulia, "q=passeggino&zona=sant-anna&eta=0-1", frequency="immediate")
    save(giulia, "categoria=baby_gear", name="Tutto per neonati")
    save(marco, "q=passeggino", frequency="weekly")
    listing = publish(
        django_capture_on_commit_callbacks,
        sant_anna,
        title="Passeggino leggero, chiama 333 123 4567",
    )
    notice = Notification.objects.get(recipient=giulia)
    assert notice.kind == KIND
    assert notice.url.endswith(listing.get_absolute_url())
    assert "333 123 4567" not in notice.title
    assert "Passeggino leggero" in notice.title
    assert [m.to for m in mail.outbox] == [[giulia.email]]
    assert "333 123 4567" not in mail.outbox[0].body
    # Marco chose the weekly digest: his notice waits for it.
    waiting = Delivery.objects.get(notification__recipient=marco)
    assert (waiting.channel, waiting.status, waiting.frequency) == (
        Delivery.Channel.EMAIL,
        Delivery.Status.BATCHED,
        "weekly",
    )
    # Announcing again (a retried task) tells nobody twice.
    from retefamiglie.exchange.announce import listing_announce

    listing_announce(listing)
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_the_author_blocked_people_and_non_matching_searches_hear_nothing(
    sant_anna, django_capture_on_commit_callbacks
):
    author, blocked, blocker, other_area, stranger = (member() for _ in range(5))
    outside = UserFactory()  # saved a search but never joined the exchange
    for person in (author, blocked, blocker, outside):
        save(person, "q=passeggino")
    save(other_area, "q=passeggino&zona=" + AreaFactory(slug="arancio").slug)
    save(stranger, "q=bicicletta")
    Block.objects.create(blocker=author, blocked=blocked)
    Block.objects.create(blocker=blocker, blocked=author)
    publish(django_capture_on_commit_callbacks, sant_anna, owner=author)
    assert not Notification.objects.filter(kind=KIND).exists()


def test_a_person_who_turned_the_kind_off_keeps_it_in_the_centre_only(
    sant_anna, django_capture_on_commit_callbacks
):
    giulia = member()
    save(giulia, "q=passeggino", frequency="immediate")
    Preference.objects.create(user=giulia, kind=KIND, frequency="never")
    publish(django_capture_on_commit_callbacks, sant_anna)
    assert Notification.objects.filter(recipient=giulia, kind=KIND).exists()
    assert mail.outbox == []


def test_hidden_reserved_listings_are_not_announced(sant_anna, settings):
    giulia = member()
    save(giulia, "q=passeggino")
    reserved = ListingFactory(area=sant_anna, status=Listing.Status.RESERVED)
    assert matching_searches(reserved) == []
    hidden = ListingFactory(area=sant_anna, title="Passeggino")
    assert [s.user for s in matching_searches(hidden)] == [giulia]
    settings.MODERATION_HIDE_AFTER_FLAGS = 1
    moderation.flag_create(actor=member(), target=hidden, reason="spam")
    assert matching_searches(hidden) == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=passeggino",
        "q=passeggino blu",
        "q=Passéggino",
        "q=bicicletta",
        "tipo=offer",
        "tipo=request",
        "cosa=service",
        "categoria=baby_gear&eta=0-1",
        "categoria=toys",
        "eta=3-6",
        "taglia=XL",
        "taglia=xl ",
        "zona=sant-anna",
        "zona=arancio",
        "oggi=on",
    ],
)
def test_matching_agrees_with_the_list(query, sant_anna):
    """A saved search finds a listing exactly when the list shows it."""
    AreaFactory(slug="arancio")
    viewer = member()
    save(viewer, query)
    listing = ListingFactory(
        area=sant_anna, title="Passeggino blu", size="xl", category="baby_gear"
    )
    areas = dict(Area.objects.values_list("slug", "pk"))
    filters = saved_filters(query, areas=areas)
    on_the_list = selectors.browse(user=viewer, **filters).filter(pk=listing.pk)
    assert bool(matching_searches(listing)) == on_the_list.exists()


def test_matching_costs_the_same_queries_for_n_and_3n_saved_searches(sant_anna):
    listing = ListingFactory(area=sant_anna, title="Passeggino blu leggero")
    words = ["passeggino", "blu", "leggero", "passeggino blu", "bicicletta"]

    def add(count, start):
        for index in range(start, start + count):
            save(
                member(),
                f"q={words[index % len(words)]} {index}&zona=sant-anna"
                if index % 2
                else f"q={words[index % len(words)]}&eta=0-1",
                name=f"Ricerca {index}",
            )

    add(5, 0)
    with CaptureQueriesContext(connection) as first:
        found_first = matching_searches(listing)
    add(10, 5)
    with CaptureQueriesContext(connection) as second:
        found_second = matching_searches(listing)
    assert len(found_second) > len(found_first) > 0
    assert len(first) == len(second)
