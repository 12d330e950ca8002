"""Indexes for the statistics now that the measures read the facts (PostgreSQL only).

The referral and follow-up visit indicators read their period's rows through covering
indexes (index-only scans, no heap page per row). The covering indexes of 0003 that the
measures read receptions, decisions and services through by date are no longer read (the
facts carry those values), so they are dropped: every insert paid for them.
"""

from django.db import migrations

from haven.reports.migrations import _covering

ADDED = [
    (
        "haven_rep_referral_sent_cover",
        "referrals_referral",
        "created_at",
        "case_id, status, decided_at",
    ),
    ("haven_rep_visit_due_cover", "support_followupvisit", "due_on", "case_id, visited_on"),
]

# Kept as 0003 made them, to put back when this migration is reversed.
DROPPED = [
    (
        "haven_rep_reception_received_cover",
        "cases_reception",
        "received_at",
        "id, case_id, province_id, received_by_id, entry_route, age_at_reception, "
        "destination_country_id, exploitation_forms",
    ),
    (
        "haven_rep_decision_cover",
        "cases_identificationdecision",
        "decided_on",
        "id, case_id, status",
    ),
    (
        "haven_rep_service_cover",
        "support_service",
        "status, starts_on",
        "id, case_id, support_type, cost, paid_by_id, funding_source",
    ),
]


def forward(apps, schema_editor):
    _covering.create(schema_editor, ADDED)
    _covering.drop(schema_editor, DROPPED)


def backward(apps, schema_editor):
    _covering.create(schema_editor, DROPPED)
    _covering.drop(schema_editor, ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_statistics_facts"),
        ("referrals", "0002_load_referral_rules"),
    ]

    operations = [migrations.RunPython(forward, backward)]
