"""A case's receptions in order, carrying what the statistics read from the first one (its
origin: province, receiving organisation, entry route, destination, forms), so a case
event finds its case's origin by one index-only probe instead of the report sorting every
reception (PostgreSQL only: SQLite has no INCLUDE, and counts in Python)."""

from django.db import migrations

NAME = "haven_rep_reception_origin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_reception (case_id, received_at, id) "
        "INCLUDE (province_id, received_by_id, entry_route, destination_country_id, "
        "exploitation_forms)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_registry_search_jobs")]

    operations = [migrations.RunPython(create, drop)]
