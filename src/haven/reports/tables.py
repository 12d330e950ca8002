"""A statistical table: rows × columns of counts with row, column and grand totals.

Margins are keyed with `TOTAL`: `(row, TOTAL)` is a row total, `(TOTAL, column)` a column
total, `(TOTAL, TOTAL)` the grand total. A table is *additive* when its rows partition the
population (each person in one row), so the column totals are the sums of the cells; a
breakdown by a many-valued attribute (forms of exploitation) is not, and its column totals
are never shown.
"""

import dataclasses

TOTAL = "*"


@dataclasses.dataclass
class Table:
    key: str
    title: str
    row_title: str
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]
    additive: bool = True
    unit: str = "persons"  # persons · services · money
    note: str = ""
    # Filled by disclosure control for a table released outside the organisation.
    suppressed: set = dataclasses.field(default_factory=set)
    withheld: bool = False
    released: bool = False
    # Query-string fragment per row key for drill-down to cases (dashboard only).
    drill: dict = dataclasses.field(default_factory=dict)

    def value(self, row: str, column: str) -> int:
        if row == TOTAL and column == TOTAL:
            return sum(self.cells.values())
        if row == TOTAL:
            return sum(v for (_r, c), v in self.cells.items() if c == column)
        if column == TOTAL:
            return sum(v for (r, _c), v in self.cells.items() if r == row)
        return self.cells.get((row, column), 0)

    def augmented(self) -> dict[tuple[str, str], int]:
        """Every cell and margin, as disclosure control sees the table."""
        values = {}
        for row, _label in [*self.rows, (TOTAL, "")]:
            for column, _clabel in [*self.columns, (TOTAL, "")]:
                values[(row, column)] = self.value(row, column)
        return values

    def is_hidden(self, row: str, column: str) -> bool:
        if self.withheld:
            return True
        if row == TOTAL and column != TOTAL and not self.additive:
            return True
        return (row, column) in self.suppressed

    def shown(self, row: str, column: str):
        """The published value, or None where it is suppressed."""
        return None if self.is_hidden(row, column) else self.value(row, column)

    def published(self) -> dict[tuple[str, str], int]:
        """Everything a reader of the released table learns (the attacker's knowledge)."""
        return {key: value for key, value in self.augmented().items() if not self.is_hidden(*key)}

    def grid(self):
        """Rows for display: (key, label, [values…], row total), then the totals row."""
        body = [
            (
                key,
                label,
                [self.shown(key, column) for column, _ in self.columns],
                self.shown(key, TOTAL),
            )
            for key, label in self.rows
        ]
        totals = [self.shown(TOTAL, column) for column, _ in self.columns]
        return body, totals, self.shown(TOTAL, TOTAL)

    def display(self):
        """`grid`, each row with its drill-down query fragment added ("" for none): what the
        dashboard's table shows, computed once rather than looked up per row in the template."""
        body, totals, total = self.grid()
        rows = [(*row, self.drill.get(row[0], "")) for row in body]
        return rows, totals, total

    def ranked(self) -> list[tuple[str, int]]:
        """(label, row total) from largest to smallest, for charts; hidden rows left out."""
        values = [(label, self.shown(key, TOTAL)) for key, label in self.rows]
        return sorted(((lbl, v) for lbl, v in values if v is not None), key=lambda p: -p[1])
