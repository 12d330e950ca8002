"""Who is calling: a browser session or an API client token, and what the call needs.

Every operation declares `auth=needs(scope)`. The token is tried first, then the session:
- `Authorization: Bearer hvn_…`: an active API client; an unknown or revoked token is 401
  even if a session cookie is also sent;
- the session of a signed-in user (verified by the second factor where it is required);
  unsafe methods must carry the CSRF token (header `X-CSRFToken`), as pages' forms do.
Then the scope (API clients only; people have no scopes, the access policy alone limits
them), then an optional precondition from the access policy whose failure is a 404. The
precondition runs before the body is validated, so someone who may not write to a case
learns nothing from the validation of what they sent.
`request.auth` is the acting user; `request.api_client` the client, or None.
"""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from haven.accounts import otp
from haven.api import clients
from haven.api.errors import ApiError, use_requested_language

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _authorise(request, user, scope, precondition):
    client = getattr(request, "api_client", None)
    if client is not None and scope is not None and scope not in client.scope_set:
        raise ApiError(
            403,
            "insufficient_scope",
            _("This API client does not have the scope %(scope)s.") % {"scope": scope},
        )
    if precondition is not None and not precondition(request, user):
        raise Http404("Not allowed")
    return user


class ClientToken(HttpBearer):
    def __init__(self, scope=None, precondition=None):
        self.scope = scope
        self.precondition = precondition
        super().__init__()

    def __call__(self, request):
        use_requested_language(request)
        request.api_client = None
        return super().__call__(request)

    def authenticate(self, request, token):
        client = clients.authenticate(token)
        if client is None:
            raise AuthenticationError()
        request.api_client = client
        return _authorise(request, client.user, self.scope, self.precondition)


class BrowserSession(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, scope=None, precondition=None):
        self.scope = scope
        self.precondition = precondition
        super().__init__(csrf=True)

    def _get_key(self, request):
        # The CSRF check waits until we know there is a signed-in user (see authenticate), so
        # an anonymous call is told 401, not 403.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if otp.enforced() and otp.needs_second_factor(user) and not user.is_verified():
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return _authorise(request, user, self.scope, self.precondition)


def needs(scope=None, precondition=None) -> list:
    """The auth of one operation: a token with `scope`, or a session; then `precondition`."""
    return [ClientToken(scope, precondition), BrowserSession(scope, precondition)]
