"""Referral network pages: who sees what, and bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.referrals import actions
from haven.referrals.models import Activity, Assessment, Provider, QualityDomain, Referral
from tests.factories import OrganisationFactory, make_case, member
from tests.referrals.conftest import list_provider, refer


def referral_urls(referral):
    return [
        ("get", reverse("referrals:detail", args=[referral.pk])),
        ("post", reverse("referrals:accept", args=[referral.pk])),
        ("post", reverse("referrals:decline", args=[referral.pk])),
        ("post", reverse("referrals:withdraw", args=[referral.pk])),
        ("post", reverse("referrals:feedback", args=[referral.pk])),
        ("get", reverse("referrals:case", args=[referral.case.reference])),
        ("post", reverse("referrals:create", args=[referral.case.reference])),
    ]


def test_a_stranger_organisation_is_refused_every_referral_page(personas, world, login):
    referral = refer(personas, world)
    client = login(personas.stranger)
    for method, url in referral_urls(referral):
        assert getattr(client, method)(url).status_code == 404, url
    page = client.get(reverse("referrals:list")).content.decode()
    assert world.case.reference not in page
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PENDING


def test_before_accepting_the_receiver_sees_only_the_summary(personas, world, login):
    referral = refer(personas, world)
    client = login(personas.shelter_worker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Lý Thị Mai" not in page
    assert world.case.reference not in page
    assert "Khmer" in page and "25" in page
    assert reverse("referrals:accept", args=[referral.pk]) in page
    assert client.get(reverse("cases:detail", args=[world.case.reference])).status_code == 404
    assert client.get(reverse("cases:support", args=[world.case.reference])).status_code == 404
    # The case's referral tab is the owner's.
    assert client.get(reverse("referrals:case", args=[world.case.reference])).status_code == 404


def test_the_receiver_sees_exactly_what_the_accepted_referral_shares(personas, world, login):
    referral = refer(personas, world, sections=["support"])
    client = login(personas.shelter_worker)
    response = client.post(reverse("referrals:accept", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    ref = world.case.reference
    assert client.get(reverse("cases:support", args=[ref])).status_code == 200
    assert client.get(reverse("cases:identification", args=[ref])).status_code == 404
    assert client.get(reverse("cases:safety", args=[ref])).status_code == 404
    detail = client.get(reverse("cases:detail", args=[ref])).content.decode()
    assert "Lý Thị Mai" not in detail  # identity was not shared


def test_decline_and_feedback_through_the_pages(personas, world, login):
    referral = refer(personas, world)
    client = login(personas.shelter_worker)
    client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": "no_funds"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    sender = login(personas.social_worker)
    inbox = sender.get(reverse("cases:inbox")).content.decode()
    assert world.case.reference in inbox
    page = sender.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "No funds" in page


def test_the_sender_refers_from_the_case_tab(personas, world, login):
    client = login(personas.social_worker)
    url = reverse("referrals:case", args=[world.case.reference])
    page = client.get(url, {"provider": world.shelter_entry.pk}).content.decode()
    assert world.shelter_entry.name_en in page and "points" in page
    response = client.post(
        reverse("referrals:create", args=[world.case.reference]),
        {
            "kind": "referral",
            "to_organisation": personas.shelter_hanoi.pk,
            "services": ["psychological"],
            "sections": ["support"],
            "basis": "consent",
            "consent": world.consent.pk,
            "note": "",
        },
    )
    assert response.status_code == 302
    assert world.case.referrals.get().to_organisation == personas.shelter_hanoi
    assert client.post(reverse("referrals:withdraw", args=[world.case.referrals.get().pk]))
    assert world.case.referrals.get().status == Referral.Status.WITHDRAWN


def test_providers_keep_their_own_entry_current(personas, world, login):
    entry = world.shelter_entry
    url = reverse("referrals:provider-edit", args=[entry.pk])
    assert login(personas.stranger).get(url).status_code == 404
    assert login(personas.social_worker).get(url).status_code == 404
    client = login(personas.shelter_worker)
    assert client.get(url).status_code == 200
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Provider.objects.filter(pk=entry.pk).update(updated_at=long_ago)
    directory = client.get(reverse("referrals:directory")).content.decode()
    stale = '<span class="badge overdue">stale</span>'
    assert stale in directory
    response = client.post(
        url,
        {
            "maintained_by": personas.shelter_hanoi.pk,
            "organisation": personas.shelter_hanoi.pk,
            "name_vi": entry.name_vi,
            "name_en": entry.name_en,
            "kind": entry.kind,
            "services": ["essential_needs"],
            "provinces": [p.pk for p in entry.provinces.all()],
            "takes_women": "on",
            "takes_adults": "on",
            "places": 12,
            "occupancy": 12,
            "is_active": "on",
            "languages": ["km"],
            "funding-TOTAL_FORMS": 2,
            "funding-INITIAL_FORMS": 1,
            "funding-0-id": entry.fundings.get().pk,
            "funding-0-source": "IOM",
            "funding-0-amount": "50000000",
            "funding-0-remaining": "0",
            "funding-1-source": "UNICEF",
            "funding-1-amount": "1000",
            "funding-1-remaining": "900",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.updated_at > long_ago and entry.updated_by == personas.shelter_worker
    assert entry.free_places == 0 and entry.language_codes == ["km"]
    assert sorted(entry.fundings.values_list("source", "remaining")) == [
        ("IOM", Decimal(0)),
        ("UNICEF", Decimal(900)),
    ]
    assert stale not in client.get(reverse("referrals:directory")).content.decode()


def test_a_third_party_cannot_claim_an_organisations_entry(personas, login):
    client = login(personas.social_worker)
    response = client.post(
        reverse("referrals:provider-new"),
        {
            "maintained_by": personas.centre_laocai.pk,
            "organisation": personas.shelter_hanoi.pk,
            "name_vi": "X",
            "kind": "ngo",
            "services": ["legal_aid"],
            "occupancy": 0,
            "funding-TOTAL_FORMS": 0,
            "funding-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Provider.objects.exists()
    response = client.post(
        reverse("referrals:provider-new"),
        {
            "maintained_by": personas.centre_laocai.pk,
            "name_vi": "Nhóm tự lực Bản Lầu",
            "kind": "self_help",
            "services": ["vocational"],
            "occupancy": 0,
            "takes_women": "on",
            "takes_adults": "on",
            "is_active": "on",
            "focal_person": "Chị Hạnh",
            "funding-TOTAL_FORMS": 0,
            "funding-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert Provider.objects.get().maintained_by == personas.centre_laocai


def test_quality_assessments_are_scored_over_time(personas, world, login):
    client = login(personas.supervisor)
    url = reverse("referrals:assessment-new", args=[world.shelter_entry.pk])
    scores = dict.fromkeys(QualityDomain.values, 3)
    for day, score in (("2025-01-10", 2), ("2026-01-10", 4)):
        client.post(
            url,
            {
                "assessor_organisation": personas.health_dept_laocai.pk,
                "assessed_on": day,
                "tool": "UNIAP",
                **scores,
                "safety": score,
            },
        )
    assessments = list(Assessment.objects.all())
    assert [a.assessed_on.year for a in assessments] == [2026, 2025]
    assert assessments[0].kind == Assessment.Kind.EXTERNAL
    assert assessments[0].overall == round((6 * 3 + 4) / 7, 1)
    page = client.get(reverse("referrals:provider", args=[world.shelter_entry.pk]))
    assert str(assessments[1].overall) in page.content.decode()
    assert login(personas.stranger).post(url, scores).status_code == 404


def test_the_capacity_building_log(personas, login):
    client = login(personas.social_worker)
    response = client.post(
        reverse("referrals:activity-new"),
        {
            "organiser": personas.centre_laocai.pk,
            "kind": "training",
            "title": "Tiếp cận lấy nạn nhân làm trung tâm",
            "held_from": "2026-03-02",
            "for_organisations": [personas.border_post_laocai.pk],
            "participants-TOTAL_FORMS": 3,
            "participants-INITIAL_FORMS": 0,
            "participants-0-role": "border_guard",
            "participants-0-women": 2,
            "participants-0-men": 11,
            "participants-1-role": "social_worker",
            "participants-1-women": 5,
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert {(p.role, p.women, p.men) for p in activity.participants.all()} == {
        ("border_guard", 2, 11),
        ("social_worker", 5, 0),
    }
    page = login(personas.analyst).get(reverse("referrals:activities")).content.decode()
    assert "Tiếp cận" in page
    assert login(personas.analyst).get(reverse("referrals:activity-new")).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["directory", "list", "activities", "case"])
def test_list_pages_have_a_bounded_query_count(personas, world, login, page):
    client = login(personas.social_worker)
    url = (
        reverse("referrals:case", args=[world.case.reference])
        if page == "case"
        else reverse(f"referrals:{page}")
    )

    def grow(n):
        for _ in range(n):
            org = OrganisationFactory()
            list_provider(org, user=personas.shelter_worker)
            case = make_case(personas.social_worker, personas.centre_laocai)
            actions.send_referral(
                user=personas.social_worker,
                organisation=personas.centre_laocai,
                case=case,
                to_organisation=org,
                services=["psychological"],
                sections=["support"],
                basis="law",
                legal_basis="Law 53/2024/QH15 Art. 3",
            )
            activity = actions.record_activity(
                user=personas.social_worker,
                organisation=personas.centre_laocai,
                fields={"kind": "training", "title": "T", "held_from": datetime.date(2026, 1, 1)},
                for_organisations=[org],
                participants=[("police", 1, 2, 0)],
            )
            assert activity.pk
            actions.record_assessment(
                user=personas.supervisor,
                organisation=personas.health_dept_laocai,
                provider=org.provider_entry,
                assessed_on=datetime.date(2026, 1, 1),
                **dict.fromkeys(QualityDomain.values, 3),
            )

    grow(2)
    few = _queries(client, url)
    grow(6)
    many = _queries(client, url)
    assert many == few, f"{page}: {few} queries with few rows, {many} with more"


def test_referral_pages_for_the_receivers_staff_only(personas, world, login):
    other_worker = member(personas.shelter_hanoi, "intake_officer", "shelter.intake")
    referral = refer(personas, world)
    assert (
        login(other_worker).get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    )
    assert login(personas.analyst).get(reverse("referrals:list")).status_code == 404
    # The sender cannot answer its own referral.
    sender = login(personas.social_worker)
    assert sender.post(reverse("referrals:accept", args=[referral.pk])).status_code == 404
