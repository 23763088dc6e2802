"""Response schemas of the jobs API (documents/api.py)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema


class JobOut(Schema):
    """A job's progress; when it succeeded with a file, `result_url` downloads it."""

    id: UUID
    kind: str
    status: str
    status_label: str
    percent: int
    done: int
    total: int
    message: str
    errors: list[Any]
    result: dict[str, Any]
    result_name: str
    result_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
