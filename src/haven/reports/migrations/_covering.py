"""Covering indexes on PostgreSQL (SQLite has no INCLUDE): (name, table, key, included)."""


def create(schema_editor, indexes) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns, included in indexes:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) INCLUDE ({included})"
        )


def drop(schema_editor, indexes) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns, _included in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
