"""Pagination that stays cheap on large result sets."""

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts no further than ``cap`` rows.

    Counting every match of a broad search costs as much as finding them all;
    past ``cap`` people refine the search rather than read on. ``count`` is then
    ``cap`` (so the last page is the one holding the cap-th row) and ``capped``
    is true, for the page to say "more than …".
    """

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        self.cap = cap
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def _counted(self) -> int:
        object_list = self.object_list
        if hasattr(object_list, "order_by") and hasattr(object_list, "values"):
            return object_list.order_by().values("pk")[: self.cap + 1].count()
        return len(object_list)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap


def ranked_page(
    queryset: QuerySet, number: str | None, *, per_page: int, cap: int
) -> Page:
    """A page of ``queryset``'s rows, as their keys only, counted in the same query.

    For a ranked search on PostgreSQL: ranking reads every match to sort them,
    so counting them on the way (``COUNT(*) OVER ()``) is almost free, where
    ``CappedPaginator`` would read up to ``cap`` matches again (ADR 30). The
    ranking runs in a subquery that PostgreSQL may not flatten (``OFFSET 0``),
    so that the window keeps only the narrow columns of the order, not the
    documents the rank was computed from. Elsewhere, and for a page past the
    last one, it is ``CappedPaginator.get_page``. The rows are the model's
    instances with only their key loaded (what ``CardLoader`` needs).
    """
    keys = queryset.only("pk")
    paginator = CappedPaginator(keys, per_page, cap=cap)
    order = [name for name in queryset.query.order_by if isinstance(name, str)]
    if (
        connection.vendor != "postgresql"
        or not order
        or len(order) != len(queryset.query.order_by)
    ):
        return paginator.get_page(number)
    try:
        wanted = int(str(number)) if number is not None else 1
    except ValueError:
        wanted = 1  # as Paginator.get_page: not a number, the first page
    if wanted < 1:
        return paginator.get_page(number)  # as Paginator.get_page: the last one
    columns = list(dict.fromkeys(["pk", *(name.lstrip("-") for name in order)]))
    inner, params = queryset.order_by().values_list(*columns).query.sql_with_params()
    quote = connection.ops.quote_name
    order_sql = ", ".join(
        quote(name.lstrip("-")) + (" DESC" if name.startswith("-") else "")
        for name in order
    )
    # Names quoted by the backend; the subquery compiled by Django, its
    # values passed as parameters.
    sql = (
        f"SELECT {quote('pk')}, COUNT(*) OVER () FROM ({inner} OFFSET 0) AS ranked "  # noqa: S608
        f"ORDER BY {order_sql} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, per_page, (wanted - 1) * per_page])
        rows = cursor.fetchall()
    if not rows and wanted > 1:
        return paginator.get_page(number)  # past the last page: the last one
    paginator.__dict__["_counted"] = rows[0][1] if rows else 0
    if wanted > paginator.num_pages:  # past the cap
        return paginator.get_page(number)
    # As CappedPaginator: the last page ends with the cap-th row.
    rows = rows[: max(cap - (wanted - 1) * per_page, 0)]
    model = queryset.model
    attname = model._meta.pk.attname
    return Page(
        [model.from_db(queryset.db, [attname], [pk]) for pk, _total in rows],
        wanted,
        paginator,
    )
