"""Suppression of small cells and of the cells that would give them away."""

from retefamiglie.monitoring.privacy import is_small, protect


def test_a_cell_below_the_threshold_is_hidden_and_zero_is_not():
    assert is_small(1, 5)
    assert is_small(4, 5)
    assert not is_small(5, 5)
    assert not is_small(0, 5)


def test_a_single_hidden_cell_in_a_line_takes_its_smallest_neighbour_with_it():
    """Total 20 = 2 + 7 + 11: hiding only the 2 would let anyone compute it as
    20 - 7 - 11, so the 7 is hidden too; the total and the 11 stay."""
    values = {"total": 20, "a": 2, "b": 7, "c": 11}
    hidden = protect(values, [["total", "a", "b", "c"]], k=5)
    assert hidden == {"a", "b"}


def test_two_small_cells_protect_each_other():
    values = {"total": 15, "a": 2, "b": 3, "c": 10}
    assert protect(values, [["total", "a", "b", "c"]], k=5) == {"a", "b"}


def test_the_complement_spreads_across_rows_and_columns():
    """A two-by-two table with margins: one small cell forces a second in its row, a
    third in its column and a fourth to close the rectangle, so no line has a
    single unknown."""
    values = {
        ("r1", "c1"): 3,
        ("r1", "c2"): 10,
        ("r2", "c1"): 8,
        ("r2", "c2"): 12,
        ("r1", "all"): 13,
        ("r2", "all"): 20,
        ("all", "c1"): 11,
        ("all", "c2"): 22,
        ("all", "all"): 33,
    }
    lines = [
        [("r1", "all"), ("r1", "c1"), ("r1", "c2")],
        [("r2", "all"), ("r2", "c1"), ("r2", "c2")],
        [("all", "c1"), ("r1", "c1"), ("r2", "c1")],
        [("all", "c2"), ("r1", "c2"), ("r2", "c2")],
        [("all", "all"), ("r1", "all"), ("r2", "all")],
        [("all", "all"), ("all", "c1"), ("all", "c2")],
    ]
    hidden = protect(values, lines, k=5)
    assert ("r1", "c1") in hidden
    for line in lines:
        assert len([cell for cell in line if cell in hidden]) != 1
    # No hidden cell can be worked out from what is shown, line by line.
    assert hidden == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}


def test_nothing_is_hidden_when_every_cell_reaches_the_threshold():
    values = {"total": 12, "a": 5, "b": 7}
    assert protect(values, [["total", "a", "b"]], k=5) == set()
