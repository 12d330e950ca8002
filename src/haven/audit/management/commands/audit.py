from django.core.management.base import BaseCommand, CommandError

from haven.audit import log


class Command(BaseCommand):
    help = "Audit log tools. `haven audit verify` checks the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        result = log.verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at row {result.first_bad_id}: {result.problem} "
                f"({result.checked} rows verified before it)."
            )
        self.stdout.write(f"Audit chain intact: {result.checked} rows verified.")
