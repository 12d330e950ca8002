"""`make bench`: build a synthetic registry in a fresh PostgreSQL database and measure it.

    python bench/run.py                      # 20,000 persons: a few minutes
    python bench/run.py --persons 1000000    # the full target size

Steps, each timed in the same run: `haven synth --persons N` (COPY), the reception lookup
(bench/lookup_bench.py), and, when present, the quarterly report (bench/report_bench.py).
Results are printed and written to docs/performance.md under "Registry benchmarks", with
the date, machine and command. Needs PostgreSQL at BENCH_DATABASE_ROOT (default
postgres://postgres@127.0.0.1:5432); never run as a test.
"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAVEN = [sys.executable, "-m", "haven"]
SECTION = "## Registry benchmarks"


def run(cmd, env, label):
    started = time.monotonic()
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise SystemExit(f"{label} failed")
    return elapsed, result.stdout


def psql(root, sql):
    subprocess.run(["psql", "-q", f"{root}/postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    root = os.environ.get("BENCH_DATABASE_ROOT", "postgres://postgres@127.0.0.1:5432")
    name = f"haven_bench_{args.persons}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{root}/{name}",
        "HAVEN_2FA_REQUIRED": "0",
        "HAVEN_SECRET_KEY": os.environ.get("HAVEN_SECRET_KEY", "bench-secret"),
        "HAVEN_INDEX_KEY": os.environ.get("HAVEN_INDEX_KEY", "bench-index"),
        "HAVEN_FIELD_KEYS": os.environ.get(
            "HAVEN_FIELD_KEYS", "KBznjYTEjD-P4BTjWuN22Neqmr90KTxRUXJ1SMMPadE="
        ),
        "HAVEN_VAR_DIR": os.environ.get("HAVEN_VAR_DIR") or tempfile.mkdtemp(),
    }
    psql(root, f"DROP DATABASE IF EXISTS {name}")
    psql(root, f"CREATE DATABASE {name}")
    rows = []
    try:
        run([*HAVEN, "migrate", "-v", "0"], env, "migrate")
        synth_s, out = run(
            [*HAVEN, "synth", "--persons", str(args.persons), "--batch", "20000"], env, "synth"
        )
        rows.append(
            (
                "haven synth",
                f"{args.persons:,} persons",
                f"{synth_s:.0f} s",
                "1,000,000 in under 15 min",
                out.strip(),
            )
        )
        _, out = run(
            [sys.executable, "bench/lookup_bench.py", "--probes", str(args.probes)], env, "lookup"
        )
        p95 = re.search(r"p95 ([\d.]+)", out).group(1)
        rows.append(
            (
                "reception lookup",
                f"{args.persons:,} persons",
                f"p95 {p95} ms",
                "p95 under 20 ms",
                out.strip().replace("\n", "; "),
            )
        )
        # The report bench keeps its own database (haven_report_bench) with its own loader.
        _, out = run(
            [sys.executable, "bench/report_bench.py", "--cases", str(args.persons), "--runs", "5"],
            env,
            "report",
        )
        median = re.search(r"median of \d+: ([\d.]+) s", out).group(1)
        rows.append(
            (
                "quarterly national report",
                f"{args.persons:,} cases",
                f"median {median} s",
                "under 1 s",
                out.strip().splitlines()[-1],
            )
        )
    finally:
        if not args.keep:
            psql(root, f"DROP DATABASE IF EXISTS {name}")
    write(rows, args)


def write(rows, args) -> None:
    command = "python bench/run.py" + (
        f" --persons {args.persons}" if args.persons != 20_000 else ""
    )
    lines = [
        SECTION,
        "",
        f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL at BENCH_DATABASE_ROOT, with "
        f"`{command}`. Each figure from the same run.",
        "",
        "| what | size | measured | target | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {w} | {s} | {m} | {t} | {d} |" for w, s, m, t, d in rows]
    for line in lines:
        print(line)
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    block = "\n".join(lines) + "\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + block + (text[end:] if end != -1 else "")
    else:
        text = text.rstrip() + "\n\n" + block
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
