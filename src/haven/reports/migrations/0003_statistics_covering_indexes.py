"""Covering indexes for the statistics queries (PostgreSQL only).

Each carries, after its key, every column the report reads from that table, so the
period's receptions, decisions and services, and the case and person of each, are read
by index-only scans instead of one scattered heap page per row. (Index-only scans rely on
the visibility map, which VACUUM — autovacuum in production — keeps current.)

SQLite has no INCLUDE clause; there the indexes of 0002 serve.
"""

from django.db import migrations

from haven.reports.migrations import _covering

INDEXES = [
    (
        "haven_rep_reception_received_cover",
        "cases_reception",
        "received_at",
        "id, case_id, province_id, received_by_id, entry_route, age_at_reception, "
        "destination_country_id, exploitation_forms",
    ),
    (
        "haven_rep_case_cover",
        "cases_case",
        "id",
        "person_id, province_id, previous_case_id, opened_at",
    ),
    (
        "haven_rep_person_cover",
        "people_person",
        "id",
        "merged_into_id, sex, ethnicity_id, birth_year, date_of_birth",
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


def create(apps, schema_editor):
    _covering.create(schema_editor, INDEXES)


def drop(apps, schema_editor):
    _covering.drop(schema_editor, INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_statistics_indexes"),
        ("people", "0002_person_merged_into"),
    ]

    operations = [migrations.RunPython(create, drop)]
