"""A newly published listing tells the people whose saved search it matches
(ADR 13 and 27).

Matching costs a fixed number of queries however many searches are saved: the
searches, the areas and the owner's blocks are read once, each search's
filters are checked in Python (``selectors.listing_fits``, kept equal to
``browse`` by a test) and the words of the remaining searches are checked
together with the list's own word search (``selectors.listing_words_match``).
"""

from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict

from retefamiglie.moderation.selectors import is_hidden
from retefamiglie.network.models import Area
from retefamiglie.notifications import selectors as notices
from retefamiglie.notifications.models import SavedSearch

from . import selectors
from .forms import SearchForm
from .models import Block, Listing
from .notices import notify

SCOPE = "exchange.listings"


class SavedSearchForm(SearchForm):
    """The list's own form, its area looked up in ``areas`` (slug → pk) rather
    than with one query per saved search."""

    def __init__(self, data: QueryDict, *, areas: dict[str, int]) -> None:
        super().__init__(data)
        self.areas = areas
        self.fields["zona"] = forms.ChoiceField(
            required=False, choices=[("", ""), *((slug, slug) for slug in areas)]
        )

    def clean_zona(self) -> Area | None:
        slug = self.cleaned_data["zona"]
        return Area(pk=self.areas[slug], slug=slug) if slug else None


def saved_filters(query: str, *, areas: dict[str, int]) -> dict[str, Any] | None:
    """The filters of a saved query string, or None if they are no longer valid
    (an area or a category that is gone)."""
    form = SavedSearchForm(QueryDict(query), areas=areas)
    return form.filters() if form.is_valid() else None


def _audience(listing: Listing) -> list[SavedSearch]:
    """Saved searches of adults in the exchange who may see ``listing``."""
    blocks = Block.objects.filter(
        Q(blocker_id=listing.owner_id) | Q(blocked_id=listing.owner_id)
    ).values_list("blocker_id", "blocked_id")
    unseen = {person for pair in blocks for person in pair}
    unseen.add(listing.owner_id)
    return [
        search
        for search in notices.saved_searches_in(SCOPE)
        .filter(user__exchange_member__isnull=False)
        .order_by("user_id", "name", "pk")
        if search.user_id not in unseen
    ]


def matching_searches(listing: Listing) -> list[SavedSearch]:
    """The saved searches that find ``listing`` on /scambio/, at most one per
    person; none if the listing is not open to everyone."""
    if listing.status != Listing.Status.AVAILABLE or is_hidden(target=listing):
        return []
    areas = dict(Area.objects.values_list("slug", "pk"))
    candidates: list[tuple[SavedSearch, str]] = []
    for search in _audience(listing):
        filters = saved_filters(search.query, areas=areas)
        if filters is not None and selectors.listing_fits(listing, **filters):
            candidates.append((search, filters["q"].strip()))
    words = sorted({q for _search, q in candidates if q})
    found = selectors.listing_words_match(listing, words)
    matched: dict[int, SavedSearch] = {}
    for search, q in candidates:
        if (not q or q in found) and search.user_id not in matched:
            matched[search.user_id] = search
    return list(matched.values())


def listing_announce(listing: Listing) -> int:
    """Notify the owners of the saved searches ``listing`` matches, each once,
    at the frequency chosen for that search; return how many were told."""
    told = 0
    for search in matching_searches(listing):
        notify(
            "saved_search_match",
            to=search.user,
            title=listing.title,
            path=listing.get_absolute_url(),
            about=listing,
            key=f"listing:{listing.pk}",
            frequency=search.frequency,
            context={"search": search.name},
        )
        told += 1
    return told
