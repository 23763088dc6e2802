"""Errors a user can act on. Services raise them; adapters (views, API, CLI) show them."""

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the action; `message` is shown to the user as is."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(ApplicationError):
    """Missing, or outside the actor's scope: both look the same to the actor."""


class PermissionDenied(ApplicationError):
    """The actor may see the object but not do this to it."""


class RowError(ApplicationError):
    """Import rejected: every error names its row, column, value and reason."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message, {"errors": errors})
        self.errors = errors
