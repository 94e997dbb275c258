"""Two choices at the same moment never reserve one listing twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from retefamiglie.exchange import services
from retefamiglie.exchange.models import Handover, Interest, Listing

from .factories import ListingFactory, member


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need PostgreSQL"
)
def test_parallel_choices_reserve_a_listing_once():
    listing = ListingFactory()
    interests = [
        services.interest_create(actor=member(), listing=listing) for _ in range(6)
    ]
    barrier = threading.Barrier(len(interests))
    outcomes: list[str] = []

    def choose(interest: Interest) -> None:
        try:
            barrier.wait()
            services.interest_choose(actor=listing.owner, interest=interest)
            outcomes.append("reserved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(i,)) for i in interests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["reserved"]
    assert Handover.objects.filter(listing=listing).count() == 1
    assert Interest.objects.filter(status=Interest.Status.CHOSEN).count() == 1
    listing.refresh_from_db()
    assert listing.status == Listing.Status.RESERVED


@pytest.mark.django_db
def test_a_second_choice_is_refused_on_any_database():
    listing = ListingFactory()
    first, second = (
        services.interest_create(actor=member(), listing=listing) for _ in range(2)
    )
    services.interest_choose(actor=listing.owner, interest=first)
    with pytest.raises(ValidationError):
        services.interest_choose(actor=listing.owner, interest=second)
