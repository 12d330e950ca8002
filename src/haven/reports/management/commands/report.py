"""`haven report statistics --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx|pdf --out FILE`

Produces the same periodic report as the dashboard's export (national scope; `--province`
narrows it to one current unit by code). Tables are released with disclosure control
unless `--internal` is given. `haven report htcds ...` writes the de-identified export.
Each run writes an audit record.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from haven.audit import log as audit
from haven.places.models import Province
from haven.reports import jobs
from haven.reports.periods import Period


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Write the periodic statistics report or the de-identified HTCDS export to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["statistics", "htcds"])
        parser.add_argument("--from", dest="start", required=True, type=_date)
        parser.add_argument("--to", dest="end", required=True, type=_date)
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "pdf"], default="pdf")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--province", help="Code of a current province (default: all).")
        parser.add_argument(
            "--internal", action="store_true", help="No small-cell suppression (internal use)."
        )
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args, kind, start, end, fmt, out, province, internal, language, **options):
        if end < start:
            raise CommandError("--to is before --from")
        if kind == "htcds" and fmt == "pdf":
            raise CommandError("the HTCDS export is csv or xlsx")
        provinces = None
        if province:
            unit = Province.objects.filter(code=province, valid_to__isnull=True).first()
            if unit is None:
                raise CommandError(f"no current province with code {province}")
            provinces = [unit.pk]
        period = Period(start, end)
        params = {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "provinces": provinces,
            "release": not internal,
            "language": language,
        }
        content, _name = jobs.produce(
            kind, fmt, params, progress=lambda f, m: self.stderr.write(f"{int(f * 100):3d}% {m}")
        )
        out.write_bytes(content)
        audit.record(
            "report.command",
            object_type="report",
            object_id=kind,
            details={"format": fmt, "via": "command line", **params},
        )
        self.stdout.write(f"wrote {out} ({len(content):,} bytes)")
