"""A real Haven server on loopback for the browser journeys: gunicorn, its own SQLite database.

The server runs as in production (debug off, manifest static files served by WhiteNoise,
CSP on) except for three settings a loopback test needs: `HAVEN_DEMO=1` so the demo
organisations and users exist, `HAVEN_HTTPS=0` because there is no TLS on loopback, and
`HAVEN_ALLOWED_HOSTS=127.0.0.1`.

Preparing a database (migrate, load_demo, collectstatic) takes about half a minute, so it is
done once per test session into a template folder; each server gets a copy of that folder.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
HAVEN = str(BIN / "haven")
GUNICORN = str(BIN / "gunicorn")

# Test-only secrets: the server's database lives in a temporary folder and is thrown away.
BASE_ENV = {
    "HAVEN_SECRET_KEY": "e2e-only-secret-key-not-for-production",
    "HAVEN_INDEX_KEY": "e2e-only-index-key",
    "HAVEN_FIELD_KEYS": "KBznjYTEjD-P4BTjWuN22Neqmr90KTxRUXJ1SMMPadE=",
    "HAVEN_DEMO": "1",
    "HAVEN_DEBUG": "0",
    "HAVEN_HTTPS": "0",
    "HAVEN_ALLOWED_HOSTS": "127.0.0.1",
    "HAVEN_LOG_LEVEL": "WARNING",
    "HAVEN_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


# Enough demo cases for lists and searches to have neighbours; fewer than the demo's 60 to
# keep the session's set-up short.
DEMO_CASES = 30


def _env(var_dir: Path, extra: dict | None = None) -> dict:
    # Haven's own settings module unless DJANGO_SETTINGS_MODULE names another on purpose.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env.pop("DATABASE_URL", None)  # always SQLite: the journeys must not touch a shared server
    env.update(BASE_ENV, HAVEN_VAR_DIR=str(var_dir), **(extra or {}))
    return env


def _run(args: list[str], env: dict, log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(args, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed; see {log}:\n{log.read_text()[-3000:]}")


def prepare_template(root: Path) -> Path:
    """A var folder with a migrated database, the demo data and collected static files."""
    var_dir = root / "template"
    var_dir.mkdir(parents=True)
    env = _env(var_dir)
    log = root / "prepare.log"
    _run([HAVEN, "migrate", "--noinput"], env, log)
    _run([HAVEN, "load_demo", "--cases", str(DEMO_CASES)], env, log)
    _run([HAVEN, "collectstatic", "--noinput"], env, log)
    return var_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HavenServer:
    """gunicorn serving Haven from a copy of the template var folder."""

    def __init__(self, template: Path, root: Path, name: str, extra_env: dict | None = None):
        self.var_dir = root / name
        shutil.copytree(template, self.var_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root / f"{name}.log"
        self.env = _env(self.var_dir, extra_env)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "HavenServer":
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "haven.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
                "--access-logfile",
                "-",
            ],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Haven server exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Haven server did not answer in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def fail_with_log(self, what: str):
        """Fail the test with `what` and the server's warnings (CSRF refusals name their cause)."""
        warnings = [
            line for line in self.log.read_text(errors="replace").splitlines() if "WARNING" in line
        ]
        raise AssertionError(f"{what}; server warnings:\n" + "\n".join(warnings[-5:]))

    def lookup(self, sql: str, *params) -> list[tuple]:
        """Read the server's database (ids of reference rows, which differ between machines;
        the journeys never write through this)."""
        uri = f"file:{self.var_dir / 'haven.sqlite3'}?mode=ro"
        with sqlite3.connect(uri, uri=True) as db:
            return db.execute(sql, params).fetchall()

    def id_of(self, table: str, code: str) -> str:
        """The primary key, as a form option value, of the row of `table` with `code`."""
        extra = " AND valid_to IS NULL" if table == "places_province" and code[0] != "L" else ""
        rows = self.lookup(f"SELECT id FROM {table} WHERE code = ?{extra}", code)  # noqa: S608
        assert len(rows) == 1, f"{table} {code!r}: {rows}"
        return str(rows[0][0])

    def haven(self, *args: str) -> str:
        """Run a `haven` management command against this server's database."""
        result = subprocess.run(  # noqa: S603
            [HAVEN, *args], env=self.env, capture_output=True, text=True, check=True
        )
        return result.stdout


def temp_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="haven-e2e-"))
