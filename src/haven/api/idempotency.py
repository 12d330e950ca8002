"""`Idempotency-Key` on creates: a retry gets the first result instead of a second record.

Contract (also in the OpenAPI description):
- the key is any string of 1–255 characters, chosen by the caller, unique per request it
  means; keys are per user (each API client has its own);
- the first request with a key runs; its successful result (status and body) is stored, in
  the same transaction as the change, and returned again, with `Idempotent-Replayed: true`,
  to every later request with the same key, even one sent while the first was running
  (it waits for the first to commit);
- the same key with a different method, path or body is refused with 422
  `idempotency_key_reused`;
- a request that fails stores nothing, so its retry runs again;
- keys expire after `HAVEN_IDEMPOTENCY_TTL_HOURS` (24 by default); `haven api_purge_keys`
  deletes expired ones.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.api.errors import ApiError
from haven.api.models import IdempotencyKey
from haven.audit import log as audit

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.HAVEN_IDEMPOTENCY_TTL_HOURS)


def purge_expired() -> int:
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - ttl()).delete()
    return deleted


def _fingerprint(request, payload) -> str:
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "body": payload},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _stored(user, key):
    return (
        IdempotencyKey.objects.filter(user=user, key=key, created_at__gte=timezone.now() - ttl())
        .exclude(status_code=0)
        .first()
    )


def _replay(request, row: IdempotencyKey, fingerprint: str) -> JsonResponse:
    if row.request_hash != fingerprint:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for each new request."
            ),
            {HEADER: [_("Already used for a different request.")]},
        )
    audit.record(
        "api.replay",
        user=request.auth,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        details={"path": request.path, "status": row.status_code},
    )
    response = JsonResponse(json.loads(row.response_body), status=row.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def run(request, payload, create) -> JsonResponse:
    """Run `create()` -> (status, JSON-ready body) at most once per key; see the module doc."""
    key = request.headers.get(HEADER, "")
    if not key:
        status, data = create()
        return JsonResponse(data, status=status)
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            422,
            "invalid_idempotency_key",
            _("The Idempotency-Key must be 1 to 255 printable characters."),
            {HEADER: [_("Enter a valid value.")]},
        )
    user = request.auth
    fingerprint = _fingerprint(request, payload)
    for _attempt in range(3):
        row = _stored(user, key)
        if row is not None:
            return _replay(request, row, fingerprint)
        try:
            with transaction.atomic():
                # An expired key may be used again.
                IdempotencyKey.objects.filter(
                    user=user, key=key, created_at__lt=timezone.now() - ttl()
                ).delete()
                # A concurrent request with the same key waits here (unique index on
                # PostgreSQL, the write lock on SQLite) until this transaction ends.
                row = IdempotencyKey.objects.create(user=user, key=key, request_hash=fingerprint)
                status, data = create()
                row.status_code = status
                row.response_body = json.dumps(data, ensure_ascii=False)
                row.save(update_fields=["status_code", "response_body"])
        except IntegrityError:
            if not IdempotencyKey.objects.filter(user=user, key=key).exists():
                raise  # not our key: a real integrity error of the action
            continue  # the concurrent request committed first: replay its result
        return JsonResponse(data, status=status)
    raise ApiError(
        409,
        "idempotency_conflict",
        _("A request with this Idempotency-Key is still being processed; retry shortly."),
    )
