"""`make bench`: build a synthetic registry in a fresh PostgreSQL database and measure it.

    python bench/run.py                      # 20,000 persons: a few minutes
    python bench/run.py --persons 1000000    # the full target size (SQLite: 100,000)
    python bench/run.py --skip-load          # without the load benchmark (no locust needed)

Steps, each timed in the same run: `haven synth --persons N` (COPY), the reception lookup
(bench/lookup_bench.py), the quarterly report on that registry (bench/report_bench.py
--no-load) and the web pages under load (bench/load_bench.py: gunicorn and locust, 20
users). Then the same load benchmark on SQLite, on a registry a tenth of the size built with
`haven migrate` and `haven synth` in a temporary file. Results are printed and written to
docs/performance.md under "Registry benchmarks", with the date, machine and command. Needs
PostgreSQL at BENCH_DATABASE_ROOT (default postgres://postgres@127.0.0.1:5432) and locust
(the [bench] extra); never run as a test.
"""

import argparse
import atexit
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
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


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_rows(env, label: str, size: str, args) -> list[tuple]:
    """bench/load_bench.py on env's DATABASE_URL; one row per endpoint and one for memory."""
    say(f"load benchmark on {label}: {args.users} users, {args.load_duration:.0f} s")
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "load.json"
        run(
            [
                sys.executable,
                "bench/load_bench.py",
                "--database-url",
                env["DATABASE_URL"],
                "--users",
                str(args.users),
                "--duration",
                str(args.load_duration),
                "--out",
                str(out),
            ],
            env,
            f"load benchmark ({label})",
        )
        result = json.loads(out.read_text(encoding="utf-8"))
    rows = []
    for row in result["endpoints"]:
        if row["target_p95_ms"] is None:
            continue  # the reception form's GET and the sign-in: in the JSON, not the table
        measured = "no request" if row["p95_ms"] is None else f"p95 {row['p95_ms']:.0f} ms"
        if row["failures"]:
            measured += f", {row['failures']} failed"
        server = row["server_p95_ms"]
        rows.append(
            (
                f"{row['endpoint']} under load ({label})",
                size,
                measured,
                f"p95 under {row['target_p95_ms']} ms, no failure",
                f"{row['requests']} requests, {row['failures']} failed, "
                f"p50 {row['p50_ms'] or 0:.0f} ms, max {row['max_ms'] or 0:.0f} ms; "
                f"server-side p95 {'—' if server is None else f'{server:.0f} ms'}",
            )
        )
    rss = result["worker_rss"]
    load = result["load_average"]
    rows.append(
        (
            f"gunicorn worker peak RSS ({label})",
            size,
            f"{rss['peak_mb']:.0f} MB",
            f"under {rss['target_mb']} MB",
            f"{result['workers']} sync workers, {result['users']} users "
            f"({result['analysts']} on the dashboard), {result['requests_per_s']} requests/s "
            f"over {result['duration_s']:.0f} s; load average {load[0][0]} to {load[-1][0]}",
        )
    )
    return rows


def psql(root, sql):
    subprocess.run(["psql", "-q", f"{root}/postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--users", type=int, default=20, help="load benchmark: users")
    parser.add_argument(
        "--load-duration", type=float, default=60, help="load benchmark: seconds measured"
    )
    parser.add_argument("--skip-load", action="store_true", help="no load benchmark")
    parser.add_argument(
        "--database", help="PostgreSQL database to (re)create; default haven_bench_PERSONS"
    )
    args = parser.parse_args()
    if not args.skip_load and importlib.util.find_spec("locust") is None:
        raise SystemExit(
            "the load benchmark needs locust: "
            '.venv/bin/pip install -c requirements.lock -e ".[bench]" (or pass --skip-load)'
        )
    root = os.environ.get("BENCH_DATABASE_ROOT", "postgres://postgres@127.0.0.1:5432")
    name = args.database or f"haven_bench_{args.persons}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"--database: {name!r} is not a plain PostgreSQL name")
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
    if not os.environ.get("HAVEN_VAR_DIR"):  # static files collected by the load benchmark
        atexit.register(shutil.rmtree, env["HAVEN_VAR_DIR"], True)
    psql(root, f"DROP DATABASE IF EXISTS {name}")
    psql(root, f"CREATE DATABASE {name}")
    rows = []
    size = f"{args.persons:,} persons"
    try:
        say(f"PostgreSQL registry {name}: migrate, synth")
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
        # What autovacuum does to a new registry in its first hour: the visibility map that
        # index-only scans (the lookup, the report) rely on, and fresh statistics.
        say("VACUUM (ANALYZE)")
        vacuum_s, _ = run(
            ["psql", "-q", env["DATABASE_URL"], "-c", "VACUUM (ANALYZE)"], env, "vacuum"
        )
        rows.append(
            (
                "VACUUM (ANALYZE) after synth",
                f"{args.persons:,} persons",
                f"{vacuum_s:.0f} s",
                "—",
                "run once, as autovacuum would; the lookup and report below follow it",
            )
        )
        say("reception lookup")
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
        # The quarterly report on the synthetic registry just built, as it is.
        say("quarterly report")
        _, out = run(
            [
                sys.executable,
                "bench/report_bench.py",
                "--database-url",
                env["DATABASE_URL"],
                "--no-load",
                "--runs",
                "5",
            ],
            env,
            "report",
        )
        median = re.search(r"median of \d+: ([\d.]+) s", out).group(1)
        cases = re.search(r"cases in database: ([\d,]+)", out).group(1)
        rows.append(
            (
                "quarterly national report",
                f"{cases} cases",
                f"median {median} s",
                "under 1 s",
                out.strip().splitlines()[-1],
            )
        )
        if not args.skip_load:
            rows += load_rows(env, "PostgreSQL", f"{size}, {args.users} users", args)
    finally:
        if not args.keep:
            psql(root, f"DROP DATABASE IF EXISTS {name}")
    if not args.skip_load:
        rows += sqlite_rows(env, args)
    write(rows, args)


def sqlite_rows(env, args) -> list[tuple]:
    """The load benchmark on SQLite, on a registry a tenth of the size in a temporary file."""
    persons = max(args.persons // 10, 1)
    folder = tempfile.mkdtemp(prefix="haven-bench-sqlite-")
    path = Path(folder) / "haven.sqlite3"
    sqlite_env = {**env, "DATABASE_URL": f"sqlite:///{path}"}  # sqlite:////tmp/...: absolute
    try:
        say(f"SQLite registry {path}: migrate, synth {persons:,} persons")
        run([*HAVEN, "migrate", "-v", "0"], sqlite_env, "migrate (SQLite)")
        synth_s, out = run(
            [*HAVEN, "synth", "--persons", str(persons), "--batch", "20000"],
            sqlite_env,
            "synth (SQLite)",
        )
        size = f"{persons:,} persons"
        rows = [("haven synth (SQLite)", size, f"{synth_s:.0f} s", "—", out.strip())]
        rows += load_rows(sqlite_env, "SQLite", f"{size}, {args.users} users", args)
    finally:
        if args.keep:
            print(f"kept the SQLite registry: {path}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return rows


def write(rows, args) -> None:
    command = "python bench/run.py" + (
        f" --persons {args.persons}" if args.persons != 20_000 else ""
    )
    if args.users != 20:
        command += f" --users {args.users}"
    if args.load_duration != 60:
        command += f" --load-duration {args.load_duration:g}"
    if args.skip_load:
        command += " --skip-load"
    lines = [
        SECTION,
        "",
        f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL at BENCH_DATABASE_ROOT, with "
        f"`{command}`. Each figure from the same run; the SQLite rows on a registry a tenth "
        f"of the size.",
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
