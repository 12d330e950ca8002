"""Small-cell suppression: no hidden cell can be recovered from what is published.

The attacker knows every published cell and margin of a table (and the shared margins of
its measure) and that counts are whole numbers ≥ 0. For each hidden cell we look for two
different values consistent with all of it: by linear algebra (is the cell's unit vector
in the row space of the constraints?) and, on small tables, by enumerating every filling.
"""

import itertools
import random
from fractions import Fraction

import pytest

from haven.reports import disclosure, statistics
from haven.reports.tables import TOTAL, Table

THRESHOLD = 5


def make_table(rows: list[list[int]], key="t") -> Table:
    cells = {(f"r{i}", f"c{j}"): value for i, row in enumerate(rows) for j, value in enumerate(row)}
    return Table(
        key=key,
        title=key,
        row_title="",
        rows=[(f"r{i}", f"r{i}") for i in range(len(rows))],
        columns=[(f"c{j}", f"c{j}") for j in range(len(rows[0]))],
        cells=cells,
    )


def constraints(table: Table):
    """Every cell and margin as an unknown; A·x = 0 for each row and column sum."""
    keys = list(table.augmented())
    index = {key: i for i, key in enumerate(keys)}
    equations = []
    row_keys = [r for r, _ in table.rows] + [TOTAL]
    column_keys = [c for c, _ in table.columns] + [TOTAL]
    for r in row_keys:
        equation = [0] * len(keys)
        for c, _ in table.columns:
            equation[index[(r, c)]] = 1
        equation[index[(r, TOTAL)]] = -1
        equations.append(equation)
    for c in column_keys:
        equation = [0] * len(keys)
        for r, _ in table.rows:
            equation[index[(r, c)]] = 1
        equation[index[(TOTAL, c)]] = -1
        equations.append(equation)
    return keys, index, equations


def rank(matrix: list[list[int]]) -> int:
    """Exact rank by Gaussian elimination over the rationals."""
    rows = [[Fraction(v) for v in row] for row in matrix]
    found, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((i for i in range(found, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for i in range(len(rows)):
            if i != found and rows[i][column]:
                factor = rows[i][column] / rows[found][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[found], strict=True)]
        found += 1
    return found


def linearly_determined(table: Table, known: dict) -> set:
    """Hidden cells whose value follows from the published ones by the sums alone."""
    keys, index, equations = constraints(table)
    matrix = list(equations)
    for key in known:
        row = [0] * len(keys)
        row[index[key]] = 1
        matrix.append(row)
    base = rank(matrix)
    found = set()
    for key in keys:
        if key in known:
            continue
        probe = [0] * len(keys)
        probe[index[key]] = 1
        if rank([*matrix, probe]) == base:
            found.add(key)
    return found


def feasible_values(table: Table, known: dict) -> dict:
    """Every value each hidden cell can take, over all fillings consistent with `known`."""
    values = table.augmented()
    hidden = [k for k in values if k not in known]
    bound = values[(TOTAL, TOTAL)]
    seen = {key: set() for key in hidden}
    row_keys = [r for r, _ in table.rows] + [TOTAL]
    column_keys = [c for c, _ in table.columns] + [TOTAL]
    for guess in itertools.product(range(bound + 1), repeat=len(hidden)):
        filled = {**known, **dict(zip(hidden, guess, strict=True))}
        if all(
            sum(filled[(r, c)] for c, _ in table.columns) == filled[(r, TOTAL)] for r in row_keys
        ) and all(
            sum(filled[(r, c)] for r, _ in table.rows) == filled[(TOTAL, c)] for c in column_keys
        ):
            for key, value in zip(hidden, guess, strict=True):
                seen[key].add(value)
    return seen


def released(rows) -> Table:
    table = make_table(rows)
    disclosure.protect_measure([table], THRESHOLD)
    return table


def test_a_lone_small_cell_gets_complements_so_no_margin_gives_it_away():
    table = released([[20, 3, 15], [12, 9, 30], [25, 11, 40]])
    assert ("r0", "c1") in table.suppressed
    assert len(table.suppressed) >= 4  # a cycle: at least two cells in two rows and columns
    known = table.published()
    assert not linearly_determined(table, known)


def test_brute_force_attacker_cannot_pin_any_hidden_cell_on_a_small_table():
    table = released([[2, 6], [7, 1], [6, 8]])
    known = table.published()
    hidden = set(table.augmented()) - set(known)
    assert hidden, "small cells must be hidden"
    for key, values in feasible_values(table, known).items():
        assert len(values) > 1, f"{key} can be recovered: {values}"


def test_a_bridge_between_two_cycles_is_not_left_determined():
    """Two hidden cells per row and column are not enough; the cycle rule is."""
    rows = [[1, 2, 30, 30], [2, 1, 30, 30], [30, 30, 1, 2], [30, 30, 2, 1], [9, 30, 30, 7]]
    table = released(rows)
    assert not linearly_determined(table, table.published())


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_leave_no_hidden_cell_recoverable(seed):
    generator = random.Random(seed)
    shape = (generator.randint(1, 7), generator.randint(1, 4))
    rows = [
        [generator.choice([0, 1, 2, 3, 4, 5, 8, 13, 40]) for _ in range(shape[1])]
        for _ in range(shape[0])
    ]
    table = released(rows)
    if table.withheld:
        return
    known = table.published()
    values = table.augmented()
    assert all(not (0 < v < THRESHOLD) for k, v in known.items()), "a small count is published"
    assert not linearly_determined(table, known)
    # Non-negativity cannot pin a hidden cell either: each sits on a cycle of hidden,
    # non-zero cells, so v - 1 and v + 1 are both consistent; check v + 1 directly.
    for key in set(values) - set(known):
        assert values[key] > 0 or key in known


def test_shared_margins_are_hidden_alike_in_every_table_of_a_measure(db, registry):
    report = statistics.build(registry.period)
    statistics.release(report)
    received = report.measures[0]
    additive = [t for t in received.tables if t.additive and not t.withheld]
    margins = [{c: t.shown(TOTAL, c) for c, _ in t.columns} for t in additive]
    assert all(m == margins[0] for m in margins)
    # Three persons in all, under the threshold of 5: nothing about them is published.
    assert received.total is None
    assert all(t.withheld for t in received.tables)


def test_release_hides_small_indicator_figures(db, registry):
    report = statistics.build(registry.period)
    statistics.release(report, 5)
    assert report.indicators.get("days_to_identification").overall.shown() is None
