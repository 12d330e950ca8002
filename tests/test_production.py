"""Production serving: health and readiness, replica routing, log privacy, backups."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import RequestFactory

from haven import db_router
from haven.logs import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_health_and_readiness_answer_without_a_session(client):
    assert client.get("/health/").json() == {"status": "ok"}
    ready = client.get("/ready/")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "problems": []}
    assert "no-cache" in ready["Cache-Control"]


def test_reports_read_from_the_replica_only_when_asked_and_configured(settings):
    router = db_router.ReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    assert router.db_for_read(None) == "default"
    with db_router.reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("replica", "cases") is False


def test_without_a_replica_everything_reads_from_the_primary(settings):
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    with db_router.reading_from_replica():
        assert db_router.ReplicaRouter().db_for_read(None) == "default"


def test_json_logs_carry_the_path_but_never_the_query_string():
    request = RequestFactory().get("/cases/", {"q": "Nguyễn Thị Hoà"})
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s", (request.path,), None
    )
    record.request = request
    record.status_code = 400
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["path"] == "/cases/" and entry["status_code"] == 400
    assert "Hoà" not in line and "q=" not in line


@pytest.mark.django_db
def test_backup_restore_check_restores_every_row(settings):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{connection.settings_dict['NAME']}"
    )
    result = subprocess.run(
        [str(ROOT / "scripts" / "backup-restore-check")],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "restored identically" in result.stdout


@pytest.mark.django_db
def test_not_found_pages_use_haven_layout_in_the_users_language(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="vi"' in html and "<main" in html


def test_the_server_error_page_is_bilingual_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Đã xảy ra lỗi" in html and "Something went wrong" in html


def test_a_server_worker_builds_the_province_table_as_it_starts():
    """Matching a reception needs the province table (about 2 s to build): the WSGI module
    builds it when a worker loads it, so no request waits for it."""
    import importlib

    from haven import wsgi
    from haven.people.linkage import places

    places._province_table.cache_clear()
    importlib.reload(wsgi)
    assert places._province_table.cache_info().currsize == 1


def test_a_server_worker_freezes_what_it_loaded_out_of_full_garbage_collections(tmp_path):
    """A full collection walks every tracked object: about 250,000 in a worker that has
    served a few pages, 90-200 ms inside whichever request triggers it. Loading the WSGI
    module imports every view module and freezes what is loaded by then, so those passes
    skip it. Checked in a new interpreter, as a worker starts."""
    probe = (
        "import gc, sys\n"
        "import haven.wsgi\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()),"
        " 'haven.cases.views' in sys.modules, 'haven.reports.views' in sys.modules)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haven.settings",
        "HAVEN_DEMO": "1",  # throw-away secrets in tmp_path, whatever this shell exports
        "HAVEN_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # loading the module opens no connection either way
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    frozen, tracked, cases_views, reports_views = result.stdout.split()
    assert int(frozen) > 100_000
    assert int(tracked) < 1_000  # what the probe itself made after the freeze
    assert cases_views == reports_views == "True"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_postgresql_plans_for_a_registry_read_from_memory_or_ssd():
    """random_page_cost 1.1 (HAVEN_DB_RANDOM_PAGE_COST), not the spinning-disk default 4,
    with which the inbox of a large organisation scanned every case."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
