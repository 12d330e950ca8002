"""Reads for reports go to a streaming replica when one is configured.

Report code wraps its queries in `reading_from_replica()`; everything else, and every
write, goes to the primary. Without HAVEN_REPLICA_DATABASE_URL there is only "default".
"""

import contextlib
import contextvars

from django.conf import settings

REPLICA = "replica"
_use_replica = contextvars.ContextVar("haven_use_replica", default=False)


@contextlib.contextmanager
def reading_from_replica():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
