from django.core.management.base import BaseCommand

from haven import demo


class Command(BaseCommand):
    help = "Load the synthetic demo organisations, users and cases (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=60, help="cases to generate (default 60)")

    def handle(self, *args, cases, **options):
        result = demo.load(cases=cases)
        self.stdout.write(
            f"Demo data: {result['organisations']} organisations, {result['users']} users, "
            f"{result['cases_created']} new cases."
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, _org, role, display in demo.USERS:
            self.stdout.write(f"  {username:<15} {role.label:<16} {display}")
