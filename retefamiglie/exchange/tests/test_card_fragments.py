"""The cards and the filter form of /scambio/ are kept in the pages cache for
everyone (core_tags, ADR 30): the page must read as if rendered afresh, and an
edit, a new photo or a family's deleted account shows on the next page."""

import pytest
from django.core.cache import caches

from retefamiglie.core.templatetags import core_tags
from retefamiglie.core.tests.test_images import photo_with_gps
from retefamiglie.exchange import services

from .factories import ListingFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()


def page(client, query: str = "") -> str:
    html = client.get(f"/scambio/{query}").content.decode()
    return html[html.index("<h1>") : html.index("</main>")]


def test_the_cached_page_is_the_page_rendered_afresh(client, monkeypatch):
    for number in range(3):
        ListingFactory(title=f"Seggiolone {number}")
    first, again = page(client, "?eta=0-1"), page(client, "?eta=0-1")

    def each(self, context):
        out = []
        for item in self.items.resolve(context) or []:
            with context.push(**{self.variable: item}):
                out.append(self.nodelist.render(context))
        return "".join(out)

    monkeypatch.setattr(core_tags._SameForEveryoneEachNode, "render", each)
    monkeypatch.setattr(
        core_tags._SameForEveryoneNode,
        "render",
        lambda self, context: self.nodelist.render(context),
    )
    assert first == again == page(client, "?eta=0-1")
    assert all(f"Seggiolone {number}" in first for number in range(3))
    assert 'value="0-1" selected' in first


def test_an_edited_title_and_a_new_photo_show_on_the_next_page(client):
    listing = ListingFactory(title="Passeggino blu")
    assert "Passeggino blu" in page(client)
    services.listing_update(
        actor=listing.owner, listing=listing, title="Passeggino rosso"
    )
    services.photo_add(
        actor=listing.owner,
        listing=listing,
        upload=photo_with_gps(size=(200, 150)),
        description="Il passeggino piegato",
    )
    shown = page(client)
    assert "Passeggino rosso" in shown
    assert "Passeggino blu" not in shown
    assert 'alt="Il passeggino piegato"' in shown


def test_a_withdrawn_listing_leaves_the_page(client):
    listing = ListingFactory(title="Lettino da viaggio")
    assert "Lettino da viaggio" in page(client)
    services.listing_withdraw(actor=listing.owner, listing=listing)
    assert "Lettino da viaggio" not in page(client)


def test_the_listings_of_a_deleted_account_leave_the_page(client):
    owner = member()
    ListingFactory(owner=owner, title="Scarpe di Giulia")
    assert "Scarpe di Giulia" in page(client)
    services.person_erase(user=owner)
    assert "Scarpe di Giulia" not in page(client)
