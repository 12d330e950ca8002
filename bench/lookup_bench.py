"""Reception-time lookup: how long `matching.suggest` takes against the registry.

Usage (a registry made with `haven synth --persons N` in DATABASE_URL):
    DATABASE_URL=postgres://... python bench/lookup_bench.py --probes 300
Each probe is a registered person as another agency might type her (no diacritics, phone
dropped half the time, day and month sometimes swapped). Prints p50/p95/max in ms, the
database queries per lookup, and how often the true person was among the suggestions.
"""

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from haven.people import matching, text  # noqa: E402
from haven.people.models import Person  # noqa: E402


def probe_of(person: Person, rng: random.Random) -> Person:
    born = person.date_of_birth
    if born and born.day <= 12 and rng.random() < 0.3:
        born = born.replace(month=born.day, day=born.month)
    return Person(
        full_name=" ".join(w.capitalize() for w in text.fold(person.full_name).split()),
        sex=person.sex,
        date_of_birth=born,
        birth_year=person.birth_year,
        home_province=person.home_province,
        phone=person.phone if rng.random() < 0.5 else "",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    total = Person.objects.count()
    times, found, queries = [], 0, []
    issued = [0]

    def count(execute, sql, params, many, context):
        issued[0] += 1
        return execute(sql, params, many, context)

    matching.suggest(probe_of(Person.objects.first(), rng))  # warm the connection and caches
    for _ in range(args.probes):
        person = (
            Person.objects.filter(pk__gte=rng.randint(1, top))
            .select_related("home_province")
            .first()
        )
        probe = probe_of(person, rng)
        issued[0] = 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            suggestions = matching.suggest(probe)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(issued[0])
        found += any(s.person.pk in (person.pk, person.merged_into_id) for s in suggestions)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"registry: {total:,} persons; probes: {len(times)}")
    print(f"lookup ms: p50 {statistics.median(times):.1f}  p95 {p95:.1f}  max {times[-1]:.1f}")
    print(f"queries per lookup: mean {statistics.mean(queries):.2f}  max {max(queries)}")
    print(f"true person suggested: {found / len(times):.1%}")


if __name__ == "__main__":
    main()
