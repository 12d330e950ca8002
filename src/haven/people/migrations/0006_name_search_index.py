"""A trigram index on `name_key` for case search by name (PostgreSQL only).

Search asks for `name_key LIKE '% token%'` once per query word; a B-tree cannot answer a
pattern that does not start the string, so PostgreSQL read every person of the searching
organisation's cases. With pg_trgm's GIN index it finds the persons whose names hold every
word from the index. On SQLite (development, tests) this migration does nothing: the index is
not part of the model state, so `makemigrations` stays clean on both.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

INDEX = "person_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin (name_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_person_lookup_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
