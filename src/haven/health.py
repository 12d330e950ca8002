"""Liveness and readiness for load balancers and orchestrators. No data, no session."""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request):
    """The process is up."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    """The process can serve: every database answers and no migration is pending."""
    problems = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # noqa: BLE001  (any failure means not ready)
            problems.append(f"database {alias}: {type(exc).__name__}")
    if not problems:
        executor = MigrationExecutor(connections["default"])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("migrations pending")
    status = 200 if not problems else 503
    return JsonResponse(
        {"status": "ready" if not problems else "not ready", "problems": problems}, status=status
    )
