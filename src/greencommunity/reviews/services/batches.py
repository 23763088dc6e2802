"""What the batch services (sampling, notices, objections, naming) share: the checks of texts
and dates, naming the communities a refusal is about, the per-application policy check, and
the move on the version loaded that names the community when it is stale."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError, PermissionDenied

from ..models import Application
from ..policies import can_decide_step
from .decisions import application_move

MAX_TEXT = 2000


def clean_text(value: Any, field: str, *, required: str = "", max_length: int = MAX_TEXT) -> str:
    """`value` trimmed; refused when empty and `required` (the message) or too long."""
    text = str(value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ApplicationError(required, {"field": field})
    if len(text) > max_length:
        raise ApplicationError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": max_length, "length": len(text)},
            {"field": field},
        )
    return text


def clean_day(day: date | None, field: str = "decided_on") -> date:
    """The decision date: today when not given, never in the future."""
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ApplicationError(_("The date cannot be in the future."), {"field": field})
    return day


def community_names(applications: list[Application]) -> str:
    return "、".join(a.community.region.name for a in applications)


def moved_meanwhile(application: Application) -> ApplicationError:
    return ApplicationError(
        _(
            "The application of %(community)s was changed by someone else meanwhile; nothing "
            "was decided. Reload the page."
        )
        % {"community": application.community.region.name},
        {"reason": "stale", "application": application.pk},
    )


def move_or_refuse(application: Application, **kwargs: Any) -> None:
    """`application_move` on the version loaded; a stale one names the community."""
    try:
        application_move(application=application, expected_version=application.version, **kwargs)
    except ApplicationError as exc:
        raise moved_meanwhile(application) from exc


def refuse_undecidable(actor: Any, applications: list[Application]) -> None:
    if actor is None:
        return
    refused = [
        a
        for a in applications
        if a.current_step is None
        or not can_decide_step(actor, a.current_step, a.community.region.code)
    ]
    if refused:
        raise PermissionDenied(
            _("You do not decide the current step of %(communities)s.")
            % {"communities": community_names(refused)}
        )
