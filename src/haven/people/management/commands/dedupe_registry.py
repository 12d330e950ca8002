"""`haven dedupe_registry`: the registry-wide search for duplicates, run here and now, or
with `--queue` left to `haven worker` (as the button on the review page does)."""

from django.core.management.base import BaseCommand

from haven.people import actions


class Command(BaseCommand):
    help = (
        "Search the whole registry for records of the same person and add new candidate "
        "pairs to the review queue (run nightly, e.g. from cron), or with --queue ask "
        "`haven worker` to do it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the search for `haven worker` instead of running it here.",
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            job, created = actions.queue_registry_search(user=None)
            if created:
                self.stdout.write(f"Queued registry search {job.pk} for `haven worker`.")
            else:
                self.stdout.write(f"Registry search {job.pk} is already {job.status}.")
            return
        added = actions.dedupe_registry(
            progress=lambda fraction, message: self.stderr.write(f"{fraction:4.0%} {message}")
        )
        self.stdout.write(f"{added} new possible matches added to the review queue.")
