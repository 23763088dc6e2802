"""Append events to the hash chain, and verify the chain."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .models import Event

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 7_310_2020  # advisory lock id for PostgreSQL


def _canonical(value: Any) -> Any:
    """JSON-safe, deterministic form (what the database will give back when read)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


HASHED_FIELDS = [
    "seq", "created_at", "actor_id", "actor_label", "verb", "target_type", "target_id",
    "target_label", "region_code", "summary", "before", "after",
]  # fmt: skip


def event_digest(event: Event) -> str:
    """SHA-256 over the previous hash and the event's canonical JSON content."""
    content = {f: getattr(event, f) for f in HASHED_FIELDS}
    content["created_at"] = event.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    body = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((event.prev_hash + body).encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise appends. PostgreSQL: a transaction-level advisory lock. SQLite: the
    connection runs IMMEDIATE transactions, so the write lock is already held."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def target_fields(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)[:300]


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    region_code: str = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> Event:
    """Append one event. Call inside the service's transaction, after the change."""
    _lock_chain()
    last = Event.objects.order_by("-seq").values("seq", "hash").first()
    target_type, target_id, target_label = target_fields(target)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    actor_label = actor.get_username() if actor_id else str(actor or "system")
    event = Event(
        seq=(last["seq"] + 1) if last else 1,
        prev_hash=last["hash"] if last else GENESIS,
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        region_code=region_code,
        summary=summary,
        before=_canonical(before),
        after=_canonical(after),
    )
    event.hash = event_digest(event)
    event.save()
    return event


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj`, for an event's before/after."""
    return {f: getattr(obj, f) for f in fields}


@dataclass
class ChainReport:
    checked: int
    ok: bool
    first_bad_seq: int | None = None
    reason: str = ""


def audit_verify(*, batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; report the first event that does not match."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    qs = Event.objects.order_by("seq")
    last_seq = 0
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for e in batch:
            if e.seq != expected_seq:
                return ChainReport(
                    checked, False, expected_seq, f"event #{expected_seq} is missing"
                )
            if e.prev_hash != prev_hash:
                return ChainReport(
                    checked, False, e.seq, "prev_hash does not link to the event before"
                )
            if event_digest(e) != e.hash:
                return ChainReport(checked, False, e.seq, "content does not match its hash")
            prev_hash, expected_seq, checked = e.hash, e.seq + 1, checked + 1
        last_seq = batch[-1].seq
    return ChainReport(checked, True)
