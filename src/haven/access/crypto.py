"""Encryption of sensitive values at rest, and keyed hashes for exact lookups.

Keys come from HAVEN_FIELD_KEYS (comma-separated Fernet keys, newest first): the newest
encrypts, all decrypt, so a key can be rotated in with `haven keys rotate`. The blind index
is an HMAC keyed by HAVEN_INDEX_KEY, which does not rotate with the field keys, so lookups
keep working across rotations.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "HAVEN_FIELD_KEYS must hold at least one Fernet key "
            "(generate one with `haven keys generate`)."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "HAVEN_FIELD_KEYS holds a value that is not a Fernet key"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise DecryptionError("no configured key decrypts this value") from exc


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def blind_index(value: str) -> str:
    """A keyed hash of an already-normalised value, for exact-match lookups."""
    key = settings.INDEX_KEY
    if not key:
        raise ImproperlyConfigured("HAVEN_INDEX_KEY must be set for encrypted lookups.")
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
