"""The registry-wide search for duplicates as a background job: queued from the review page
(or `haven dedupe_registry --queue`), run by `haven worker`, shown with its progress."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.agencies.models import OrganisationKind, Role
from haven.audit.models import AuditEvent
from haven.people import actions
from haven.people.models import MatchDecision
from haven.reports import jobs
from haven.reports.models import ReportJob
from tests.factories import OrganisationFactory, make_case, member, province

pytestmark = pytest.mark.django_db
SEARCH = "/people/matches/registry-search/"
PROGRESS = "/people/matches/registry-search/progress/"
BUTTON = "Search the whole registry for duplicates"


@pytest.fixture
def twins(personas):
    """Hoà twice at the Lào Cai border post, once without diacritics: one pair to find."""
    return [
        make_case(
            personas.border_guard,
            personas.border_post_laocai,
            person={"full_name": name, "phone": "0912345678"},
        ).person
        for name in ("Nguyễn Thị Hoà", "Nguyen Thi Hoa")
    ]


@pytest.fixture
def researcher(personas):
    """An analyst of an NGO in Hà Nội that works on no case: an unrelated organisation."""
    ngo = OrganisationFactory(code="ngo-research", kind=OrganisationKind.NGO)
    ngo.provinces.set([province("01")])
    return member(ngo, Role.ANALYST, "researcher.ngo")


def searches():
    return ReportJob.objects.filter(kind=ReportJob.Kind.REGISTRY_DEDUPE)


def test_the_button_queues_one_job_that_the_worker_runs_into_the_review_queue(
    personas, login, twins
):
    client = login(personas.border_guard)
    page = client.get("/people/matches/")
    assert BUTTON in page.content.decode() and page.context["pending"].count() == 0

    response = client.post(SEARCH, follow=True)
    job = searches().get()
    assert job.status == ReportJob.Status.PENDING and job.requested_by == personas.border_guard
    assert "is queued" in response.content.decode()
    assert "Waiting for the background worker" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="match.registry_search.queue", object_id=str(job.pk)
    ).exists()
    assert not MatchDecision.objects.exists()  # nothing ran in the request

    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.message
    assert job.progress == 100 and job.finished_at is not None
    assert job.result == {"added": 1}
    pair = MatchDecision.objects.get()
    assert pair.source == MatchDecision.Source.REGISTRY
    assert pair.decision == MatchDecision.Decision.PENDING
    assert {pair.person_a_id, pair.person_b_id} == {p.pk for p in twins}
    assert AuditEvent.objects.filter(
        action="match.registry_search.done", object_id=str(job.pk), details__added=1
    ).exists()

    page = client.get("/people/matches/")
    assert [m.pk for m in page.context["pending"]] == [pair.pk]
    assert "pairs added to the review queue: 1." in page.content.decode()


@pytest.mark.parametrize("status", [ReportJob.Status.PENDING, ReportJob.Status.RUNNING])
def test_a_second_click_while_a_search_waits_or_runs_queues_nothing(personas, login, twins, status):
    client = login(personas.border_guard)
    client.post(SEARCH)
    searches().update(status=status)
    response = client.post(SEARCH, follow=True)
    assert searches().count() == 1
    assert "already waiting or running" in response.content.decode()
    login(personas.social_worker).post(SEARCH)  # nor does a colleague elsewhere
    assert searches().count() == 1


def test_a_finished_search_can_be_run_again(personas, login, twins):
    client = login(personas.border_guard)
    client.post(SEARCH)
    call_command("worker", "--once")
    client.post(SEARCH)
    assert list(searches().values_list("status", flat=True)) == ["pending", "done"]


def test_the_database_holds_one_active_search_at_most(personas):
    ReportJob.objects.create(kind=ReportJob.Kind.REGISTRY_DEDUPE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(
            kind=ReportJob.Kind.REGISTRY_DEDUPE, status=ReportJob.Status.RUNNING
        )


@pytest.mark.parametrize("who", ["researcher", "analyst", "administrator"])
def test_who_may_not_review_matches_may_not_start_a_search(personas, login, twins, researcher, who):
    user = researcher if who == "researcher" else getattr(personas, who)
    client = login(user)
    assert client.post(SEARCH).status_code == 403
    assert client.get(PROGRESS).status_code == 403
    assert not searches().exists()
    assert client.get("/people/matches/").status_code == 404


def test_anonymous_is_sent_to_log_in(client, twins):
    response = client.post(SEARCH)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not searches().exists()


def test_a_reviewer_elsewhere_may_start_a_search_but_sees_no_pair_she_may_not_see(
    personas, login, twins
):
    client = login(personas.stranger)  # An Giang border post: reviews her own persons only
    assert client.post(SEARCH).status_code == 302
    call_command("worker", "--once")
    assert MatchDecision.objects.count() == 1
    assert list(client.get("/people/matches/").context["pending"]) == []


def test_a_failed_search_is_marked_failed_with_a_message(personas, login, twins, monkeypatch):
    def broken(progress=None):
        progress(0.1, "Reading the registry")
        raise RuntimeError("the linkage broke")

    monkeypatch.setattr(jobs, "dedupe_registry", broken)
    client = login(personas.border_guard)
    client.post(SEARCH)
    call_command("worker", "--once")
    job = searches().get()
    assert job.status == ReportJob.Status.FAILED
    assert job.message == "RuntimeError" and job.finished_at is not None
    assert not MatchDecision.objects.exists()
    assert AuditEvent.objects.filter(
        action="match.registry_search.failed", object_id=str(job.pk), details__error="RuntimeError"
    ).exists()
    assert "The latest search failed" in client.get("/people/matches/").content.decode()
    client.post(SEARCH)  # a failed search does not block the next one
    assert searches().count() == 2


def test_the_status_polls_while_the_search_is_unfinished_and_reloads_when_done(
    personas, login, twins
):
    client = login(personas.border_guard)
    client.post(SEARCH)
    waiting = client.get(PROGRESS, headers={"HX-Request": "true"})
    assert "hx-get" in waiting.content.decode() and "HX-Refresh" not in waiting
    jobs.run(jobs.claim_next())
    done = client.get(PROGRESS, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in done.content.decode()


def test_progress_is_reported_as_rising_fractions(twins):
    heard = []
    assert actions.dedupe_registry(progress=lambda f, m: heard.append((f, str(m)))) == 1
    fractions = [f for f, _ in heard]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any(0.2 < f < 0.8 for f in fractions)  # linkage steps move the bar
    assert all(m for _, m in heard)


def test_the_job_records_progress_as_it_goes(personas, twins, monkeypatch):
    seen = []
    real = jobs._progress

    def spying(job):
        report = real(job)

        def both(fraction, message=""):
            report(fraction, message)
            seen.append(ReportJob.objects.values_list("progress", flat=True).get(pk=job.pk))

        return both

    monkeypatch.setattr(jobs, "_progress", spying)
    actions.queue_registry_search(user=personas.border_guard)
    jobs.run_pending()
    assert seen[0] == 1 and seen[-1] == 99 and any(1 < p < 99 for p in seen)
    assert searches().get().progress == 100


def test_the_command_runs_inline_or_queues(twins, capsys):
    call_command("dedupe_registry", "--queue")
    call_command("dedupe_registry", "--queue")
    assert searches().get().status == ReportJob.Status.PENDING
    assert "already pending" in capsys.readouterr().out
    call_command("dedupe_registry")
    assert "1 new possible matches" in capsys.readouterr().out
    assert MatchDecision.objects.count() == 1


def test_a_search_whose_worker_died_is_failed_and_can_be_asked_again(
    personas, login, twins, settings
):
    """A worker killed mid-search leaves its job "running": the next worker fails it once
    its heartbeat is older than HAVEN_JOB_STALE_SECONDS, and a new search may be queued."""
    settings.HAVEN_JOB_STALE_SECONDS = 600
    client = login(personas.border_guard)
    client.post(SEARCH)
    job = jobs.claim_next()  # a worker took it, then died
    ReportJob.objects.filter(pk=job.pk).update(params={**job.params, "language": "vi"})
    now = timezone.now()
    assert jobs.fail_stale(now + datetime.timedelta(seconds=599)) == 0  # still alive
    assert jobs.fail_stale(now + datetime.timedelta(seconds=601)) == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.message == "Trình chạy việc đã dừng trước khi xong; hãy yêu cầu lại."
    assert AuditEvent.objects.filter(
        action="match.registry_search.failed", object_id=str(job.pk)
    ).exists()
    client.post(SEARCH)
    assert searches().filter(status=ReportJob.Status.PENDING).count() == 1


def test_progress_keeps_a_long_job_alive(personas, login, twins, settings):
    settings.HAVEN_JOB_STALE_SECONDS = 600
    login(personas.border_guard).post(SEARCH)
    job = jobs.claim_next()
    later = timezone.now() + datetime.timedelta(seconds=900)
    with mock.patch("django.utils.timezone.now", return_value=later):
        jobs._progress(job)(0.5, "half way")
    assert jobs.fail_stale(later + datetime.timedelta(seconds=60)) == 0
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
