"""Hooks for apps above this one to refuse changes to a self-assessment they rest on.

`reviews` registers a reopen guard: an assessment whose application is under way or named
may not be reopened. A guard returns the reason to refuse, or None.
"""

from collections.abc import Callable

from .models import Assessment

ReopenGuard = Callable[[Assessment], str | None]

_reopen_guards: list[ReopenGuard] = []


def register_reopen_guard(guard: ReopenGuard) -> None:
    if guard not in _reopen_guards:
        _reopen_guards.append(guard)


def reopen_refusal(assessment: Assessment) -> str | None:
    for guard in _reopen_guards:
        reason = guard(assessment)
        if reason:
            return reason
    return None
