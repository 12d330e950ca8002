from django.conf import settings

from haven.access import policy


def haven(request):
    user = getattr(request, "user", None)
    return {
        "HAVEN_DEMO": settings.DEMO,
        "can_record_reception": bool(user and policy.can_record_reception(user)),
    }
