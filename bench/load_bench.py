"""Load benchmark (not a test): Haven's production server under concurrent users.

    python bench/load_bench.py --database-url postgres://postgres@127.0.0.1:5432/haven_bench_20000
    python bench/load_bench.py --database-url /tmp/registry.sqlite3 --users 20 --duration 60 \
        --out /tmp/load.json

The database must already be migrated and hold a registry made by `haven synth`; the run
adds persons and cases to it (every reception submitted), so never point it at real data.

1. Setup (Django ORM, in a subprocess with the same environment): a case worker
   `loadbench-officer` in the synth organisation that owns the most cases, and an analyst
   `loadbench-analyst` in `loadbench-national`, an organisation serving no province (so a
   national statistics scope). Idempotent; 2FA off (HAVEN_2FA_REQUIRED=0). On PostgreSQL,
   ANALYZE, as autovacuum would have done after `haven synth`.
2. `haven collectstatic` into HAVEN_VAR_DIR (unless its manifest is newer than every
   static file), then gunicorn with deploy/gunicorn.conf.py,
   DEBUG off, HTTPS on as in production (the clients send X-Forwarded-Proto as the TLS proxy
   would), on 127.0.0.1 and a free port, with --workers sync workers (default as deployed:
   2 × cores + 1, gunicorn's advice, which deploy/gunicorn.conf.py follows). Waits for /ready/.
3. locust (as a library, FastHttpUser) only on loopback: --users simulated users, --analysts
   of them analysts opening the reports dashboard, the others case workers who search cases
   by name (common family + given names of their own cases), open case overviews, open the
   work inbox and submit the police reception form (GET for the CSRF token, then POST a new
   person; if Haven shows likely matches, the answer "new person" is posted). Each user signs
   in once and waits --wait seconds between actions. Once every user has signed in and
   --warmup seconds have passed, requests starting in the next --duration seconds count.
4. Every request with an unexpected status (anything but 200, or the 302 of a saved
   reception) is a failure, counted and reported per endpoint with its reason.
5. Peak RSS of each gunicorn worker: psutil, sampled twice a second, and VmHWM from
   /proc/PID/status (the kernel's high-water mark) where there is one.

Prints per endpoint: requests, failures, p50 and p95 (client side, ms) and p95 of the time
gunicorn logged (server side), next to the targets; and peak worker RSS. --out writes JSON.
"""

import argparse
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAVEN = [sys.executable, "-m", "haven"]
OFFICER, ANALYST = "loadbench-officer", "loadbench-analyst"
NATIONAL_ORG = "loadbench-national"
ROUTE = "police"  # the reception form with no required route-specific field

# (endpoint, p95 target in ms or None); the order of the printed table.
ENDPOINTS = [
    ("case search", 150),
    ("case detail", 150),
    ("reception form", None),
    ("reception submit", 150),
    ("work inbox", 150),
    ("reports dashboard", 500),
    ("sign-in page", None),
    ("sign-in", None),
]
RSS_TARGET_MB = 300

# Same defaults as bench/run.py: the keys must be the ones the registry was written with.
DEFAULT_ENV = {
    "HAVEN_SECRET_KEY": "bench-secret",
    "HAVEN_INDEX_KEY": "bench-index",
    "HAVEN_FIELD_KEYS": "KBznjYTEjD-P4BTjWuN22Neqmr90KTxRUXJ1SMMPadE=",
}


# -- setup, run in a subprocess --------------------------------------------------------------
def setup() -> None:
    """Create the two users (idempotently) and print what the simulated users need."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from axes.models import AccessAttempt
    from django.db import connection
    from django.db.models import Count

    from haven.agencies.models import (
        FrameworkRole,
        Membership,
        Organisation,
        OrganisationKind,
        Role,
        User,
    )
    from haven.cases.models import Case
    from haven.people.models import Person
    from haven.places.models import Commune, Country, Ethnicity

    owners = (
        Case.objects.filter(owner__code__startswith="synth-")
        .exclude(owner__code="synth-mission")
        .values("owner")
        .annotate(n=Count("id"))
        .order_by("-n", "owner")
    )
    top = owners.first()
    if top is None:
        raise SystemExit("no synthetic registry here: run `haven synth --persons N` first")
    org = Organisation.objects.get(pk=top["owner"])
    province = org.provinces.order_by("pk").first()
    password = os.environ["LOADBENCH_PASSWORD"]

    def user(username: str, organisation, role: str) -> None:
        account, _ = User.objects.get_or_create(username=username)
        account.set_password(password)
        account.is_active = True
        account.save()
        Membership.objects.update_or_create(
            user=account, organisation=organisation, role=role, defaults={"is_active": True}
        )
        Membership.objects.filter(user=account).exclude(
            organisation=organisation, role=role
        ).update(is_active=False)

    national, _ = Organisation.objects.get_or_create(
        code=NATIONAL_ORG,
        defaults={
            "name_vi": "Bộ (đo tải)",
            "name_en": "Ministry (load benchmark)",
            "kind": OrganisationKind.MINISTRY,
            "framework_role": FrameworkRole.SOCIAL_AFFAIRS,
        },
    )
    national.provinces.clear()  # serving no province is what makes the scope national
    user(OFFICER, org, Role.CASE_WORKER)
    user(ANALYST, national, Role.ANALYST)
    AccessAttempt.objects.filter(username__in=[OFFICER, ANALYST]).delete()
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production: right after `haven synth`
        # (COPY) there are none, and without them the planner picks plans that are orders of
        # magnitude slower (the dashboard's days-to-first-service query, for one).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    own = Case.objects.filter(owner=org)
    pairs = Counter()
    for full_name in own.values_list("person__full_name", flat=True).iterator():
        words = full_name.split()
        if len(words) >= 2:
            pairs[f"{words[0]} {words[-1]}"] += 1
    countries = dict(Country.objects.filter(code__in=["VN", "CN", "KH"]).values_list("code", "pk"))
    data = {
        "vendor": connection.vendor,
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "organisation": {"id": org.pk, "code": org.code, "cases": top["n"]},
        "province": province.pk,
        "communes": list(
            Commune.objects.filter(province=province)
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        ),
        "ethnicities": list(
            Ethnicity.objects.filter(code__in=["01", "08", "03"]).values_list("pk", flat=True)
        ),
        "nationality": countries.get("VN"),
        "destinations": [countries[c] for c in ("CN", "KH") if c in countries],
        "names": [name for name, _ in pairs.most_common(25)],
        "references": list(own.order_by("?").values_list("reference", flat=True)[:1000]),
    }
    data["static_fresh"] = static_fresh()
    print(json.dumps(data))


def static_fresh() -> bool:
    """Whether STATIC_ROOT's manifest is newer than every static source file, so that
    collectstatic (minutes on a busy machine when brotli is installed) can be skipped."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = 0.0
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            newest = max(newest, os.stat(storage.path(path)).st_mtime)
    return manifest.stat().st_mtime > newest


# -- the server ------------------------------------------------------------------------------
def bench_env(database_url: str, var_dir: str) -> dict:
    if "://" not in database_url:  # a path: the sqlite:/// form settings.py itself uses
        database_url = f"sqlite:///{Path(database_url).resolve()}"
    env = {**DEFAULT_ENV, **os.environ}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="haven.settings",
        HAVEN_VAR_DIR=var_dir,
        HAVEN_DEMO="0",
        HAVEN_DEBUG="0",
        HAVEN_2FA_REQUIRED="0",
        HAVEN_ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def say(message: str) -> None:
    print(f"[load bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_output(cmd, env, label) -> str:
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"load bench: {label} failed")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(base: str, server, timeout: float = 120) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/ready/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code} {error.read()[:300].decode('utf-8', 'replace')}"
            if error.code == 503 and "migrations pending" in last:
                break  # will not become ready by waiting
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        time.sleep(0.5)
    raise SystemExit(f"gunicorn was not ready at {base}/ready/: {last}")


def stop(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of master and workers
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class RssSampler:
    """Peak resident memory of every gunicorn worker seen (workers restart after
    max_requests, so new pids appear): psutil's RSS where psutil is installed (locust
    depends on it), and the kernel's high-water mark VmHWM from /proc/PID/status."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.peaks: dict[int, float] = {}
        try:
            import psutil
        except ImportError:
            psutil = None
        self.psutil = psutil

    def _workers(self) -> list[int]:
        if self.psutil is not None:
            try:
                return [p.pid for p in self.psutil.Process(self.master_pid).children()]
            except self.psutil.Error:
                return []
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.master_pid:  # field 4: ppid
                found.append(int(entry.name))
        return found

    def _rss_mb(self, pid: int) -> float:
        if self.psutil is None:
            return 0.0
        try:
            return self.psutil.Process(pid).memory_info().rss / 2**20
        except self.psutil.Error:
            return 0.0

    @staticmethod
    def _hwm_mb(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def sample(self) -> None:
        for pid in self._workers():
            peak = max(self._rss_mb(pid), self._hwm_mb(pid), self.peaks.get(pid, 0.0))
            if peak:
                self.peaks[pid] = peak


# -- the load --------------------------------------------------------------------------------
def drive(base: str, data: dict, password: str, args, sampler, log_path: Path) -> dict:
    """Run locust in this process for warm-up + duration seconds; returns raw measurements."""
    import datetime
    import random
    import zoneinfo
    from http.cookiejar import DefaultCookiePolicy
    from urllib.parse import quote, urlencode

    import gevent
    from locust import between, events, task
    from locust.contrib.fasthttp import FastHttpUser
    from locust.env import Environment
    from locust.exception import StopUser

    sys.path.insert(0, str(ROOT / "src"))
    from haven.people.names import random_name

    local = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    origin = base.replace("http://", "https://")
    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    error_re = re.compile(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', re.S)
    window = {"start": math.inf, "end": math.inf}
    times: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, Counter] = defaultdict(Counter)
    outcomes = Counter()
    signed_in: list[str | None] = []  # one entry per user whose sign-in ended (None: refused)

    def on_request(request_type, name, response_time, exception, start_time, **_):
        if not name.startswith("sign-in") and not window["start"] <= start_time < window["end"]:
            return
        times[name].append(response_time)
        if exception is not None:
            failures[name][str(exception)[:200]] += 1

    events.request.add_listener(on_request)

    class Haven(FastHttpUser):
        abstract = True
        host = base
        wait_time = between(*args.wait)
        network_timeout = connection_timeout = 60.0
        username = ""

        def _headers(self, post: bool = False) -> dict:
            headers = {"X-Forwarded-Proto": "https"}  # as the TLS proxy sets it
            if post:
                headers["Origin"] = origin
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            return headers

        def page(self, path: str, name: str):
            """GET expecting 200; a redirect (to the sign-in page) is a failure too."""
            with self.client.get(
                path,
                name=name,
                headers=self._headers(),
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    response.success()
                else:
                    where = response.headers.get("Location") or ""
                    response.failure(f"HTTP {response.status_code} {where.split('?')[0]}")
                return response

        def post(self, path: str, name: str, fields: dict):
            return self.client.post(
                path,
                data=urlencode(fields, doseq=True),
                name=name,
                headers=self._headers(post=True),
                allow_redirects=False,
                catch_response=True,
            )

        def on_start(self):
            # Haven's cookies are Secure (HTTPS on, as in production); the clients speak plain
            # HTTP on loopback, as a TLS proxy does to gunicorn, so send them anyway.
            self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("http",)))
            response = self.page("/accounts/login/", "sign-in page")
            match = token_re.search(response.text or "")
            if match is None:
                signed_in.append(None)
                raise StopUser()
            fields = {
                "csrfmiddlewaretoken": match.group(1),
                "username": self.username,
                "password": password,
                "next": "/",
            }
            with self.post("/accounts/login/", "sign-in", fields) as response:
                where = response.headers.get("Location") or ""
                if response.status_code == 302 and "/accounts/login" not in where:
                    response.success()
                    signed_in.append(self.username)
                    return
                response.failure(f"sign-in refused: HTTP {response.status_code}")
            signed_in.append(None)
            raise StopUser()

    rng = random.Random(args.seed)
    names = data["names"] or ["Nguyễn"]
    references = data["references"]

    class Officer(Haven):
        username = OFFICER

        @task(3)
        def search(self):
            self.page("/cases/?" + urlencode({"q": rng.choice(names)}), "case search")

        @task(3)
        def detail(self):
            self.page(f"/cases/{quote(rng.choice(references))}/", "case detail")

        @task(2)
        def inbox(self):
            self.page("/inbox/", "work inbox")

        @task(1)
        def reception(self):
            path = f"/receptions/new/{ROUTE}/"
            form = self.page(path, "reception form")
            match = token_re.search(form.text or "") if form.status_code == 200 else None
            if match is None:
                return
            fields = self.person(match.group(1))
            for attempt in range(2):
                with self.post(path, "reception submit", fields) as response:
                    status = response.status_code
                    if status == 302 and "/cases/" in (response.headers.get("Location") or ""):
                        response.success()
                        outcomes["saved" if attempt == 0 else "saved after matches"] += 1
                        return
                    if status == 200 and attempt == 0:  # likely matches shown: a new person
                        response.success()
                        outcomes["likely matches shown"] += 1
                        fields["match_choice"] = "new"
                        continue
                    errors = error_re.findall(response.text or "")[:2]
                    response.failure(f"HTTP {status} {'; '.join(errors)}".strip())
                    return

        def person(self, token: str) -> dict:
            sex = "F" if rng.random() < 0.8 else "M"
            family, middle, given = random_name(rng, sex)
            now = datetime.datetime.now(local)
            received = now - datetime.timedelta(minutes=rng.randint(30, 600))
            born = datetime.date(rng.randint(1980, 2009), rng.randint(1, 12), rng.randint(1, 28))
            fields = {
                "csrfmiddlewaretoken": token,
                "organisation": data["organisation"]["id"],
                "received_at": received.strftime("%Y-%m-%dT%H:%M"),
                "province": data["province"],
                "commune": rng.choice(data["communes"]) if data["communes"] else "",
                "full_name": f"{family} {middle} {given}",
                "sex": sex,
                "date_of_birth": born.isoformat(),
                "ethnicity": rng.choice(data["ethnicities"]) if data["ethnicities"] else "",
                "nationality": data["nationality"] or "",
                "phone": f"09{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.5 else "",
                "home_province": data["province"],
                "home_address": f"Thôn {rng.randint(1, 20)}",
                "police_operation": "Load benchmark",
                "destination_country": rng.choice(data["destinations"] or [""]),
                "exploitation_forms": [rng.choice(["sexual", "forced_labour", "online_scam"])],
                "recruitment": "online",
                "need_food": "on",
                "need_shelter": "on",
                "match_choice": "",
            }
            for prefix, total in (("child", 2), ("doc", 1)):
                fields.update(
                    {
                        f"{prefix}-TOTAL_FORMS": total,
                        f"{prefix}-INITIAL_FORMS": 0,
                        f"{prefix}-MIN_NUM_FORMS": 0,
                        f"{prefix}-MAX_NUM_FORMS": 10,
                    }
                )
            return fields

    class Analyst(Haven):
        username = ANALYST
        fixed_count = args.analysts

        @task
        def dashboard(self):
            self.page("/reports/", "reports dashboard")

    environment = Environment(user_classes=[Officer, Analyst], events=events, host=base)
    runner = environment.create_local_runner()

    def sample_forever():
        while True:
            sampler.sample()
            gevent.sleep(0.5)

    sampling = gevent.spawn(sample_forever)
    load = [os.getloadavg()]
    say(f"ready; {args.users} users signing in")
    runner.start(args.users, spawn_rate=args.spawn_rate)
    # Sign-ins (argon2, 20 at once) are not part of the measured work: wait for them all.
    deadline = time.monotonic() + 180
    while len(signed_in) < args.users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    say(f"{len(signed_in)} signed in; warm-up {args.warmup:.0f} s, measuring {args.duration:.0f} s")
    gevent.sleep(args.warmup)
    log_start = log_path.stat().st_size
    window["start"] = time.time()
    gevent.sleep(args.duration)
    window["end"] = time.time()
    log_end = log_path.stat().st_size
    load.append(os.getloadavg())
    runner.quit()
    sampler.sample()
    sampling.kill()
    return {
        "times": times,
        "failures": failures,
        "outcomes": outcomes,
        "log_window": (log_start, log_end),
        "load_average": load,
        "measured_s": window["end"] - window["start"],
        "signed_in": Counter(name or "refused" for name in signed_in),
        "client_exceptions": len(runner.exceptions),
    }


# -- the report ------------------------------------------------------------------------------
ACCESS_RE = re.compile(r'"(GET|POST) (\S+)" (\d{3}) \S+ (\d+)ms')


def server_times(log_path: Path, window: tuple[int, int]) -> dict[str, list[float]]:
    """Request times gunicorn logged (%(M)s) in the measured window, by endpoint."""
    with open(log_path, "rb") as log:
        log.seek(window[0])
        text = log.read(window[1] - window[0]).decode("utf-8", "replace")
    found: dict[str, list[float]] = defaultdict(list)
    for method, path, _status, ms in ACCESS_RE.findall(text):
        if path == "/cases/":
            name = "case search"
        elif path.startswith("/cases/"):
            name = "case detail"
        elif path.startswith("/receptions/new/"):
            name = "reception submit" if method == "POST" else "reception form"
        elif path == "/inbox/":
            name = "work inbox"
        elif path == "/reports/":
            name = "reports dashboard"
        else:
            continue
        found[name].append(float(ms))
    return found


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def summarise(data: dict, raw: dict, server: dict, peaks: dict, args) -> dict:
    rows = []
    for name, target in ENDPOINTS:
        values = raw["times"].get(name, [])
        failed = raw["failures"].get(name, Counter())
        p95 = percentile(values, 0.95)
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "failures": sum(failed.values()),
                "failure_reasons": dict(failed.most_common(5)),
                "p50_ms": statistics.median(values) if values else None,
                "p95_ms": p95,
                "max_ms": max(values) if values else None,
                "server_p50_ms": percentile(server.get(name, []), 0.5),
                "server_p95_ms": percentile(server.get(name, []), 0.95),
                "target_p95_ms": target,
                "met": None if target is None or p95 is None else p95 < target,
            }
        )
    counted = [r for r in rows if not r["endpoint"].startswith("sign-in")]
    peak = max(peaks.values()) if peaks else None
    return {
        "database": data["vendor"],
        "persons": data["persons"],
        "cases": data["cases"],
        "organisation": data["organisation"],
        "users": args.users,
        "analysts": args.analysts,
        "wait_s": list(args.wait),
        "warmup_s": args.warmup,
        "duration_s": round(raw["measured_s"], 1),
        "workers": args.workers,
        "requests": sum(r["requests"] for r in counted),
        "failures": sum(r["failures"] for r in counted),
        "requests_per_s": round(sum(r["requests"] for r in counted) / raw["measured_s"], 1),
        "receptions": dict(raw["outcomes"]),
        "signed_in": dict(raw["signed_in"]),
        "client_exceptions": raw["client_exceptions"],
        "load_average": [[round(x, 2) for x in sample] for sample in raw["load_average"]],
        "endpoints": rows,
        "worker_rss": {
            "peak_mb": round(peak, 1) if peak is not None else None,
            "target_mb": RSS_TARGET_MB,
            "met": None if peak is None else peak < RSS_TARGET_MB,
            "per_worker_mb": {str(pid): round(mb, 1) for pid, mb in sorted(peaks.items())},
        },
    }


def show(result: dict) -> None:
    def ms(value):
        return "—" if value is None else f"{value:.0f}"

    print(
        f"{result['database']}: {result['persons']:,} persons, {result['cases']:,} cases; "
        f"{result['users']} users ({result['analysts']} analysts), {result['workers']} gunicorn "
        f"workers, {result['duration_s']:.0f} s measured after {result['warmup_s']:.0f} s "
        f"warm-up; {result['requests_per_s']} requests/s"
    )
    print(
        f"signed in: {result['signed_in']}; receptions: {result['receptions']}; "
        f"exceptions in the load generator: {result['client_exceptions']}"
    )
    header = f"{'endpoint':<18} {'requests':>8} {'failed':>6} {'p50':>6} {'p95':>6} "
    print(header + f"{'server p95':>10} {'target p95':>10}  met")
    for row in result["endpoints"]:
        target = "—" if row["target_p95_ms"] is None else f"< {row['target_p95_ms']}"
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        print(
            f"{row['endpoint']:<18} {row['requests']:>8} {row['failures']:>6} "
            f"{ms(row['p50_ms']):>6} {ms(row['p95_ms']):>6} {ms(row['server_p95_ms']):>10} "
            f"{target:>10}  {met}"
        )
        for reason, count in row["failure_reasons"].items():
            print(f"    {count} × {reason}")
    rss = result["worker_rss"]
    met = {True: "yes", False: "NO", None: ""}[rss["met"]]
    print(
        f"peak worker RSS: {rss['peak_mb']} MB (target < {rss['target_mb']} MB) {met}; "
        f"per worker: {rss['per_worker_mb']}"
    )
    print(f"load average (1, 5, 15 min) at start and end: {result['load_average']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://... or a SQLite file's path")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--analysts", type=int, default=2, help="of --users: the dashboard's")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("MIN", "MAX"),
        help="seconds a user waits between actions",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() * 2 + 1,
        help="gunicorn sync workers (default: as deploy/gunicorn.conf.py, 2 × cores + 1)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    if not args.database_url:
        parser.error("--database-url is required")
    if not 0 <= args.analysts < args.users:
        parser.error("--analysts must be fewer than --users")
    # locust monkey-patches the standard library with gevent: import it before anything
    # else opens sockets or starts processes.
    import locust  # noqa: F401

    work = Path(tempfile.mkdtemp(prefix="haven-load-"))
    var_dir = os.environ.get("HAVEN_VAR_DIR") or str(work / "var")
    env = bench_env(args.database_url, var_dir)
    password = secrets.token_urlsafe(18)
    say("setup: benchmark users")
    out = check_output(
        [sys.executable, __file__, "--setup"], {**env, "LOADBENCH_PASSWORD": password}, "setup"
    )
    data = json.loads(out.strip().splitlines()[-1])
    if not data["references"]:
        raise SystemExit("the benchmark organisation owns no case")
    organisation = data["organisation"]
    say(f"{organisation['code']} owns {organisation['cases']:,} cases")
    if not data["static_fresh"]:
        say(f"collectstatic into {var_dir}")
        check_output([*HAVEN, "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = work / "gunicorn-access.log"
    server_env = {**env, "HAVEN_BIND": f"127.0.0.1:{port}", "HAVEN_WORKERS": str(args.workers)}
    with open(log_path, "wb") as access, open(work / "gunicorn-error.log", "wb") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "haven.wsgi"],
            env=server_env,
            cwd=ROOT,
            stdout=access,
            stderr=errors,
        )
    try:
        say(f"gunicorn, {args.workers} workers, on {base}")
        wait_ready(base, server)
        sampler = RssSampler(server.pid)
        raw = drive(base, data, password, args, sampler, log_path)
    finally:
        stop(server)
    result = summarise(data, raw, server_times(log_path, raw["log_window"]), sampler.peaks, args)
    result["logs"] = str(work)
    if not os.environ.get("HAVEN_VAR_DIR"):
        shutil.rmtree(var_dir, ignore_errors=True)  # static files: collected again next time
    show(result)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
