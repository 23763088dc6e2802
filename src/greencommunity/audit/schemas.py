"""Query and response schemas of the audit API (audit/api.py)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

CODE_OR_EMPTY = r"^(\d{12})?$"


class EventFilters(Schema):
    """Narrow the events: a region's subtree, one object, a verb prefix; then a page."""

    region: str = Field("", pattern=CODE_OR_EMPTY, description="12-digit division code")
    target_type: str = Field("", max_length=80, description="e.g. regions.region")
    target_id: str = Field("", max_length=64, description="with target_type: one object")
    verb: str = Field("", max_length=80, description="verb prefix, e.g. user. or role.grant")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class EventOut(Schema):
    seq: int
    created_at: datetime
    actor_label: str
    verb: str
    target_type: str
    target_id: str
    target_label: str
    region_code: str
    summary: str
    before: Any = None
    after: Any = None
    prev_hash: str
    hash: str


class EventPageOut(Schema):
    """One page of events, newest first; `count` is the number of matching events."""

    count: int
    limit: int
    offset: int
    items: list[EventOut]


class ChainReportOut(Schema):
    """Result of recomputing the hash chain from the first event."""

    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str
