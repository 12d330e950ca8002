import sys

from django.core.management.base import BaseCommand

from haven.people.actions import dedupe_registry


class Command(BaseCommand):
    help = (
        "Search the whole registry for records of the same person and add new candidate "
        "pairs to the review queue (run nightly, e.g. from cron or the job worker)."
    )

    def handle(self, *args, **options):
        added = dedupe_registry(progress=lambda m: print(m, file=sys.stderr, flush=True))
        self.stdout.write(f"{added} new possible matches added to the review queue.")
