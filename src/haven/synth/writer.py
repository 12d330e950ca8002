"""Bulk writing of plain rows: COPY on PostgreSQL, batched INSERTs elsewhere.

Rows are dicts keyed by attribute name; missing columns take the field's default. Ids are
allocated by the caller (`IdAllocator`), so related rows can point at each other without a
round trip, and sequences are reset afterwards.

On PostgreSQL, outside a caller's transaction, a `CopyThread` writes the batches on a
connection of its own while the generator makes the next ones: the database's work
(parsing, constraints, index upkeep) then runs on the second core instead of in turn.
"""

import json
import queue
import threading

from django.db import connections, models, transaction
from django.db.models import NOT_PROVIDED

from haven.access import crypto
from haven.access.fields import EncryptedTextField
from haven.reports import factstore


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


def write_rows(model, columns, rows) -> None:
    """One batch into `model`'s table on the current thread's connection."""
    connection = connections["default"]
    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY is the fast path for millions of rows
            with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)  # noqa: S608


def reset_sequence(model) -> None:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608
            f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
        )


class BulkLoad:
    """PostgreSQL's advice for populating a database: into empty tables, load the rows
    first and build the secondary indexes and foreign keys afterwards, each in one pass,
    instead of updating a hundred indexes and checking every key row by row.

    Only keys between the loaded tables are dropped: dropping a key locks the table it
    points to against reading, and the generating connection still reads the reference
    tables (organisations, places); keys to those stay and are checked as rows land.

    Only when every table to be written is empty (a new registry). It all happens inside
    the load's transaction, so a failure leaves the tables, indexes and keys as they were;
    rebuilding a key or a unique index checks every row, as loading row by row would."""

    def __init__(self, models):
        self.tables = [m._meta.db_table for m in models]
        self.indexes: list[str] = []  # CREATE INDEX statements
        self.keys: list[tuple[str, str, str]] = []  # (table, name, definition)

    def suspend(self, cursor) -> bool:
        """Drop the secondary indexes and foreign keys of the tables, if all are empty."""
        for table in self.tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')  # noqa: S608
            if cursor.fetchone()[0]:
                return False
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
            )
            ORDER BY 1
            """,
            [self.tables],
        )
        dropped = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f'
                AND conrelid = ANY(%s::regclass[]) AND confrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [self.tables, self.tables],
        )
        self.keys = cursor.fetchall()
        for table, name, _definition in self.keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in dropped:
            cursor.execute(f"DROP INDEX {name}")
        self.indexes = [definition for _name, definition in dropped]
        # The statistics' facts are computed once after the load, not per batch.
        factstore.set_triggers(cursor, enabled=False)
        return True

    def restore(self, cursor, say) -> None:
        """Build the dropped indexes, then add the keys back (checking every row)."""
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        say(f"building {len(self.indexes)} indexes")
        for statement in self.indexes:
            cursor.execute(statement)
        say(f"checking {len(self.keys)} foreign keys")
        for table, name, definition in self.keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        say("computing the statistics' facts")
        factstore.set_triggers(cursor, enabled=True)
        factstore.rebuild(cursor)


class CopyThread(threading.Thread):
    """Runs every batch, then `finish`, in one transaction on its own connection."""

    _DONE = object()

    def __init__(self, depth: int = 4, bulk: BulkLoad | None = None):
        super().__init__(name="synth-copy", daemon=True)
        self.batches: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.finish = None
        self.bulk = bulk
        self.say = lambda message: None  # progress lines; the generator sets its own

    def put(self, item) -> None:
        self.raise_error()
        self.batches.put(item)

    def raise_error(self) -> None:
        if self.error is not None:
            raise RuntimeError("writing the synthetic registry failed") from self.error

    def run(self) -> None:
        done = False
        try:
            with transaction.atomic():
                # Foreign keys checked as each COPY lands, on this thread's core, instead of
                # all at COMMIT after generation (five minutes at a million persons). The
                # generator flushes tables in dependency order for this.
                with connections["default"].cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    bulk = self.bulk is not None and self.bulk.suspend(cursor)
                    if bulk:
                        self.say("empty tables: indexes and foreign keys built after the rows")
                while (item := self.batches.get()) is not self._DONE:
                    write_rows(*item)
                done = True
                if self.error is not None:  # the generator failed: roll back
                    raise self.error
                if bulk:
                    with connections["default"].cursor() as cursor:
                        self.bulk.restore(cursor, self.say)
                if self.finish is not None:
                    self.finish()
        except BaseException as exc:  # noqa: BLE001 - handed to the generating thread
            self.error = self.error or exc
            # Keep draining so a generator blocked on a full queue is released.
            while not done:
                done = self.batches.get() is self._DONE
        finally:
            connections["default"].close()

    def close(self, finish=None, abort: BaseException | None = None) -> None:
        """Commit after running `finish` (or roll back if `abort`), and wait."""
        self.finish = finish
        if abort is not None and self.error is None:
            self.error = abort
        self.batches.put(self._DONE)
        self.join()
        if abort is None:
            self.raise_error()


class TableWriter:
    """Buffers rows of one model until the caller flushes them (in dependency order)."""

    def __init__(self, model, pipe: CopyThread | None = None):
        self.model = model
        self.pipe = pipe
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        vendor = connections["default"].vendor
        # Per column: attribute name, a fixed default or a callable one, and a converter.
        self.plan = [(f.attname, *self._default(f), self._converter(f, vendor)) for f in fields]
        self.rows: list[tuple] = []
        self.written = 0

    @staticmethod
    def _converter(field, vendor):
        """How one value becomes a column value. On PostgreSQL psycopg adapts dates,
        decimals and booleans itself, so only encryption and JSON need doing here: Django's
        per-value get_db_prep_save was most of the time spent."""
        if vendor != "postgresql":
            connection = connections["default"]
            return lambda value: field.get_db_prep_save(value, connection)
        if isinstance(field, EncryptedTextField):
            return lambda value: crypto.encrypt_text(value) if value else value
        if isinstance(field, models.JSONField):
            return json.dumps
        return None

    @staticmethod
    def _default(field):
        """(fixed default, callable default); computed once, not per row."""
        if field.default is NOT_PROVIDED:
            return (None if field.null else ""), None
        if callable(field.default):
            return None, field.default
        return field.default, None

    def add(self, **values) -> None:
        row = []
        for attname, fixed, make, convert in self.plan:
            value = values.get(attname, fixed)
            if make is not None and attname not in values:
                value = make()
            row.append(convert(value) if convert is not None else value)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        if not self.rows:
            return
        if self.pipe is not None:
            self.pipe.put((self.model, self.columns, self.rows))
        else:
            write_rows(self.model, self.columns, self.rows)
        self.written += len(self.rows)
        self.rows = []
