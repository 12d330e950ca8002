"""Uploaded documents: checked by content, size-limited, encrypted, stored outside the web root."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.access import crypto

# Accepted kinds, recognised by their first bytes: a renamed .exe is still refused.
SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def sniff_content_type(head: bytes) -> str | None:
    for magic, (content_type, _ext) in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


def validate_upload(uploaded) -> str:
    """Raise ValidationError for a file that is too large or not a PDF, PNG or JPEG.

    Returns the detected content type.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; files may be at most %(limit)s MB.")
            % {"size": f"{uploaded.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    uploaded.seek(0)
    content_type = sniff_content_type(uploaded.read(16))
    uploaded.seek(0)
    if content_type is None:
        raise ValidationError(
            _("Only PDF, PNG and JPEG files can be attached; this file is another type."),
            code="file_type",
        )
    return content_type


def storage_path(storage_name: str) -> Path:
    return Path(settings.PROTECTED_FILES_DIR) / storage_name[:2] / storage_name


def store(uploaded) -> dict:
    """Encrypt and write the file; return the facts to save on the Document row."""
    data = b"".join(uploaded.chunks())
    storage_name = uuid.uuid4().hex
    path = storage_path(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crypto.encrypt_bytes(data))
    return {
        "storage_name": storage_name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "original_name": Path(uploaded.name).name[:200],
    }


def read(storage_name: str) -> bytes:
    return crypto.decrypt_bytes(storage_path(storage_name).read_bytes())
