"""``haven dedupe`` without Django: read person records from CSV, write the matched pairs."""

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from haven.people.linkage.pipeline import DEFAULT_THRESHOLD, ScoredPair, find_duplicates
from haven.people.linkage.records import (
    LinkRecord,
    PersonRecord,
    cycle_collection_paused,
    prepare,
)

INPUT_COLUMNS = (
    "rec_id", "surname", "middle_name", "given_name", "sex", "birth_year", "birth_month",
    "birth_day", "province", "national_id", "phone",
)  # fmt: skip
# Read when present: registers exported before the column was added still load.
OPTIONAL_COLUMNS = ("commune",)
OUTPUT_COLUMNS = ("rec_id_a", "rec_id_b", "score")
_NUMBER_COLUMNS = ("birth_year", "birth_month", "birth_day")
PROGRESS_EVERY = 100_000
# ``haven dedupe`` runs alone in its process, so it may fork (``pipeline.find_duplicates``);
# two processes already keep this machine's two cores busy, more only share them.
DEFAULT_PROCESSES = min(2, os.cpu_count() or 1)


class InputError(Exception):
    """The input cannot be read at all (missing file, not UTF-8, missing columns)."""


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in one input line; ``skipped`` if the row was left out."""

    line: int
    message: str
    skipped: bool

    def __str__(self) -> str:
        action = "row skipped" if self.skipped else "value treated as unknown"
        return f"line {self.line}: {self.message}; {action}"


def read_records(
    path: Path,
    problems: list[RowProblem],
    progress: Callable[[str], None] | None = None,
) -> list[LinkRecord]:
    """Prepared records from a CSV file with at least the ``INPUT_COLUMNS`` (any order),
    and the ``OPTIONAL_COLUMNS`` it has.

    Problems in single rows are appended to ``problems`` and never stop the run: a row
    with the wrong number of cells, no rec_id, or a rec_id seen before is skipped; a bad
    number or sex is treated as unknown. Raises ``InputError`` if the file cannot be read.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as f, cycle_collection_paused():
            return list(_read(csv.reader(f), path, problems, progress))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason})") from None


def _read(
    reader: Iterator[list[str]],
    path: Path,
    problems: list[RowProblem],
    progress: Callable[[str], None] | None,
) -> Iterator[LinkRecord]:
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in INPUT_COLUMNS if name not in header]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            f"the header must name {','.join(INPUT_COLUMNS)}"
        )
    position = {
        name: header.index(name) for name in (*INPUT_COLUMNS, *OPTIONAL_COLUMNS) if name in header
    }
    seen: set[str] = set()
    count = 0
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.append(
                RowProblem(line, f"expected {len(header)} cells, found {len(cells)}", True)
            )
            continue
        values = {name: cells[i].strip() for name, i in position.items()}
        rec_id = values["rec_id"]
        if not rec_id:
            problems.append(RowProblem(line, "empty rec_id", True))
            continue
        if rec_id in seen:
            problems.append(RowProblem(line, f"rec_id {rec_id!r} appears twice", True))
            continue
        seen.add(rec_id)
        yield prepare(_person(values, line, problems))
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(f"read {count:,} records")
    if progress:
        progress(f"read {count:,} records")


def _person(values: dict[str, str], line: int, problems: list[RowProblem]) -> PersonRecord:
    numbers: dict[str, int | None] = {}
    for name in _NUMBER_COLUMNS:
        text = values[name]
        numbers[name] = int(text) if text.isdigit() else None
        if text and not text.isdigit():
            problems.append(RowProblem(line, f"{name} {text!r} is not a whole number", False))
    sex = values["sex"].upper()
    if sex not in ("", "M", "F"):
        problems.append(RowProblem(line, f"sex {values['sex']!r} is not M or F", False))
        sex = ""
    return PersonRecord(
        rec_id=values["rec_id"],
        surname=values["surname"],
        middle_name=values["middle_name"],
        given_name=values["given_name"],
        sex=sex,
        province=values["province"],
        national_id=values["national_id"],
        phone=values["phone"],
        commune=values.get("commune", ""),
        **numbers,
    )


def write_pairs(path: Path, pairs: list[ScoredPair]) -> None:
    """Write ``rec_id_a,rec_id_b,score`` rows, score with six decimals."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(OUTPUT_COLUMNS)
        for pair in pairs:
            writer.writerow((pair.rec_id_a, pair.rec_id_b, f"{pair.score:.6f}"))


def dedupe_csv(
    input_path: Path,
    output_path: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] | None = None,
    processes: int = DEFAULT_PROCESSES,
) -> tuple[int, list[RowProblem]]:
    """Read ``input_path``, find duplicate people, write them to ``output_path``.

    Returns the number of pairs written and the row problems met. Raises ``InputError``
    when the input cannot be used at all; then no output is written.
    """
    problems: list[RowProblem] = []
    records = read_records(input_path, problems, progress)
    pairs, _ = find_duplicates(records, threshold=threshold, progress=progress, processes=processes)
    write_pairs(output_path, pairs)
    return len(pairs), problems
