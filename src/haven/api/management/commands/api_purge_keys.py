from django.core.management.base import BaseCommand

from haven.api import idempotency


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than HAVEN_IDEMPOTENCY_TTL_HOURS (run daily)."

    def handle(self, *args, **options):
        deleted = idempotency.purge_expired()
        self.stdout.write(f"{deleted} expired idempotency keys deleted")
