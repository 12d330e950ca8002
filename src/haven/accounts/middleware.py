"""Send a signed-in user who needs a second factor to enrol or verify before anything else."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from haven.accounts import otp

# Pages a user must reach before the second factor: signing in and out, choosing a language,
# and the two-factor pages themselves (the whole "accounts" namespace).
EXEMPT_VIEWS = {"login", "logout", "set_language"}
EXEMPT_NAMESPACES = {"accounts"}


class RequireOTPMiddleware:
    """Runs after django_otp's OTPMiddleware, which sets `request.user.is_verified()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not otp.enforced() or not user.is_authenticated or user.is_verified():
            return None
        if _exempt(request, view_func):
            return None
        if not otp.needs_second_factor(user):
            return None
        step = "accounts:otp-verify" if otp.confirmed_device(user) else "accounts:otp-setup"
        url = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        # An htmx request would swap the two-factor page into a fragment: reload the page.
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


def _exempt(request, view_func) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    # The JSON API (django-ninja) refuses an unverified session itself, in its own error
    # shape (haven.api.auth): a redirect to an HTML page would mean nothing to its callers.
    if getattr(view_func, "__module__", "").startswith("ninja."):
        return True
    match = request.resolver_match
    if match is None:
        return False
    return match.view_name in EXEMPT_VIEWS or bool(EXEMPT_NAMESPACES & set(match.namespaces))
