"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth import signals
from django.dispatch import receiver

from haven.audit import log


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(signals.user_logged_in)
def on_login(sender, request, user, **kwargs):
    log.record("login", user=user, ip_address=_ip(request))


@receiver(signals.user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        log.record("logout", user=user, ip_address=_ip(request))


@receiver(signals.user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept; the password never is.
    log.record(
        "login_failed",
        ip_address=_ip(request),
        details={"username": str(credentials.get("username", ""))[:150]},
    )
