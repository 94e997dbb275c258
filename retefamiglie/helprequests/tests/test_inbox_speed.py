"""The staff inbox stays fast with thousands of requests (ADR 0029)."""

import pytest
from django.db import connection, transaction

from retefamiglie.helprequests import selectors

pytestmark = pytest.mark.django_db


def plan_of(queryset) -> str:
    with transaction.atomic():
        # The table of a test is tiny: forbid the sequential scan and the sort to
        # see whether the index can serve the order at all.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


# SQLite binds the CASE's values as parameters, which never match an index's
# expression: there the order is sorted, as before; production is PostgreSQL.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner")
@pytest.mark.parametrize("status", ["", "open"])
def test_the_inbox_order_is_read_from_an_index_not_sorted(people, status):
    queryset = selectors.inbox_for(user=people["coordinator"], status=status)[:25]
    assert "helprequest_inbox_order" in plan_of(queryset)
