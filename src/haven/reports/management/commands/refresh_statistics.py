"""`haven refresh_statistics`: compute every statistics fact again (PostgreSQL).

The triggers keep the facts true as the work happens; this is for repair (after a restore
of some tables only, or a trigger switched off by hand), and to lay the facts out again in
date order after years of edits. It takes an exclusive lock on the facts: reports wait.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from haven.audit import log as audit
from haven.reports import factstore
from haven.reports.models import StatisticsFact


class Command(BaseCommand):
    help = "Compute every statistics fact again from the case tables (PostgreSQL only)."

    def handle(self, *args, **options):
        if not factstore.available():
            raise CommandError("the statistics facts are kept on PostgreSQL only")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            factstore.rebuild(cursor)
            facts = StatisticsFact.objects.count()
            audit.record("statistics.refresh", details={"facts": facts})
        self.stdout.write(f"{facts:,} facts in {time.perf_counter() - started:.1f} s")
