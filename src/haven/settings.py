"""Haven settings: everything that differs between machines comes from the environment.

Production-safe by default: DEBUG off and a secret key required. `HAVEN_DEMO=1` (set by
`make demo`) turns on debug and generates throw-away secrets under var/.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from haven import demo_secrets
from haven.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("HAVEN_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("HAVEN_VAR_DIR", str(BASE_DIR / "var")))

DEMO = env_bool("HAVEN_DEMO", False)
DEBUG = env_bool("HAVEN_DEBUG", DEMO)

_demo = demo_secrets.load_or_create(VAR_DIR / "demo-secrets.json") if DEMO else {}
SECRET_KEY = env_secret("HAVEN_SECRET_KEY") or _demo.get("secret_key")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "HAVEN_SECRET_KEY (or HAVEN_SECRET_KEY_FILE) must be set; "
        "`make demo` sets HAVEN_DEMO=1 instead."
    )
# Keys for encrypted fields, newest first, comma-separated urlsafe base64 Fernet keys.
FIELD_KEYS = env_list("HAVEN_FIELD_KEYS", env_secret("HAVEN_FIELD_KEYS") or "") or (
    [_demo["field_keys"]] if DEMO else []
)

INDEX_KEY = env_secret("HAVEN_INDEX_KEY") or _demo.get("index_key", "")

ALLOWED_HOSTS = env_list("HAVEN_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("HAVEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "haven.places",
    "haven.agencies",
    "haven.people",
    "haven.cases",
    "haven.audit",
    "haven.access",
    "haven.rules",
    "haven.support",
    "haven.synth",
    "haven.referrals",
    "haven.administration",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "haven.accounts",
    "ninja",  # API: django-ninja's docs page templates and static files
    "haven.api",
    "haven.imports",
    "haven.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "haven.accounts.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.accounts.middleware.RequireOTPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns lockouts into pages
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "haven.urls"
WSGI_APPLICATION = "haven.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.context_processors.haven",
            ],
        },
    },
]

_sqlite_path = VAR_DIR / "haven.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{_sqlite_path}",
        conn_max_age=env_int("HAVEN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
_replica_url = env_str("HAVEN_REPLICA_DATABASE_URL")
if _replica_url:
    # A streaming replica that reports read from (haven.db_router); never migrated.
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["haven.db_router.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: writers take the lock at BEGIN, so concurrent requests wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # The registry is read from memory or SSD, where a random page costs little more than
    # a sequential one. With PostgreSQL's default (4, for spinning disks) the planner read
    # all of a million cases to check an inbox of 6,000 tasks (166 ms instead of 32 ms).
    _page_cost = env_str("HAVEN_DB_RANDOM_PAGE_COST", "1.1")
    # Pages run one query after another on many connections at once: a parallel plan
    # starts worker processes that compete with the other requests for the same cores
    # (the inbox count took twice the CPU for a third less time). Reports, which run alone,
    # ask for parallel workers themselves (reports.aggregates.REPORT_PARALLEL_WORKERS).
    _parallel = env_int("HAVEN_DB_PARALLEL_WORKERS", 0)
    for _database in DATABASES.values():
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c random_page_cost={_page_cost}"
            f" -c max_parallel_workers_per_gather={_parallel}"
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents live outside any web root and are only ever served by an access-checked view.
PROTECTED_FILES_DIR = Path(env_str("HAVEN_FILES_DIR", str(VAR_DIR / "files")))
UPLOAD_MAX_BYTES = env_int("HAVEN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_AGE = env_int("HAVEN_SESSION_IDLE_SECONDS", 30 * 60)
# Sliding expiry: the idle timeout restarts with the user's requests. The session is saved
# with its new expiry at most once a refresh interval (haven.accounts.sessions), not on
# every request, so a session may end up to that interval before the idle time is up.
SESSION_SAVE_EVERY_REQUEST = False
HAVEN_SESSION_REFRESH_SECONDS = env_int("HAVEN_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("HAVEN_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("HAVEN_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("HAVEN_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# No Referer ever leaves for another site (references and search terms stay here). Not
# "no-referrer": under it browsers send `Origin: null` on same-origin form posts, which
# Django's CSRF check rightly refuses, so nobody could sign in (found by the e2e suite).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # HSTS preload is a domain owner's choice
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite builds them on their key columns
    # alone, which is all it needs, so `make demo` need not warn about it.
    "models.W040",
]

EMAIL_BACKEND = env_str(
    "HAVEN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("HAVEN_FROM_EMAIL", "haven@localhost")

# Logs carry request paths and ids, never personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "haven.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("HAVEN_LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("HAVEN_LOG_LEVEL", "INFO")},
}

# The province whose code starts demo case references when none can be derived.
HAVEN_DEFAULT_PROVINCE_CODE = env_str("HAVEN_DEFAULT_PROVINCE_CODE", "01")

# Account security ---------------------------------------------------------------------------
# Lockout (django-axes): failures are counted per username *and* address, so a guessing attack
# on one account is stopped without letting anyone lock every colleague out from one office.
AXES_FAILURE_LIMIT = env_int("HAVEN_LOCKOUT_ATTEMPTS", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HAVEN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "haven.accounts.views.lockout"
# Our hash-chained audit log already records every login, failure and lockout; axes need not
# keep a second copy of usernames, addresses and browsers, nor repeat them in the logs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor authentication (django-otp TOTP) for everyone who can see identities. The demo
# turns it off so its shared demo users can sign in; pages then say so (accounts.notice).
HAVEN_2FA_REQUIRED = env_bool("HAVEN_2FA_REQUIRED", not DEMO)
OTP_TOTP_ISSUER = "Haven"

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files,
# so an injected <script> or inline handler does not run. Nothing may frame Haven.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# TLS ends at the reverse proxy, which also redirects http to https; where Haven itself
# faces the network, set HAVEN_SSL_REDIRECT=1 instead.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W008"]

# API ----------------------------------------------------------------------------------------
# Idempotency keys are kept this long; a retry after that runs the request again.
HAVEN_IDEMPOTENCY_TTL_HOURS = env_int("HAVEN_IDEMPOTENCY_TTL_HOURS", 24)
HAVEN_API_MAX_PAGE_SIZE = 100
# Register imports run in the request (there is no job queue yet), so files are capped.
HAVEN_IMPORT_MAX_ROWS = env_int("HAVEN_IMPORT_MAX_ROWS", 2000)

# Reports ------------------------------------------------------------------------------------
# Tables released outside the organisation hide counts below this (with complementary
# suppression); the de-identified HTCDS export holds every quasi-identifier combination at
# least K times (11, as the Counter Trafficking Data Collaborative publishes).
HAVEN_SUPPRESSION_THRESHOLD = env_int("HAVEN_SUPPRESSION_THRESHOLD", 5)
HAVEN_K_ANONYMITY = env_int("HAVEN_K_ANONYMITY", 11)
# The dashboard reuses a period's counts for this long (each page says when they were
# counted); 0 counts afresh on every view. Exports and the command line always count afresh.
HAVEN_REPORT_CACHE_SECONDS = env_int("HAVEN_REPORT_CACHE_SECONDS", 300)
# A running background job whose worker shows no sign of life for this long is marked
# failed by the next worker (its worker died), so it can be requested again.
HAVEN_JOB_STALE_SECONDS = env_int("HAVEN_JOB_STALE_SECONDS", 600)
# Those counts are kept in files every worker of a server shares, so a quarter is counted
# once per server rather than once per worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(env_str("HAVEN_CACHE_DIR", str(VAR_DIR / "cache")))),
    }
}
