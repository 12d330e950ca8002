import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from haven.synth.registry import Generator


class Command(BaseCommand):
    help = (
        "Add a synthetic registry: N persons with cases, receptions, decisions, services, "
        "follow-ups, tasks and audit rows (COPY on PostgreSQL). Never real persons."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--batch", type=int, default=10_000, help="Persons written per round of COPY."
        )
        parser.add_argument(
            "--row-by-row",
            action="store_true",
            help="PostgreSQL: keep indexes and foreign keys in place while loading even into "
            "empty tables (slower; for comparison).",
        )

    def handle(self, *args, persons, seed, batch, row_by_row, **options):
        if persons <= 0:
            raise CommandError("--persons must be a positive number")
        started = time.monotonic()
        counts = Generator(seed=seed, batch=batch, bulk=not row_by_row).run(
            persons, progress=lambda m: print(m, file=sys.stderr, flush=True)
        )
        elapsed = time.monotonic() - started
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh planner statistics, as autovacuum would gather later: without them the
            # first reports and searches on a new registry choose nested loops over millions.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Created {counts.get('persons', 0):,} person records and "
            f"{counts.get('cases', 0):,} cases ({counts.get('duplicates', 0):,} duplicate "
            f"registrations) in {elapsed:.1f} s."
        )
