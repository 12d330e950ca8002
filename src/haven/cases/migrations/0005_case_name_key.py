"""The person's search key on the case row, and on PostgreSQL one index over (owner, key).

A name search asked the trigram index on people_person (people 0006) for every person of
that name in the registry (about 17,500 for "Nguyễn Linh" at a million) and read their rows
before keeping the few hundred of the searching organisation's cases. With the key on the
case and `btree_gin` letting the owner share a GIN index with the trigrams, the index finds
the organisation's cases of that name alone.

The key is filled from the persons in one statement. The index, as in people 0006, is not
part of the model state (its operator classes are PostgreSQL's), so on SQLite this part
does nothing and `makemigrations` stays clean on both. btree_gin is a trusted extension
(PostgreSQL 13+), like pg_trgm, which people 0006 created.
"""

from django.db import migrations, models

INDEX = "case_owner_name_trgm"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A join, not a subquery per case row: one pass over each table.
        schema_editor.execute(
            "UPDATE cases_case c SET name_key = p.name_key"
            " FROM people_person p WHERE p.id = c.person_id"
        )
    else:
        schema_editor.execute(
            "UPDATE cases_case SET name_key = ("
            "SELECT name_key FROM people_person WHERE people_person.id = cases_case.person_id)"
        )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case"
        " USING gin (owner_id, name_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_list_and_inbox_indexes"),
        ("people", "0006_name_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=520),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
