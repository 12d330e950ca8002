"""Two-factor enrolment and verification, and the page shown to a locked-out login."""

import django_otp
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from haven.accounts import otp
from haven.accounts.forms import TokenForm
from haven.audit import log


@never_cache  # the page shows the secret: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    if otp.confirmed_device(request.user):
        return redirect(_keeping_next(request, "accounts:otp-verify"))
    device = otp.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if _check(request, device, form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _signed_in_with(request, device, "otp.enrolled")
            return redirect(_next_url(request))
        form.add_error("token", _("That code was not accepted. Enter the code your app shows now."))
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": otp.readable_secret(device),
        "qr_svg": otp.qr_svg(device),
        "required": otp.enforced() and otp.needs_second_factor(request.user),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect(_keeping_next(request, "accounts:otp-setup"))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if _check(request, device, form.cleaned_data["token"]):
            _signed_in_with(request, device, "otp.verified")
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _(
                "That code was not accepted. Wait for the next code and try again; "
                "after several wrong codes you must wait a little longer each time."
            ),
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def lockout(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: a translated page instead of a bare 403 text."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)


def _check(request, device, token: str) -> bool:
    """Verify under a row lock (django-otp), so a code cannot be replayed by a racing request.

    A wrong code is audited: it means someone holds the password.
    """
    if django_otp.verify_token(request.user, device.persistent_id, token):
        return True
    log.record("otp.failed", user=request.user, ip_address=_ip(request))
    return False


def _signed_in_with(request, device, action: str) -> None:
    django_otp.login(request, device)
    log.record(action, user=request.user, ip_address=_ip(request))


def _next_url(request) -> str:
    """Where to go afterwards: `next` if it is a page of this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _keeping_next(request, view_name: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': _next_url(request)})}"


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
