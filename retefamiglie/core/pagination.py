"""Pagination that stays cheap on large result sets."""

from django.core.paginator import Paginator
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
