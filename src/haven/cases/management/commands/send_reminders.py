from django.core.management.base import BaseCommand

from haven.cases.reminders import send_overdue_reminders


class Command(BaseCommand):
    help = "E-mail each organisation its overdue work (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_overdue_reminders()
        self.stdout.write(f"Sent {sent} reminder e-mails.")
