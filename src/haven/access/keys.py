"""Re-encryption of every encrypted value and stored file with the newest field key."""

import dataclasses
import os
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import transaction

from haven.access import crypto
from haven.access.fields import EncryptedTextField

BATCH = 500


@dataclasses.dataclass
class RotationReport:
    values: int = 0
    files: int = 0


def encrypted_fields():
    """(model, [field names]) for every model with encrypted fields."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def _rotate_model(model, names: list[str]) -> int:
    """Load (decrypting with any key) and write back (encrypting with the newest)."""
    count = 0
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            rows = list(model._default_manager.filter(pk__in=pks[start : start + BATCH]))
            # bulk_update skips save(): derived columns and timestamps stay as they are.
            model._default_manager.bulk_update(rows, names)
            count += len(rows) * len(names)
    return count


def _rotate_file(path: Path) -> None:
    try:
        rotated = crypto.fernet().rotate(path.read_bytes())
    except InvalidToken as exc:
        raise crypto.DecryptionError(f"no configured key decrypts the file {path}") from exc
    temporary = path.with_suffix(".rotating")
    temporary.write_bytes(rotated)
    os.replace(temporary, path)  # atomic: a crash leaves the old or the new file, never half


def rotate_all() -> RotationReport:
    report = RotationReport()
    for model, names in encrypted_fields():
        report.values += _rotate_model(model, names)
    root = Path(settings.PROTECTED_FILES_DIR)
    if root.exists():
        for path in sorted(root.glob("*/*")):
            if path.is_file() and path.suffix != ".rotating":
                _rotate_file(path)
                report.files += 1
    return report
