from django.core.management.base import BaseCommand

from haven.referrals.actions import return_overdue_referrals


class Command(BaseCommand):
    help = (
        "Return referrals not answered in time to the sender's inbox (run daily, "
        "before send_reminders)."
    )

    def handle(self, *args, **options):
        returned = return_overdue_referrals()
        self.stdout.write(f"Returned {returned} overdue referrals to their senders.")
