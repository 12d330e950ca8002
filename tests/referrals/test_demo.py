"""The demo data set lists providers and makes referrals through the real actions."""

from haven import demo
from haven.referrals.models import Activity, Assessment, Provider, Referral


def test_demo_network_loads_and_is_idempotent(db):
    demo.load(cases=20)
    assert Provider.objects.count() == len(demo.PROVIDERS)
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses <= {"completed", "declined", "pending"} and statuses
    assert Assessment.objects.count() == 1 and Activity.objects.count() == 1
    counts = (Provider.objects.count(), Referral.objects.count(), Assessment.objects.count())
    demo.load(cases=20)
    assert counts == (
        Provider.objects.count(),
        Referral.objects.count(),
        Assessment.objects.count(),
    )
