"""Statistical disclosure control for tables released outside the organisation.

Small-cell suppression with complementary suppression. Primary: every cell or margin with
0 < value < threshold is hidden. Complementary: each hidden cell is put on a *cycle* of
hidden, non-zero cells in the table's row–column graph (margins included), found as the
cheapest path with Dijkstra. Along such a cycle, adding 1 and subtracting 1 alternately
keeps every row and column total and every cell ≥ 0, so each hidden cell has at least the
values v − 1, v and v + 1 consistent with everything published: none can be recovered from
the margins. (Merely hiding two cells per row is not enough: a hidden cell that is a bridge
between two cycles is still determined; tests attack every hidden cell to check this.)

Margins shared by several tables of one measure (the totals by sex and the grand total)
are protected once (`protect_margins`) and then forced on every table, so a margin hidden
in one table is never published by another.
"""

import heapq
import itertools

from haven.reports.tables import TOTAL, Table


def _primary(values: dict, threshold: int) -> set:
    return {key for key, value in values.items() if 0 < value < threshold}


def protect(table: Table, threshold: int, *, forced=frozenset(), shared=frozenset()) -> Table:
    """Suppress `table` in place for release and return it.

    `forced`: margins hidden elsewhere (hide here too). `shared`: margins published by
    other tables, so never chosen as complements here (unless primary or forced).
    """
    values = table.augmented()
    table.released = True
    if values[(TOTAL, TOTAL)] and values[(TOTAL, TOTAL)] < threshold:
        table.withheld = True
        return table
    hidden = _primary(values, threshold) | {k for k in forced if k in values}
    for key in sorted(hidden, key=lambda k: values[k]):
        if not _protect_cell(key, values, hidden, shared):
            table.withheld = True
            return table
    table.suppressed = hidden
    return table


def _protect_cell(key, values, hidden, shared) -> bool:
    """Put hidden cell `key` on a cycle of hidden non-zero cells; False if impossible."""
    if values[key] == 0:
        return True  # a zero forced hidden needs no protection of its own
    row, column = key
    # Bipartite graph: ("r", row) — ("c", column) for every non-zero cell, weighted by what
    # hiding it costs (0 if already hidden); shared margins may not be added as complements.
    adjacency: dict = {}
    for (r, c), value in values.items():
        if value == 0 or (r, c) == key:
            continue
        if (r, c) in hidden:
            weight = 0
        elif (r, c) in shared:
            continue
        else:
            weight = value + 1  # the smallest values first, and few of them
        adjacency.setdefault(("c", c), []).append((("r", r), weight, (r, c)))
        adjacency.setdefault(("r", r), []).append((("c", c), weight, (r, c)))
    path = _cheapest_path(adjacency, ("c", column), ("r", row))
    if path is None:
        return False
    hidden.update(path)
    return True


def _cheapest_path(adjacency, start, goal):
    counter = itertools.count()
    queue = [(0, next(counter), start)]
    best = {start: 0}
    came: dict = {}
    while queue:
        cost, _n, node = heapq.heappop(queue)
        if node == goal:
            cells, cursor = [], goal
            while cursor != start:
                cursor, cell = came[cursor]
                cells.append(cell)
            return cells
        if cost > best.get(node, cost):
            continue
        for neighbour, weight, cell in adjacency.get(node, ()):
            candidate = cost + weight
            if candidate < best.get(neighbour, float("inf")):
                best[neighbour] = candidate
                came[neighbour] = (node, cell)
                heapq.heappush(queue, (candidate, next(counter), neighbour))
    return None


def margins_table(tables: list[Table]) -> Table | None:
    """The totals by column and the grand total shared by additive tables of one measure."""
    additive = [t for t in tables if t.additive]
    if not additive:
        return None
    first = additive[0]
    cells = {("all", column): first.value(TOTAL, column) for column, _ in first.columns}
    return Table(
        key=f"{first.key}:margins",
        title="",
        row_title="",
        rows=[("all", "")],
        columns=first.columns,
        cells=cells,
    )


def protect_measure(tables: list[Table], threshold: int) -> set:
    """Protect every table of one measure consistently; returns the shared margins hidden."""
    margins = margins_table(tables)
    if margins is None:
        forced_margins: set = set()
        grand_withheld = False
    else:
        protect(margins, threshold)
        grand_withheld = margins.withheld
        forced_margins = {(TOTAL, c) for (r, c) in margins.suppressed if r == "all"}
        forced_margins |= {(TOTAL, c) for (r, c) in margins.suppressed if r == TOTAL}
    for table in tables:
        if grand_withheld:
            table.released, table.withheld = True, True
            continue
        # Column margins count as known for every table: published by the additive ones,
        # and for a many-valued breakdown they bound what a reader could infer.
        shared = {(TOTAL, c) for c, _ in table.columns} | {(TOTAL, TOTAL)}
        forced = forced_margins if table.additive else set()
        protect(table, threshold, forced=forced, shared=shared - forced)
    return forced_margins


def protect_rows(table: Table, threshold: int, sensitive_column: str) -> Table:
    """One-dimensional release of a table whose columns are different measures (services,
    persons, cost): a row whose `sensitive_column` is under the threshold is hidden whole,
    and if only one row is hidden, the next smallest is hidden with it, so the column
    totals do not give it away."""
    table.released = True
    hidden_rows = {
        key for key, _ in table.rows if 0 < table.value(key, sensitive_column) < threshold
    }
    if len(hidden_rows) == 1:
        others = sorted(
            (table.value(key, sensitive_column), key)
            for key, _ in table.rows
            if key not in hidden_rows and table.value(key, sensitive_column) > 0
        )
        if not others:
            table.withheld = True
            return table
        hidden_rows.add(others[0][1])
    table.suppressed = {
        (row, column) for row in hidden_rows for column, _ in [*table.columns, (TOTAL, "")]
    }
    return table


def protect_series(series: list[tuple[str, int]], threshold: int) -> list[tuple[str, int]]:
    """A published series (a trend) whose values add up to a published total: small values
    hidden, and a second one with a lone hidden value."""
    hidden = {key for key, value in series if 0 < value < threshold}
    if len(hidden) == 1:
        others = sorted((v, k) for k, v in series if k not in hidden and v > 0)
        if others:
            hidden.add(others[0][1])
    return [(key, None if key in hidden else value) for key, value in series]
