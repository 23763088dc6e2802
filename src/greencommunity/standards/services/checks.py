"""What every standards service checks first: the actor's policy (NotFound outside their
view, PermissionDenied when they may only read), that a standard is still a draft (a published
one never changes), and the cleaning of edited fields with every error reported at once.

`actor=None` is the operator's own commands (demo data, bootstrap): no policy check.
"""

from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Final, Literal, NoReturn

from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from ..models import Standard, StandardStatus
from ..policies import can_edit_standard, can_view_standard


class _Unset(Enum):
    UNSET = "unset"


UNSET: Final = _Unset.UNSET
Unset = Literal[_Unset.UNSET]

MAX_POINTS = Decimal("9999.5")
HALF = Decimal("0.5")


# ---------------------------------------------------------------------------- checks


def refuse(errors: dict[str, str]) -> NoReturn:
    """All the problems at once: `extra["errors"]` maps each field to its message."""
    field, message = next(iter(errors.items()))
    if len(errors) > 1:
        message = _("Please correct the %(count)d errors.") % {"count": len(errors)}
    raise ApplicationError(message, {"field": field, "errors": errors})


def check_view(actor: Any, standard: Standard) -> None:
    if actor is not None and not can_view_standard(actor, standard):
        raise NotFound(_("Standard not found."))


def check_edit(actor: Any, standard: Standard) -> None:
    """NotFound outside the actor's view, PermissionDenied when they may only read."""
    check_view(actor, standard)
    if actor is not None and not can_edit_standard(actor, standard):
        raise PermissionDenied(_("You may not change this standard."))


def lock_draft(actor: Any, standard: Standard) -> None:
    """Check the policy, lock the standard's row and refuse unless it is still a draft."""
    check_edit(actor, standard)
    status = (
        Standard.objects.select_for_update()
        .filter(pk=standard.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:
        raise NotFound(_("Standard not found."))
    if status != StandardStatus.DRAFT:
        raise ApplicationError(
            _("%(standard)s is published and cannot change: start a new version instead.")
            % {"standard": standard},
            {"code": "published"},
        )


def clean_text(
    value: str, max_length: int, field: str, errors: dict[str, str], *, required: bool
) -> str:
    text = str(value).strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif max_length and len(text) > max_length:
        errors[field] = _("At most %(max)d characters (this has %(length)d).") % {
            "max": max_length,
            "length": len(text),
        }
    return text


def clean_points(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    """None, or a number above 0 in steps of 0.5 (the scorer awards half points)."""
    if value is None or value == "":
        return None
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("Give a number, e.g. 5 or 2.5.")
        return None
    if not (0 < points <= MAX_POINTS) or points % HALF != 0:
        errors[field] = _("Points are above 0, in steps of 0.5.")
        return None
    return points


def clean_decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("Give a number.")
        return None


def apply_changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the values that differ; (before, after) of those fields."""
    before, after = {}, {}
    for name, value in values.items():
        if getattr(obj, name) != value:
            before[name], after[name] = getattr(obj, name), value
            setattr(obj, name, value)
    return before, after
