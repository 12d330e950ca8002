"""Background jobs, created by a view, run by `haven worker`: long exports, and the
registry-wide search for duplicates (queued by `people.actions.queue_registry_search`).

An export's parameters hold the period, the provinces the requester may count (fixed when
asked, so a job never widens its scope later), the release flag and the format; never
anything about a person. Its result is a file under PROTECTED_FILES_DIR/reports, served only
to the requester. A registry search writes pairs to the review queue and keeps their count.
"""

import datetime
import logging
import secrets
import threading

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from haven.audit import log as audit
from haven.people.actions import dedupe_registry
from haven.reports import exports, htcds, pdf, statistics
from haven.reports.models import ReportJob
from haven.reports.periods import Period

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 30

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def storage_dir():
    path = settings.PROTECTED_FILES_DIR / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def create(
    *,
    user,
    organisation_id,
    kind,
    fmt,
    period: Period,
    scope,
    province=None,
    release=True,
    language="vi",
) -> ReportJob:
    provinces = sorted(scope.provinces) if not scope.national else None
    if province is not None:
        provinces = [province]
    job = ReportJob.objects.create(
        kind=kind,
        format=fmt,
        requested_by=user,
        params={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "provinces": provinces,
            "release": bool(release),
            "language": language,
        },
    )
    audit.record(
        "report.job.create",
        user=user,
        organisation=organisation_id,
        obj=job,
        details={"kind": kind, "format": fmt, **job.params},
    )
    return job


def claim_next() -> ReportJob | None:
    """The oldest waiting job, marked running; None if there is none. A conditional UPDATE
    makes the claim safe when several workers run."""
    for job in ReportJob.objects.filter(status=ReportJob.Status.PENDING).order_by("created_at")[:5]:
        now = timezone.now()
        claimed = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.PENDING).update(
            status=ReportJob.Status.RUNNING, started_at=now, heartbeat_at=now, progress=1
        )
        if claimed:
            job.refresh_from_db()
            return job
    return None


def _progress(job):
    def report(fraction, message=""):
        ReportJob.objects.filter(pk=job.pk).update(
            progress=max(1, min(99, int(fraction * 100))),
            message=str(message)[:200],
            heartbeat_at=timezone.now(),
        )

    return report


def scope_label(provinces) -> str:
    from haven.places.models import Province

    if provinces is None:
        return _("whole country")
    names = Province.objects.filter(id__in=provinces).order_by("name_vi")
    return ", ".join(p.name for p in names)


def produce(kind: str, fmt: str, params: dict, progress=None) -> tuple[bytes, str]:
    """(content, file name) of a report; the same code serves jobs and the command line."""
    period = Period(
        datetime.date.fromisoformat(params["start"]), datetime.date.fromisoformat(params["end"])
    )
    provinces = params.get("provinces")
    release = params.get("release", True)
    stem = f"haven-{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    with override(params.get("language") or "vi"):
        label = scope_label(provinces)
        if kind == ReportJob.Kind.HTCDS:
            records, _levels, _left_out = htcds.export(period, provinces)
            if fmt == "xlsx":
                return exports.records_xlsx(records, htcds.FIELDS), f"{stem}.xlsx"
            return exports.records_csv(records, htcds.FIELDS), f"{stem}.csv"
        loaded = statistics.load(period, provinces, progress=progress)
        if fmt == "pdf":
            return pdf.render(loaded, scope_label=label, release=release), f"{stem}.pdf"
        report = statistics.assemble(loaded, scope_label=label)
        if release:
            statistics.release(report)
        if fmt == "xlsx":
            return exports.report_xlsx(report), f"{stem}.xlsx"
        return exports.report_csv(report), f"{stem}.csv"


def _export(job: ReportJob) -> dict:
    content, file_name = produce(job.kind, job.format, job.params, _progress(job))
    storage_name = secrets.token_hex(16)
    (storage_dir() / storage_name).write_bytes(content)
    return {"file_name": file_name, "storage_name": storage_name}


def _search_registry(job: ReportJob) -> dict:
    with override(job.params.get("language") or "vi"):
        added = dedupe_registry(progress=_progress(job))
    return {"result": {"added": added}}


def _audit(job: ReportJob, outcome: str, **details) -> None:
    prefix = "report.job" if job.kind in ReportJob.EXPORT_KINDS else "match.registry_search"
    audit.record(
        f"{prefix}.{outcome}",
        obj=job,
        details={
            "kind": job.kind,
            "format": job.format,
            "requested_by": job.requested_by_id,
            **details,
        },
    )


def run(job: ReportJob) -> ReportJob:
    """Run a claimed job to the end, recording success or failure, each with an audit
    record. A failure keeps only the error's type as its message: its text might name a
    person; the traceback goes to the worker's log."""
    work = _export if job.kind in ReportJob.EXPORT_KINDS else _search_registry
    try:
        with Heartbeat(job):
            outcome = work(job)
    except Exception as error:  # a failed job is shown as failed, the worker goes on
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, type(error).__name__, error=type(error).__name__)
        job.refresh_from_db()
        return job
    with transaction.atomic():
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.DONE,
            progress=100,
            message="",
            finished_at=timezone.now(),
            **outcome,
        )
        job.refresh_from_db()
        _audit(job, "done", **job.result)
    return job


def read(job: ReportJob) -> bytes:
    return (storage_dir() / job.storage_name).read_bytes()


class Heartbeat(threading.Thread):
    """Touches a running job every HEARTBEAT_SECONDS, on a connection of its own, so a
    long step without progress is not taken for a dead worker."""

    def __init__(self, job: ReportJob):
        super().__init__(name=f"job-{job.pk}-heartbeat", daemon=True)
        self.job_id = job.pk
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                ReportJob.objects.filter(pk=self.job_id, status=ReportJob.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # the job itself goes on; at worst a later sweep fails it
            logger.exception("heartbeat of job %s stopped", self.job_id)
        finally:
            connections.close_all()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.join()


def fail_stale(now: datetime.datetime | None = None) -> int:
    """Fail the running jobs whose worker stopped (no heartbeat for
    HAVEN_JOB_STALE_SECONDS), so their requester sees it and may ask again (a registry
    search left "running" would otherwise refuse every new one). How many were failed."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.HAVEN_JOB_STALE_SECONDS)
    stale = ReportJob.objects.filter(status=ReportJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )
    failed = 0
    for job in stale:
        with override(job.params.get("language") or "vi"):
            message = _("The worker stopped before finishing; request it again.")
        failed += _fail(job, message, error="worker stopped", at=now)
    return failed


def _fail(job: ReportJob, message: str, *, error: str, at=None) -> bool:
    """Mark a running job failed with `message`, audited; False if it was no longer
    running (finished meanwhile)."""
    with transaction.atomic():
        if not ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.FAILED,
            finished_at=at or timezone.now(),
            message=str(message)[:200],
        ):
            return False
        job.refresh_from_db()
        _audit(job, "failed", error=error)
    return True


def run_pending(limit: int | None = None) -> int:
    """Run waiting jobs one after another; how many ran."""
    done = 0
    while limit is None or done < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        done += 1
    return done
