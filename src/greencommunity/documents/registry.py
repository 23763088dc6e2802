"""Job kinds. Domain apps register a handler in their AppConfig.ready(); the ground floor
never imports them. A handler does the work through services and reports progress."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# handler(job, progress) -> result dict; progress(done, total, message="") saves progress.
Handler = Callable[[Any, Callable[..., None]], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    label: str
    # A confirmable kind runs first as a dry run (params["dry_run"]): the user sees the
    # preview and the errors, then confirms, which runs the same file for real.
    confirmable: bool = False


_KINDS: dict[str, JobKind] = {}


def register_job_kind(
    name: str, handler: Handler, label: str = "", *, confirmable: bool = False
) -> None:
    _KINDS[name] = JobKind(name=name, handler=handler, label=label or name, confirmable=confirmable)


def job_kind(name: str) -> JobKind:
    return _KINDS[name]
