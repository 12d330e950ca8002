"""`haven worker`: run waiting background jobs (report exports and registry-wide searches
for duplicate persons), polling the database.

`--once` runs what is waiting and exits (for cron or tests); otherwise it polls every
`--sleep` seconds until stopped.
"""

import time

from django.core.management.base import BaseCommand

from haven.reports import jobs


class Command(BaseCommand):
    help = (
        "Run waiting background jobs: report exports and registry-wide searches for "
        "duplicate persons."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is waiting, then exit.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Seconds between polls.")

    def handle(self, *args, once=False, sleep=2.0, **options):
        while True:
            stale = jobs.fail_stale()
            if stale:
                self.stdout.write(f"failed {stale} job(s) whose worker had stopped")
            ran = jobs.run_pending()
            if ran:
                self.stdout.write(f"ran {ran} job(s)")
            if once:
                return
            time.sleep(sleep)
