"""Edits of the community registry: profile, residential compounds, yearly indicator values.

Every service checks `can_edit_community` (a community outside the actor's scope is not found;
one they see but may not edit is refused), validates every value and answers all the problems
at once (`ApplicationError.extra["errors"]`: field → message), runs in one transaction and
records one audit event with the changed fields before → after. The events of a community are
all recorded on its region, so the region's object history is the community's history.
An `actor` of None is the operator's own command (demo data, maintenance), as in `tree.py`.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from ..models import (
    Community,
    CommunityKind,
)
from ..policies import can_edit_community, can_view_community
from .fields import FieldError, parse_phone, parse_urban_rural_code

PROFILE_FIELDS = (
    "kind",
    "urban_rural_code",
    "urban_override",
    "address",
    "leader_name",
    "leader_phone",
    "households",
    "residents",
    "area_ha",
    "notes",
)
COMPOUND_FIELDS = ("name", "build_year", "renovation_status", "renovation_year")

MAX_COUNT = 2_147_483_647  # PositiveIntegerField
MAX_AREA_HA = Decimal("99999999.99")  # max_digits=10, decimal_places=2
MAX_INDICATOR_VALUE = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
MAX_NOTES = 4000
FIRST_INDICATOR_YEAR = 1990
FIRST_BUILD_YEAR = 1900
FIRST_RENOVATION_YEAR = 2000
RENOVATION_PLAN_YEARS = 5  # a renovation may be planned up to this many years ahead
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# ---------------------------------------------------------------------------- checks


def _check_edit(actor: Any, community: Community) -> None:
    """NotFound outside the actor's scope, PermissionDenied when they may only read."""
    if actor is None:
        return
    if not can_view_community(actor, community):
        raise NotFound(_("Community not found."))
    if not can_edit_community(actor, community):
        raise PermissionDenied(_("You may not change the registry data of this community."))


def _refuse(errors: dict[str, str]) -> NoReturn:
    """All the problems at once: `extra["errors"]` maps each field to its message."""
    field, message = next(iter(errors.items()))
    if len(errors) > 1:
        message = _("Please correct the %(count)d errors.") % {"count": len(errors)}
    raise ApplicationError(message, {"field": field, "errors": errors})


def _text(value: Any, max_length: int, errors: dict[str, str], field: str) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_length:
        errors[field] = _("At most %(max)d characters (this has %(length)d).") % {
            "max": max_length,
            "length": len(text),
        }
    return text


def _count(value: Any, errors: dict[str, str], field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[field] = _("Enter a whole number, 0 or more.")
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = _("Enter a whole number, 0 or more.")
        return None
    if number < 0 or number > MAX_COUNT:
        errors[field] = _("Enter a whole number, 0 or more.")
        return None
    return number


def _decimal(value: Any, errors: dict[str, str], field: str, *, maximum: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[field] = _("Enter a number.")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a number.")
    elif number < 0:
        errors[field] = _("Enter a number, 0 or more.")
    elif number > maximum:
        errors[field] = _("Enter a number not above %(max)s.") % {"max": maximum}
    elif number != number.quantize(CENT):
        errors[field] = _("At most 2 decimal places.")
    else:
        return number.quantize(CENT)
    return None


def _year(value: Any, errors: dict[str, str], field: str, *, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if isinstance(value, bool) or not low <= year <= high:
        errors[field] = _("Enter a year from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    return year


def _changes(obj: Any, cleaned: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs: (before, after)."""
    before, after = {}, {}
    for field, value in cleaned.items():
        if getattr(obj, field) != value:
            before[field], after[field] = getattr(obj, field), value
    return before, after


# ---------------------------------------------------------------------------- profile


def _clean_profile(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "kind":
            if value not in CommunityKind.values:
                errors[field] = _("Choose a kind of community.")
            cleaned[field] = value
        elif field in ("urban_rural_code", "leader_phone"):  # the same rules as the import
            text = _text(value, 30, errors, field)
            try:
                parse = parse_urban_rural_code if field == "urban_rural_code" else parse_phone
                cleaned[field] = parse(text)
            except FieldError as exc:
                errors[field] = exc.message
                cleaned[field] = text
        elif field == "urban_override":
            if value not in (True, False, None):
                errors[field] = _("Choose urban, not urban, or decided by the rule.")
            cleaned[field] = value
        elif field in ("households", "residents"):
            cleaned[field] = _count(value, errors, field)
        elif field == "area_ha":
            cleaned[field] = _decimal(value, errors, field, maximum=MAX_AREA_HA)
        elif field == "notes":
            cleaned[field] = _text(value, MAX_NOTES, errors, field)
        else:  # address, leader_name
            model_field = Community._meta.get_field(field)
            assert isinstance(model_field, Field)
            max_length = model_field.max_length or 200
            cleaned[field] = _text(value, max_length, errors, field)
    if errors:
        _refuse(errors)
    return cleaned


@transaction.atomic
def community_update_profile(*, actor: Any, community: Community, **fields: Any) -> Community:
    """Change some of the profile fields (`PROFILE_FIELDS`); the others stay as they are.

    Nothing changed, nothing recorded. Returns the community with the new values.
    """
    _check_edit(actor, community)
    cleaned = _clean_profile(fields)
    current = (
        Community.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=community.pk)
    )
    before, after = _changes(current, cleaned)
    if not after:
        return current
    for field, value in after.items():
        setattr(current, field, value)
        setattr(community, field, value)
    current.save(update_fields=[*after, "updated_at"])
    audit_record(
        actor=actor,
        verb="community.update_profile",
        target=current.region,
        region_code=current.region.code,
        summary=", ".join(after),
        before=before,
        after=after,
    )
    return current
