"""On PostgreSQL, case search by name from an index of word prefixes, not of trigrams.

A name word of the query must start a word of the name. The trigram index (0005) answered
`name_key LIKE '% trang%'` by reading every case whose name holds the trigrams of "trang",
about 40,000 entries at a million persons, then checking each row: 20-60 ms a search.
`haven_name_prefixes(name_key)` is every prefix of every word of the key ("le thi" →
{l, le, t, th, thi}); a GIN index of it answers "starts a word" exactly, from the one
entry of the word asked for (case search `filter_cases`).

The function is IMMUTABLE (the index needs it) and given a high COST, so that the planner
prefers the index to calling it on row after row. Like 0005's, this index is not part of
the model state, and on SQLite this migration does nothing.
"""

from django.db import migrations

FUNCTION = "haven_name_prefixes"
INDEX = "case_name_prefixes"
TRIGRAM_INDEX = "case_owner_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(name text) RETURNS text[]"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$"
        " SELECT coalesce(array_agg(DISTINCT left(word, n)), '{}')"
        " FROM unnest(string_to_array(name, ' ')) AS word, generate_series(1, length(word)) AS n"
        " WHERE word <> ''"
        " $$"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin ({FUNCTION}(name_key))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cases_case"
        " USING gin (owner_id, name_key gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_name_key")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
