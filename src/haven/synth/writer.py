"""Bulk writing of plain rows: COPY on PostgreSQL, batched INSERTs elsewhere.

Rows are dicts keyed by attribute name; missing columns take the field's default. Ids are
allocated by the caller (`IdAllocator`), so related rows can point at each other without a
round trip, and sequences are reset afterwards.
"""

import datetime
import json

from django.db import connection, connections, models
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from haven.access import crypto
from haven.access.fields import EncryptedTextField


class IdAllocator:
    """Hands out ids above the current maximum of each table."""

    def __init__(self):
        self._next = {}

    def take(self, model, count: int = 1) -> int:
        if model not in self._next:
            top = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self._next[model] = top + 1
        first = self._next[model]
        self._next[model] += count
        return first


class TableWriter:
    """Buffers rows of one model and flushes them in batches."""

    def __init__(self, model, batch: int = 10_000):
        self.model = model
        self.batch = batch
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.connection = connections["default"]
        self.convert = [self._converter(f) for f in self.fields]
        self.rows: list[tuple] = []
        self.written = 0

    def _converter(self, field):
        """How one field's value becomes a column value. On PostgreSQL psycopg adapts dates,
        decimals and booleans itself, so only encryption and JSON need doing here: Django's
        per-value get_db_prep_save was most of the time spent."""
        if self.connection.vendor != "postgresql":
            return lambda value: field.get_db_prep_save(value, self.connection)
        if isinstance(field, EncryptedTextField):
            return lambda value: crypto.encrypt_text(value) if value else value
        if isinstance(field, models.JSONField):
            return lambda value: json.dumps(value)
        return None

    def _default(self, field):
        if field.default is not NOT_PROVIDED:
            return field.get_default()
        if field.null:
            return None
        return ""

    def add(self, **values) -> None:
        row = []
        for field, convert in zip(self.fields, self.convert, strict=True):
            value = values[field.attname] if field.attname in values else self._default(field)
            row.append(convert(value) if convert is not None else value)
        self.rows.append(tuple(row))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cols = ", ".join(f'"{c}"' for c in self.columns)
                raw = cursor.cursor  # psycopg 3: COPY is the fast path for millions of rows
                with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row([_copy_value(v) for v in row])
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cols = ", ".join(f'"{c}"' for c in self.columns)
                cursor.executemany(
                    f'INSERT INTO "{table}" ({cols}) VALUES ({marks})',  # noqa: S608
                    self.rows,
                )
        self.written += len(self.rows)
        self.rows = []

    def reset_sequence(self) -> None:
        if connection.vendor != "postgresql":
            return
        table = self.model._meta.db_table
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608
                f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
            )


def _copy_value(value):
    """psycopg's prepared JSON adapters are not COPY-friendly: write JSON as text."""
    if hasattr(value, "obj"):  # psycopg Json wrapper
        return json.dumps(value.obj)
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value
