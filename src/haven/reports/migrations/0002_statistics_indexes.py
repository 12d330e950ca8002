"""Indexes the statistics queries read through: each measure reads only its period's rows.

Created with plain SQL that SQLite and PostgreSQL both run (IF NOT EXISTS), so the tables
of other apps keep their models unchanged.
"""

from django.db import migrations

INDEXES = [
    ("haven_rep_reception_received", "cases_reception", "received_at"),
    ("haven_rep_decision_decided", "cases_identificationdecision", "decided_on"),
    ("haven_rep_decision_case_day", "cases_identificationdecision", "case_id, decided_on"),
    ("haven_rep_service_status_day", "support_service", "status, starts_on"),
    ("haven_rep_service_case_day", "support_service", "case_id, starts_on"),
    ("haven_rep_visit_due", "support_followupvisit", "due_on"),
    ("haven_rep_plan_created", "support_supportplan", "created_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_jobs"),
        ("cases", "0003_screening_identification_returns_tasks"),
        ("support", "0001_plans_services_safety_follow_up_closure"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
