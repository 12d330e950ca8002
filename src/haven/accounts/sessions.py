"""Sliding idle expiry without a database write on every request."""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone

# Where the session keeps when its expiry was last pushed forward (a POSIX timestamp).
REFRESHED_KEY = "_haven_refreshed_at"


class IdleSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, except that an unchanged session is saved (its expiry
    moved to SESSION_COOKIE_AGE from now) only once HAVEN_SESSION_REFRESH_SECONDS have
    passed since it last was, rather than on every request (SESSION_SAVE_EVERY_REQUEST):
    under load that write and its commit were a fixed cost of every page. A session then
    ends between SESSION_COOKIE_AGE less the refresh interval and SESSION_COOKIE_AGE after
    the user's last request."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and response.status_code != 500:
            now = timezone.now().timestamp()
            refreshed = session.get(REFRESHED_KEY, 0)
            # Never more than a tenth of the idle time, however short that is set.
            interval = min(settings.HAVEN_SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE / 10)
            if session.modified or now - refreshed >= interval:
                session[REFRESHED_KEY] = now  # marks it modified: saved with a new expiry
        return super().process_response(request, response)
