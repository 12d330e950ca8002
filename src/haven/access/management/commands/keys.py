from django.core.management.base import BaseCommand

from haven.access import crypto, keys


class Command(BaseCommand):
    help = (
        "Field encryption keys. `generate` prints a new key; put it first in HAVEN_FIELD_KEYS, "
        "keep the old ones after it, then `rotate` re-encrypts every value and file with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["generate", "rotate"])

    def handle(self, *args, subcommand, **options):
        if subcommand == "generate":
            self.stdout.write(crypto.generate_key())
            return
        report = keys.rotate_all()
        self.stdout.write(
            f"Re-encrypted {report.values} values and {report.files} files with the newest key. "
            "Old keys can now be removed from HAVEN_FIELD_KEYS."
        )
