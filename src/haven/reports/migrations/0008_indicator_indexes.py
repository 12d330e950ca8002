"""Indexes for the statistics now that the measures read the facts (PostgreSQL only).

The referral and follow-up visit indicators read their period's rows through covering
indexes (index-only scans, no heap page per row). The covering indexes of 0003 that the
measures read receptions, decisions and services through by date are no longer read (the
facts carry those values), so they are dropped: every insert paid for them.
"""

from importlib import import_module

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

NO_LONGER_READ = {
    "haven_rep_reception_received_cover",
    "haven_rep_decision_cover",
    "haven_rep_service_cover",
}
# As 0003 made them, to put back when this migration is reversed.
DROPPED = [
    index
    for index in import_module("haven.reports.migrations.0003_statistics_covering_indexes").INDEXES
    if index[0] in NO_LONGER_READ
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
