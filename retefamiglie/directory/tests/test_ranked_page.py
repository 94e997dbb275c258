"""A ranked search is counted in the query that ranks it (core.pagination.
ranked_page, ADR 30): pages, counts and the cap read as with CappedPaginator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from retefamiglie.core.pagination import CappedPaginator, ranked_page
from retefamiglie.directory import selectors

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    # Different ranks (the word once or twice) and ties broken by name.
    for number in range(7):
        ServiceFactory(
            name=f"Ludoteca {number}",
            summary="Ludoteca e giochi." if number % 2 else "Giochi insieme.",
        )
    ServiceFactory(name="Piscina", summary="Nuoto.")
    return selectors.search_services(q="ludoteca")


def names(page) -> list[str]:
    return [service.name for service in selectors.services_for_cards(page.object_list)]


@pytest.mark.parametrize("number", [None, "1", "2", "3", "0", "nove", "99"])
def test_each_page_is_the_page_of_the_capped_paginator(ranked, number):
    expected = CappedPaginator(ranked, 3, cap=100).get_page(number)
    page = ranked_page(ranked, number, per_page=3, cap=100)
    assert names(page) == [service.name for service in expected.object_list]
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == 7
    assert page.paginator.num_pages == 3
    assert not page.paginator.capped


def test_past_the_cap_it_says_more_than_the_cap(ranked):
    page = ranked_page(ranked, "2", per_page=2, cap=3)
    assert page.paginator.capped
    assert page.paginator.count == 3
    assert page.paginator.num_pages == 2
    assert len(page.object_list) == 1  # the page ends with the cap-th row
    last = ranked_page(ranked, "4", per_page=2, cap=3)
    assert last.number == 2


def test_nothing_found_is_one_empty_page(ranked):
    page = ranked_page(
        selectors.search_services(q="equitazione"), None, per_page=3, cap=100
    )
    assert list(page.object_list) == []
    assert page.paginator.count == 0
    assert page.number == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_on_postgresql_the_page_and_its_count_are_one_query(ranked):
    with CaptureQueriesContext(connection) as queries:
        page = ranked_page(ranked, "2", per_page=3, cap=100)
        assert page.paginator.count == 7
    assert len(queries) == 1
    assert "COUNT(*) OVER ()" in queries[0]["sql"]
