"""Lockouts go to the audit log; signing in without an enforced second factor says so."""

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from haven.accounts import otp
from haven.audit import log


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Each refused attempt is also recorded as login_failed by haven.audit.signals.
    log.record(
        "account.locked_out",
        ip_address=ip_address or "",
        details={"username": str(username or "")[:150]},
    )


@receiver(user_logged_in)
def warn_when_second_factor_is_off(sender, request, user, **kwargs):
    if request is None or otp.enforced() or not otp.needs_second_factor(user):
        return
    # fail_silently: test clients' force_login has no message storage.
    messages.warning(
        request,
        _(
            "Two-factor authentication is switched off on this system, although your role "
            "needs it. Ask your administrator to switch it on before real cases are recorded."
        ),
        fail_silently=True,
    )
