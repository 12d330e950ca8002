from django.conf import settings

from haven.access import policy
from haven.administration import scope as admin_scope


def haven(request):
    user = getattr(request, "user", None)
    return {
        "HAVEN_DEMO": settings.DEMO,
        "can_record_reception": bool(user and policy.can_record_reception(user)),
        # A callable, so templates that never show the link never run its queries.
        "can_administer": lambda: _can_administer(request, user),
    }


def _can_administer(request, user) -> bool:
    scope = getattr(request, "admin_scope", None)  # set by the administration views
    if scope is None and user is not None:
        scope = admin_scope.admin_scope(user)
    return bool(scope and scope.can_administer)
