"""The reference: the same CSV deduplicated by Splink 4+/5 on DuckDB.

Configured after Splink's tutorials: out-of-the-box comparisons with term-frequency
adjustments on names, u from random sampling, the prior from deterministic rules with an
assumed recall, m by EM over two blocking rules chosen by the documented 1%–99% guidance,
prediction over several blocking rules.
Inputs get the generic cleaning those tutorials ask for (lower case, diacritics removed,
ISO dates, digits only). With ``--inputs haven`` Splink gets Haven's normalised keys instead
(name order fixed, y/i folded, day above 12 swapped back, old provinces mapped to new,
+84 phones), which separates Haven's normalisation from its model. Usage::

    python bench/linkage/splink_run.py INPUT.csv PAIRS.csv [--inputs generic|haven]
"""

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

from haven.people.linkage.csvfiles import read_records
from haven.people.text import fold

THRESHOLD = 0.5


def _digits(value: str) -> str | None:
    text = "".join(ch for ch in value.upper() if ch.isalnum())
    return text or None


def _iso_date(year, month, day) -> str | None:
    if not (year and month and day):
        return None
    try:
        y, m, d = int(year), int(month), int(day)
        pd.Timestamp(year=y, month=m, day=d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def generic_frame(path: Path) -> pd.DataFrame:
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            rows.append({
                "unique_id": r["rec_id"],
                "surname": fold(r["surname"]) or None,
                "middle_name": fold(r["middle_name"]) or None,
                "first_name": fold(r["given_name"]) or None,
                "sex": r["sex"] or None,
                "dob": _iso_date(r["birth_year"], r["birth_month"], r["birth_day"]),
                "birth_year": r["birth_year"] or None,
                "province": fold(r["province"]) or None,
                "commune": fold(r.get("commune", "")) or None,
                "national_id": _digits(r["national_id"]),
                "phone": _digits(r["phone"]),
            })  # fmt: skip
    return pd.DataFrame(rows)


def haven_frame(path: Path) -> pd.DataFrame:
    rows = []
    for r in read_records(path, []):
        b = r.birth
        rows.append({
            "unique_id": r.rec_id,
            "surname": r.name.family or None,
            "middle_name": r.name.middle or None,
            "first_name": r.name.given or None,
            "sex": r.sex,
            "dob": _iso_date(b.year, b.month, b.day),
            "birth_year": str(b.year) if b.year else None,
            "province": r.province,
            # One of the new communes the name may be (most names have exactly one).
            "commune": min(r.commune) if r.commune else None,
            "national_id": r.identity[1] if r.identity else None,
            "phone": r.phone,
        })  # fmt: skip
    return pd.DataFrame(rows)


def run(frame: pd.DataFrame, out_path: Path, threshold: float) -> None:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("middle_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("province").configure(term_frequency_adjustments=True),
            cl.ExactMatch("commune").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("national_id", [1]),
            cl.DamerauLevenshteinAtThresholds("phone", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "dob"),
            block_on("surname", "dob"),
            block_on("national_id"),
            block_on("phone"),
            block_on("surname", "middle_name", "first_name", "birth_year", "province"),
            block_on("surname", "middle_name", "first_name", "substr(dob, 6, 5)"),
            block_on("commune", "dob"),
            block_on("surname", "first_name", "commune"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("national_id"), block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    # Splink's guidance: EM rules whose pairs are between 1% and 99% matches. First name and
    # surname together are too loose here (a third of people are Nguyễn, names are few).
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "dob")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("national_id"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    with out_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["rec_id_a", "rec_id_b", "score"])
        for a, b, p in pairs.itertuples(index=False):
            a, b = sorted((str(a), str(b)))
            writer.writerow([a, b, f"{p:.6f}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--inputs", choices=("generic", "haven"), default="generic")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args()
    frame = generic_frame(args.input) if args.inputs == "generic" else haven_frame(args.input)
    print(f"splink: {len(frame):,} records ({args.inputs} inputs)", file=sys.stderr)
    run(frame, args.out, args.threshold)


if __name__ == "__main__":
    main()
