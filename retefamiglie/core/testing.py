"""Helpers shared by the test suites of every app."""

from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str) -> int:
    # Each measurement starts from an empty default cache, so what the first
    # render cached (the header's unread count) does not make the second look
    # cheaper. The page cache ("pages") is left alone.
    caches["default"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def assert_constant_queries(
    client: Client, url: str, make_rows: Callable[[int], object], n: int = 3
) -> int:
    """Render ``url`` with N rows, then 3N rows: the query count must not grow."""
    make_rows(n)
    first = count_queries(client, url)
    make_rows(2 * n)
    second = count_queries(client, url)
    assert first == second, (
        f"{url}: {first} queries with {n} rows, {second} with {3 * n} rows"
    )
    return second
