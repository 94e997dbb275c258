"""Faster reads of issue 13 give the same answers as the queries they replace."""

import datetime as dt
import random

import pytest
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from retefamiglie.core import pagecache
from retefamiglie.directory import selectors
from retefamiglie.directory.forms_search import ServiceSearchForm
from retefamiglie.directory.models import Event, EventOccurrence, Publishable
from retefamiglie.directory.tests.factories import (
    AreaFactory,
    CategoryFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db


def reference_home_events(limit: int) -> list[tuple[int, dt.datetime]]:
    """The home page's events as the former query found them (ADR 11)."""
    coming = EventOccurrence.objects.filter(
        event=OuterRef("pk"), ends_at__gt=timezone.now()
    )
    events = (
        Event.objects.filter(status=Publishable.Status.PUBLISHED)
        .filter(Exists(coming))
        .annotate(
            next_starts_at=Subquery(
                coming.order_by("starts_at").values("starts_at")[:1]
            )
        )
        .order_by("-featured", "next_starts_at", "pk")
    )
    return [(e.pk, e.next_starts_at) for e in events[:limit]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_home_events_are_those_of_the_former_query_in_its_order(seed):
    rng = random.Random(seed)  # noqa: S311 - a fixed sample
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for _ in range(14):
        starts = now + dt.timedelta(days=rng.randint(-40, 20), hours=rng.randint(0, 8))
        EventFactory(
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=rng.choice([1, 2, 30])),
            rrule=rng.choice(["", "", "FREQ=WEEKLY;COUNT=8", "FREQ=DAILY;COUNT=4"]),
            featured=rng.random() < 0.2,
            status=rng.choice(
                [Publishable.Status.PUBLISHED] * 4 + [Publishable.Status.DRAFT]
            ),
        )
    # Two events starting at the same moment: their order goes by id.
    same = now + dt.timedelta(days=2)
    EventFactory(starts_at=same, ends_at=same + dt.timedelta(hours=1))
    EventFactory(starts_at=same, ends_at=same + dt.timedelta(hours=1))
    for limit in (1, 4, 10):
        found = selectors.home_events(limit=limit)
        assert [(e.pk, e.next_starts_at) for e in found] == reference_home_events(limit)


def test_an_edit_renews_the_kept_choices_of_the_search_form():
    AreaFactory(name="Centro storico")
    first = [
        str(label) for _v, label in ServiceSearchForm().fields["categoria"].choices
    ]
    assert "Musica corale" not in first
    CategoryFactory(slug="musica-corale", name="Musica corale")
    again = [
        str(label) for _v, label in ServiceSearchForm().fields["categoria"].choices
    ]
    assert "Musica corale" in again
    areas = [str(label) for _v, label in ServiceSearchForm().fields["zona"].choices]
    assert "Centro storico" in areas


def test_versioned_values_are_kept_until_the_catalogue_changes(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert pagecache.versioned("answer", compute) == 1
    assert pagecache.versioned("answer", compute) == 1
    pagecache.bump()
    assert pagecache.versioned("answer", compute) == 2
    settings.FRAGMENT_CACHE_SECONDS = 0
    assert pagecache.versioned("answer", compute) == 3
