"""Writing to and verifying the audit chain."""

import dataclasses
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from haven.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip_address": event.ip_address,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    action: str,
    *,
    user=None,
    organisation=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    ip_address: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction, so it commits with the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
            head = AuditHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            at=timezone.now(),
            actor_id=user.pk if authenticated else None,
            actor_username=user.get_username() if authenticated else "",
            organisation_id=getattr(organisation, "pk", organisation),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            ip_address=ip_address or "",
            details=details or {},
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.last_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_id", "last_hash"])
    return event


@dataclasses.dataclass
class VerifyResult:
    checked: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""


def verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in id order; report the first row that is altered or missing."""
    expected_prev = GENESIS
    checked = 0
    last_id = None
    queryset = AuditEvent.objects.order_by("id")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return VerifyResult(
                checked,
                False,
                event.pk,
                "the row before it was deleted or altered (its link does not match)",
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(checked, False, event.pk, "its content was altered")
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.last_id != (last_id or 0)):
        return VerifyResult(
            checked, False, head.last_id, "the newest rows were deleted (the head does not match)"
        )
    return VerifyResult(checked, True)
