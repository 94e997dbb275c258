"""Statistical disclosure control of the published figures.

A figure about people (families, children, help requests) is shown only if it
counts at least ``MONITORING_MIN_CELL`` of them (k-anonymity, default 5). A
figure hidden this way must not be recoverable by subtraction: in a table whose
rows and columns add up to published totals, a line with a single hidden cell
would give it away, so a second, "complementary" cell of the same line is
hidden too, the smallest that is shown. The rule is applied to every line until
no line has exactly one hidden cell (the usual hypercube heuristic; it may hide
more than the least possible, never less).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence

from django.conf import settings

Cell = Hashable


def threshold() -> int:
    return int(getattr(settings, "MONITORING_MIN_CELL", 5))


def is_small(value: int, k: int) -> bool:
    """A count that could single out someone: above zero and below k.

    Zero is shown: "nobody" identifies nobody.
    """
    return 0 < value < k


def _complement(
    line: list[Cell], values: Mapping[Cell, int], hidden: set[Cell]
) -> Cell | None:
    """The cell of a line to hide next to its single hidden one: the smallest
    shown cell above zero, or a zero if nothing else is left."""
    shown = [cell for cell in line if cell not in hidden]
    if not shown:
        return None
    return min(shown, key=lambda cell: (values[cell] == 0, values[cell], str(cell)))


def protect(
    values: Mapping[Cell, int],
    lines: Iterable[Sequence[Cell]],
    *,
    k: int | None = None,
) -> set[Cell]:
    """The cells to hide: the small ones and their complements.

    ``values`` maps every cell, totals included, to its count; ``lines`` are the
    groups of cells bound by an addition (the cells of a row together with the
    row's total, and so on), in which one hidden cell can be computed back from
    the others.
    """
    k = threshold() if k is None else k
    groups = [list(line) for line in lines]
    hidden = {cell for cell, value in values.items() if is_small(value, k)}
    changed = True
    while changed:
        changed = False
        for line in groups:
            missing = [cell for cell in line if cell in hidden]
            if len(missing) == 1 and len(line) > 1:
                extra = _complement(line, values, hidden)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
    return hidden
