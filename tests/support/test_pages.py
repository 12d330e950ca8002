"""The journey through the pages: forms post to actions, refusals come back as messages."""

import datetime

import pytest
from django.utils import timezone

from haven.cases.models import Case, CaseStatus
from haven.support.models import Service
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(personas.border_guard, personas.border_post_laocai)


def test_screen_decide_and_move_to_support_through_the_pages(personas, login, case):
    client = login(personas.border_guard)
    base = f"/cases/{case.reference}"
    assert client.get(f"{base}/identification/").status_code == 200
    client.post(
        f"{base}/screenings/",
        {"acts": ["transport"], "means": ["deception"], "purposes": ["sexual"]},
    )
    response = client.post(
        f"{base}/decisions/",
        {
            "status": "victim",
            "decided_on": timezone.localdate().isoformat(),
            "evidence": ["own_statement"],
            "legal_basis": "Law 53/2024/QH15 Art. 32",
            "in_vietnam": "on",
        },
        follow=True,
    )
    assert "Identification decision recorded." in response.content.decode()
    client.post(f"{base}/status/", {"status": "support"})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPORT


def test_an_invalid_move_is_explained_and_changes_nothing(personas, login, case):
    client = login(personas.border_guard)
    response = client.post(f"/cases/{case.reference}/status/", {"status": "support"}, follow=True)
    assert "Support starts once she is identified" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_a_service_refused_by_status_is_explained(personas, login, case):
    client = login(personas.border_guard)
    response = client.post(
        f"/cases/{case.reference}/support/services/",
        {"support_type": "vocational", "status": "planned"},
        follow=True,
    )
    assert "is not available to a person with the status" in response.content.decode()
    assert not Service.objects.exists()


def test_bad_dates_are_explained(personas, login, case):
    client = login(personas.border_guard)
    response = client.post(
        f"/cases/{case.reference}/support/services/",
        {
            "support_type": "essential_needs",
            "status": "delivered",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
        },
        follow=True,
    )
    assert "The service ends before it starts." in response.content.decode()
    response = client.post(
        f"/cases/{case.reference}/follow-up/reintegrate/",
        {"reintegrated_on": "not a date"},
        follow=True,
    )
    assert "Enter a valid date." in response.content.decode()


def test_tabs_render_for_the_owner_with_their_forms(personas, login, case):
    client = login(personas.border_guard)
    for tab in ("identification", "support", "safety", "follow-up", "closure"):
        response = client.get(f"/cases/{case.reference}/{tab}/")
        assert response.status_code == 200, tab
        assert 'method="post"' in response.content.decode(), tab


def test_the_closure_flow_through_the_pages(personas, login):
    case = make_case(personas.social_worker, personas.centre_laocai)
    worker = login(personas.social_worker)
    worker.post(f"/cases/{case.reference}/closure/request/", {"reason": "declined"})
    closure = case.closures.get()
    supervisor = login(personas.supervisor)
    assert "Approve closure" in supervisor.get(f"/cases/{case.reference}/closure/").content.decode()
    supervisor.post(f"/cases/{case.reference}/closure/{closure.pk}/approve/")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    response = supervisor.post(
        f"/cases/{case.reference}/closure/reopen/", {"reason": "x"}, follow=True
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPORT
    assert "Case reopened." in response.content.decode()


def test_inbox_lists_due_work_of_my_organisation_only(personas, login):
    mine = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        reception={
            "entry_route": "self_report",
            "reported_at": "commune",
            "border_kind": "",
            "handed_over_by": "",
            "received_at": timezone.now() - datetime.timedelta(days=5),
        },
    )
    theirs = make_case(personas.stranger, personas.border_post_angiang)
    html = login(personas.border_guard).get("/inbox/").content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert "overdue" in html
