"""``haven dedupe INPUT.csv --out PAIRS.csv``: find records of the same person in a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.people.linkage.csvfiles import (
    DEFAULT_PROCESSES,
    INPUT_COLUMNS,
    OPTIONAL_COLUMNS,
    InputError,
    dedupe_csv,
)

# Row problems printed in full; beyond this only their number, so a bad file stays readable.
MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Find records of the same person in INPUT.csv (columns "
        + ",".join(INPUT_COLUMNS)
        + ", and optionally "
        + ",".join(OPTIONAL_COLUMNS)
        + "; sex M or F; empty cell = unknown; province and home commune as written, old or "
        "new) and write "
        "PAIRS.csv with the header rec_id_a,rec_id_b,score: one row per pair judged to be "
        "the same person, rec_id_a < rec_id_b compared as strings, score (the match "
        "probability) in 0..1. Needs no database."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, metavar="INPUT.csv")
        parser.add_argument("--out", type=Path, required=True, metavar="PAIRS.csv")
        parser.add_argument(
            "--threshold",
            type=float,
            default=0.5,
            help="lowest match probability written (default 0.5)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=DEFAULT_PROCESSES,
            help=f"1 to work in this process only; 2 or more to train and compare in a "
            f"second process alongside (default {DEFAULT_PROCESSES})",
        )

    def handle(self, *args, **options):
        threshold = options["threshold"]
        if not 0 <= threshold <= 1:
            raise CommandError(f"--threshold must be between 0 and 1, not {threshold}")
        if options["processes"] < 1:
            raise CommandError(f"--processes must be 1 or more, not {options['processes']}")
        quiet = options["verbosity"] == 0

        def progress(message: str) -> None:
            if not quiet:
                self.stderr.write(message)

        try:
            count, problems = dedupe_csv(
                options["input"],
                options["out"],
                threshold=threshold,
                progress=progress,
                processes=options["processes"],
            )
        except InputError as error:
            raise CommandError(str(error)) from None
        except OSError as error:  # the output cannot be written
            raise CommandError(f"{error.filename}: {error.strerror}") from None
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(str(problem))
        if len(problems) > MAX_PROBLEMS_SHOWN:
            self.stderr.write(f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more row problems")
        if not quiet:
            self.stderr.write(f"wrote {count:,} pairs to {options['out']}")
