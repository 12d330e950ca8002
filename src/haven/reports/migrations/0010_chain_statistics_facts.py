"""The triggers chain each fact to the person's previous one of its kind, and every fact is
computed again with its chains (PostgreSQL only; see reports.factstore)."""

from django.db import migrations


def install_chained(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from haven.reports import factstore

    with schema_editor.connection.cursor() as cursor:
        factstore.install(cursor, with_chains=True)


def install_unchained(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from haven.reports import factstore

    with schema_editor.connection.cursor() as cursor:
        factstore.install(cursor, with_chains=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_statistics_fact_chains")]

    operations = [migrations.RunPython(install_chained, install_unchained)]
