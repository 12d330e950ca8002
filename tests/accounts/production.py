"""Haven's settings module as production would load it, for tests of the real defaults.

tests/settings.py swaps in test-only values (a fast hasher, test secrets); these helpers run
src/haven/settings.py afresh under a chosen environment instead, without touching the
settings the test run itself uses.
"""

import importlib.util
import os
import secrets
from types import ModuleType

from cryptography.fernet import Fernet

import haven.settings

PRODUCTION_ENV = {
    "HAVEN_SECRET_KEY": secrets.token_urlsafe(50),
    "HAVEN_FIELD_KEYS": Fernet.generate_key().decode(),
    "HAVEN_INDEX_KEY": "x",
    "HAVEN_ALLOWED_HOSTS": "haven.example.org",
}


def clean_environment(monkeypatch, var_dir, **env) -> dict[str, str]:
    """Drop every Haven variable (and DATABASE_URL), then set PRODUCTION_ENV plus `env`."""
    for name in list(os.environ):
        if name.startswith("HAVEN_") or name in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}:
            monkeypatch.delenv(name)
    values = {**PRODUCTION_ENV, "HAVEN_VAR_DIR": str(var_dir), **env}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def load_settings(monkeypatch, var_dir, **env) -> ModuleType:
    """A fresh copy of haven.settings evaluated under PRODUCTION_ENV plus `env`."""
    clean_environment(monkeypatch, var_dir, **env)
    spec = importlib.util.spec_from_file_location(
        "haven_settings_under_test", haven.settings.__file__
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def security_settings(module: ModuleType) -> dict:
    """The settings `check --deploy` looks at, taken from a loaded settings module."""
    names = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "MIDDLEWARE",
        "AUTHENTICATION_BACKENDS",
        "SILENCED_SYSTEM_CHECKS",
        "X_FRAME_OPTIONS",
        "CONTENT_SECURITY_POLICY",
    }
    prefixes = ("SECURE_", "SESSION_", "CSRF_", "AXES_")
    return {
        name: getattr(module, name)
        for name in dir(module)
        if name in names or name.startswith(prefixes)
    }
