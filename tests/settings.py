"""Test settings: Haven's own settings with test-only secrets and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("HAVEN_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("HAVEN_FIELD_KEYS", "dGVzdC1maWVsZC1rZXktMDAwMDAwMDAwMDAwMDAwMDA=")
os.environ.setdefault("HAVEN_INDEX_KEY", "test-index-key")
os.environ.setdefault("HAVEN_VAR_DIR", tempfile.mkdtemp(prefix="haven-test-var-"))
os.environ.setdefault("HAVEN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from haven.settings import *  # noqa: E402,F403

# Argon2 is the production hasher; tests use a fast one (hashing speed is not under test).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns if missing)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# django-axes logs every successful login's reset at INFO: noise in test output.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405

# The dashboard's count cache would carry counts from one test into the next; the tests
# that are about it turn it on themselves.
HAVEN_REPORT_CACHE_SECONDS = 0

# The session is saved on every request, so that two requests of a query-count test run
# the same queries; the test of the refresh interval sets its own.
HAVEN_SESSION_REFRESH_SECONDS = 0
