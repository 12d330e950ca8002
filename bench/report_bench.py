"""Benchmark (not a test): the quarterly national statistics report on PostgreSQL.

    .venv/bin/python bench/report_bench.py --cases 1000000

Loads N synthetic cases into a database of its own (created if missing; rows are added
until it holds N, so a second run reuses them), then times `statistics.build` for one
quarter over the whole country — every Art. 12 table and every review indicator — and
prints the median of several runs. Cases are spread evenly over 2013–2025, as a registry
with a long history would be; receptions before 1 July 2025 carry a former province.

With --no-load it times the report on the database as it is, such as a registry made by
`haven synth --persons N` (bench/run.py does this); otherwise the quick bulk loader below
fills a database of its own.
"""

import argparse
import datetime
import os
import random
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

START = datetime.date(2013, 1, 1)
END = datetime.date(2025, 12, 31)
BATCH = 5000


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("HAVEN_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("HAVEN_FIELD_KEYS", "dGVzdC1maWVsZC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=")
    os.environ.setdefault("HAVEN_INDEX_KEY", "bench-index-key")
    os.environ.setdefault("HAVEN_VAR_DIR", tempfile.mkdtemp(prefix="haven-report-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def load(n: int, seed: int = 7) -> None:
    """Add synthetic cases until the database holds `n`."""
    from django.utils import timezone

    from haven.agencies.models import FrameworkRole, Organisation, OrganisationKind, User
    from haven.cases.models import Case, IdentificationDecision, Reception
    from haven.people.models import Person
    from haven.places.models import Country, Ethnicity, Province
    from haven.support.models import Service

    have = Case.objects.count()
    if have >= n:
        print(f"database already holds {have:,} cases")
        return
    generator = random.Random(seed + have)
    user, _ = User.objects.get_or_create(username="bench")
    organisations = []
    for index, role in enumerate(FrameworkRole.values * 4):
        organisation, _ = Organisation.objects.get_or_create(
            code=f"bench-{index}",
            defaults={
                "name_vi": f"Tổ chức {index}",
                "name_en": f"Organisation {index}",
                "kind": OrganisationKind.FACILITY,
                "framework_role": role,
            },
        )
        organisations.append(organisation)
    current = list(Province.objects.filter(valid_to__isnull=True))
    former = list(Province.objects.filter(valid_to__isnull=False))
    countries = list(Country.objects.filter(code__in=["CN", "KH", "LA", "MY", "TH", "KR"]))
    ethnicities = list(Ethnicity.objects.all()[:12])
    routes = ["border_handover", "police", "return_from_abroad", "self_report"]
    forms = ["sexual", "forced_labour", "forced_marriage", "online_scam", "begging"]
    span = (END - START).days
    started = time.perf_counter()
    while have < n:
        size = min(BATCH, n - have)
        persons = Person.objects.bulk_create(
            Person(
                full_name=f"Bench {have + i}",
                name_key=f" bench {have + i}",
                sex=generator.choice("FFFFMX"),
                birth_year=generator.randint(1960, 2012),
                ethnicity=generator.choice(ethnicities),
            )
            for i in range(size)
        )
        # A few records are the same woman as an earlier one (record linkage).
        linked = [p for p in persons[1:] if generator.random() < 0.03]
        for person in linked:
            person.merged_into_id = persons[0].pk
        Person.objects.bulk_update(linked, ["merged_into"])
        days = [START + datetime.timedelta(days=generator.randint(0, span)) for _ in range(size)]
        opened = [
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))) for day in days
        ]
        places = []
        for day in days:
            if day < datetime.date(2025, 7, 1) and former:
                unit = generator.choice(former)
                places.append((unit, unit.successor or unit))
            else:
                unit = generator.choice(current)
                places.append((unit, unit))
        cases = Case.objects.bulk_create(
            Case(
                reference=f"B-{have + i}",
                person=persons[i],
                owner=generator.choice(organisations),
                province=places[i][1],
                opened_at=opened[i],
                identification_status="victim" if generator.random() < 0.4 else "undecided",
            )
            for i in range(size)
        )
        Reception.objects.bulk_create(
            Reception(
                case=cases[i],
                entry_route=generator.choice(routes),
                received_by=cases[i].owner,
                recorded_by=user,
                received_at=opened[i],
                province=places[i][0],
                age_at_reception=days[i].year - persons[i].birth_year,
                is_child=days[i].year - persons[i].birth_year < 18,
                destination_country=generator.choice(countries),
                exploitation_forms=",".join(generator.sample(forms, generator.randint(1, 2))),
            )
            for i in range(size)
        )
        IdentificationDecision.objects.bulk_create(
            IdentificationDecision(
                case=case,
                status="victim",
                decided_on=days[i] + datetime.timedelta(days=generator.randint(1, 40)),
                organisation=case.owner,
                decided_by=user,
                governing_law="law_66_2011",
                legal_basis="Art. 32",
            )
            for i, case in enumerate(cases)
            if case.identification_status == "victim"
        )
        Service.objects.bulk_create(
            Service(
                case=case,
                support_type=generator.choice(["essential_needs", "medical", "legal_aid"]),
                status="delivered",
                starts_on=days[i] + datetime.timedelta(days=generator.randint(0, 30)),
                cost=generator.randint(1, 50) * 100000,
                paid_by=case.owner,
                funding_source=generator.choice(["State budget", "IOM", "Provincial budget"]),
                recorded_by=user,
            )
            for i, case in enumerate(cases)
            if generator.random() < 0.5
        )
        have += size
        if have % 50000 < BATCH:
            rate = have / (time.perf_counter() - started)
            print(f"  loaded {have:,} cases ({rate:,.0f}/s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quarter", default="2025-2", help="YEAR-Q of the report")
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="time the report on the database as it is (e.g. one made by `haven synth`): "
        "no migration, no rows added",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "HAVEN_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haven_report_bench"
        ),
    )
    args = parser.parse_args()
    configure(args.database_url)
    if not args.no_load:
        ensure_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not args.no_load:
        call_command("migrate", verbosity=0)
        load(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from haven.cases.models import Case
    from haven.reports import statistics
    from haven.reports.periods import Period

    year, quarter = (int(part) for part in args.quarter.split("-"))
    period = Period.quarter(year, quarter)
    timings = []
    report = None
    for _ in range(args.runs):
        started = time.perf_counter()
        report = statistics.build(period)
        timings.append(time.perf_counter() - started)
    totals = {m.key: m.total for m in report.measures}
    print(f"cases in database: {Case.objects.count():,}")
    print(f"quarter {period}: {totals}")
    print(
        f"quarterly national report, median of {args.runs}: {stats.median(timings):.3f} s "
        f"(min {min(timings):.3f} s, max {max(timings):.3f} s)"
    )


if __name__ == "__main__":
    main()
