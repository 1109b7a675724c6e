"""Small-cell suppression, by hand: primary, secondary over rows, columns and margins."""

from incluye.impact.suppression import PRIMARY, SECONDARY, suppress_series, suppress_table, suppress_value


def statuses(table):
    return [[c.status for c in row] for row in table.cells]


def lone_hidden(table) -> list:
    """Relations (a row or column with its total) with exactly one hidden item: must be none."""
    return [r for r in table.relations if sum(1 for c in r if c.hidden) == 1]


def test_it_hides_counts_under_the_threshold_and_shows_them_as_less_than():
    cell = suppress_value(3)
    assert cell.status == PRIMARY and cell.shown(5) == "<5"
    assert suppress_value(5).status is None
    assert suppress_value(3, threshold=3).status is None


def test_it_keeps_zeros_they_are_not_sensitive():
    table = suppress_table([[0, 10], [20, 30]])
    assert statuses(table) == [[None, None], [None, None]]
    assert table.cells[0][0].shown(5) == 0


def test_a_lone_small_cell_in_a_row_takes_the_next_smallest_with_it():
    table = suppress_table([[3, 10, 40], [20, 30, 50]])
    # Row 0: 3 is primary; its row total 53 would give it away, so 10 (the smallest other) goes too.
    assert table.cells[0][0].status == PRIMARY
    assert table.cells[0][1].status == SECONDARY
    # Columns 0 and 1 now each have one hidden cell: their next smallest (row 1) is hidden as well.
    assert table.cells[1][0].status == SECONDARY and table.cells[1][1].status == SECONDARY
    assert table.cells[0][2].status is None and table.cells[1][2].status is None
    assert lone_hidden(table) == []
    assert table.total.status is None and table.total.value == 153


def test_the_complement_is_a_nonzero_cell_when_there_is_one():
    table = suppress_table([[2, 0, 9]])
    assert [c.status for c in table.cells[0]] == [PRIMARY, None, SECONDARY]
    assert lone_hidden(table) == []


def test_a_small_total_is_itself_suppressed():
    table = suppress_table([[1, 2], [30, 40]])
    assert table.row_totals[0].status == PRIMARY  # 3
    assert table.cells[0][0].status == PRIMARY and table.cells[0][1].status == PRIMARY
    assert lone_hidden(table) == []


def test_secondary_suppression_iterates_until_no_total_reveals_a_cell():
    values = [[4, 8, 15, 16], [23, 2, 42, 7], [11, 13, 3, 19], [6, 9, 12, 1]]
    table = suppress_table(values)
    assert lone_hidden(table) == []
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if 0 < v < 5:
                assert table.cells[i][j].status == PRIMARY
    # Every hidden cell's row and column hide at least one other item.
    assert table.hidden_count() >= 8


def test_a_series_with_one_small_value_hides_a_second():
    cells, total = suppress_series([120, 3, 45, 60])
    assert [c.status for c in cells] == [None, PRIMARY, SECONDARY, None]
    assert total.status is None and total.value == 228


def test_the_threshold_is_configurable(settings):
    settings.INCLUYE_SUPPRESSION_THRESHOLD = 10
    assert suppress_value(7).status == PRIMARY
    assert suppress_value(7).shown(10) == "<10"
    table = suppress_table([[7, 30], [40, 50]])
    assert table.cells[0][0].shown(table.threshold) == "<10"
