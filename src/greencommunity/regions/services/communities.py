"""Edits of the community registry: profile, residential compounds, yearly indicator values.

Every service checks `can_edit_community` (a community outside the actor's scope is not found;
one they see but may not edit is refused), validates every value and answers all the problems
at once (`ApplicationError.extra["errors"]`: field → message), runs in one transaction and
records one audit event with the changed fields before → after. The events of a community are
all recorded on its region, so the region's object history is the community's history.
An `actor` of None is the operator's own command (demo data, maintenance), as in `tree.py`.
"""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from ..indicators import RENOVATION_COMPLETION
from ..models import (
    Community,
    CommunityKind,
    Compound,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    RenovationStatus,
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


# ---------------------------------------------------------------------------- compounds


def _clean_compound(
    community: Community, data: Mapping[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    """Validate a compound's complete state (the renovation rules tie fields together)."""
    errors: dict[str, str] = {}
    this_year = date.today().year
    name = _text(data.get("name"), 100, errors, "name")
    if not name and "name" not in errors:
        errors["name"] = _("Enter the compound's name.")
    elif name and "name" not in errors:
        clash = Compound.objects.filter(community=community, name=name)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["name"] = _("This community already has a compound named %(name)s.") % {
                "name": name
            }
    build_year = _year(
        data.get("build_year"), errors, "build_year", low=FIRST_BUILD_YEAR, high=this_year
    )
    status = data.get("renovation_status") or RenovationStatus.NONE
    if status not in RenovationStatus.values:
        errors["renovation_status"] = _("Choose a renovation status.")
    renovation_year = _year(
        data.get("renovation_year"),
        errors,
        "renovation_year",
        low=FIRST_RENOVATION_YEAR,
        high=this_year + RENOVATION_PLAN_YEARS,
    )
    if "renovation_year" not in errors and "renovation_status" not in errors:
        if status == RenovationStatus.NONE and renovation_year is not None:
            errors["renovation_year"] = _(
                "Leave the renovation year empty for a compound not in a renovation programme."
            )
        elif status != RenovationStatus.NONE and renovation_year is None:
            errors["renovation_year"] = _(
                "Enter the renovation year: the year the renovation is planned, under way or "
                "finished."
            )
        elif status == RenovationStatus.DONE and renovation_year and renovation_year > this_year:
            errors["renovation_year"] = _(
                "A finished renovation cannot have a year after %(year)d."
            ) % {"year": this_year}
    if errors:
        _refuse(errors)
    return {
        "name": name,
        "build_year": build_year,
        "renovation_status": str(status),
        "renovation_year": renovation_year,
    }


def _load_community(community: Community) -> Community:
    """The community with its region (the audit event's target)."""
    return Community.objects.select_related("region").get(pk=community.pk)


@transaction.atomic
def compound_create(
    *,
    actor: Any,
    community: Community,
    name: str,
    build_year: int | None = None,
    renovation_status: str = RenovationStatus.NONE,
    renovation_year: int | None = None,
) -> Compound:
    _check_edit(actor, community)
    community = _load_community(community)
    cleaned = _clean_compound(
        community,
        {
            "name": name,
            "build_year": build_year,
            "renovation_status": renovation_status,
            "renovation_year": renovation_year,
        },
    )
    compound = Compound.objects.create(community=community, **cleaned)
    community_renovation_recompute(community=community)
    audit_record(
        actor=actor,
        verb="compound.create",
        target=community.region,
        region_code=community.region.code,
        summary=compound.name,
        after=cleaned,
    )
    return compound


@transaction.atomic
def compound_update(*, actor: Any, compound: Compound, **fields: Any) -> Compound:
    """Change some of `COMPOUND_FIELDS`; the rules are checked on the resulting compound."""
    unknown = set(fields) - set(COMPOUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown compound fields: {', '.join(sorted(unknown))}")
    community = _load_community(compound.community)
    _check_edit(actor, community)
    current = Compound.objects.select_for_update().get(pk=compound.pk)
    state = {f: getattr(current, f) for f in COMPOUND_FIELDS} | fields
    cleaned = _clean_compound(community, state, exclude_pk=current.pk)
    before, after = _changes(current, cleaned)
    if not after:
        return current
    for field, value in after.items():
        setattr(current, field, value)
        setattr(compound, field, value)
    current.save(update_fields=[*after, "updated_at"])
    if {"renovation_status", "renovation_year"} & set(after):
        community_renovation_recompute(community=community)
    audit_record(
        actor=actor,
        verb="compound.update",
        target=community.region,
        region_code=community.region.code,
        summary=current.name,
        before=before,
        after=after,
    )
    return current


@transaction.atomic
def compound_delete(*, actor: Any, compound: Compound) -> None:
    community = _load_community(compound.community)
    _check_edit(actor, community)
    before = {f: getattr(compound, f) for f in COMPOUND_FIELDS}
    Compound.objects.filter(pk=compound.pk).delete()
    community_renovation_recompute(community=community)
    audit_record(
        actor=actor,
        verb="compound.delete",
        target=community.region,
        region_code=community.region.code,
        summary=compound.name,
        before=before,
    )


@transaction.atomic
def community_renovation_recompute(
    *, community: Community, year: int | None = None
) -> dict[int, Decimal | None]:
    """Write the computed "renovation completion %" of the community for `year`, or for every
    year from its first renovation year to this year (and every year it already has a value).

    A year's value is the share of the community's compounds in a renovation programme with a
    renovation year up to that year whose renovation is done; no compound in a programme by
    then, no value. Returns year → value (None: removed or absent).
    """
    indicator = Indicator.objects.filter(code=RENOVATION_COMPLETION).first()
    if indicator is None:
        return {}
    programme = [
        (status, renovation_year)
        for status, renovation_year in community.compounds.exclude(
            renovation_status=RenovationStatus.NONE
        ).values_list("renovation_status", "renovation_year")
        if renovation_year is not None
    ]
    existing = {
        v.year: v for v in IndicatorValue.objects.filter(community=community, indicator=indicator)
    }
    if year is not None:
        years = {year}
    else:
        years = set(existing)
        if programme:
            years |= set(range(min(y for _, y in programme), date.today().year + 1))
    result: dict[int, Decimal | None] = {}
    to_create, to_update, to_delete = [], [], []
    for y in sorted(years):
        counted = [status for status, renovation_year in programme if renovation_year <= y]
        old = existing.get(y)
        if not counted:
            result[y] = None
            if old is not None:
                to_delete.append(old.pk)
            continue
        done = sum(1 for status in counted if status == RenovationStatus.DONE)
        value = (HUNDRED * done / len(counted)).quantize(CENT, rounding=ROUND_HALF_UP)
        result[y] = value
        if old is None:
            to_create.append(
                IndicatorValue(
                    community=community,
                    indicator=indicator,
                    year=y,
                    value=value,
                    source=IndicatorSource.COMPUTED,
                )
            )
        elif old.value != value or old.source != IndicatorSource.COMPUTED:
            old.value, old.source = value, IndicatorSource.COMPUTED
            to_update.append(old)
    if to_delete:
        IndicatorValue.objects.filter(pk__in=to_delete).delete()
    if to_create:
        IndicatorValue.objects.bulk_create(to_create)
    if to_update:
        IndicatorValue.objects.bulk_update(to_update, ["value", "source", "updated_at"])
    return result


# ---------------------------------------------------------------------------- indicators


def _clean_indicator_value(indicator: Indicator, year: Any, value: Any) -> tuple[int, Decimal]:
    errors: dict[str, str] = {}
    this_year = date.today().year
    if indicator.computed:
        errors["value"] = _("%(indicator)s is computed by the platform and cannot be entered.") % {
            "indicator": indicator.name
        }
        _refuse(errors)
    clean_year = _year(year, errors, "year", low=FIRST_INDICATOR_YEAR, high=this_year)
    if year is None or year == "":
        errors["year"] = _("Enter the year.")
    number = _decimal(value, errors, "value", maximum=MAX_INDICATOR_VALUE)
    if number is None and "value" not in errors:
        errors["value"] = _("Enter a value.")
    if number is not None and indicator.unit == "%" and number > HUNDRED:
        errors["value"] = _("A percentage cannot exceed 100.")
    if errors:
        _refuse(errors)
    assert clean_year is not None and number is not None
    return clean_year, number


def _refuse_computed(indicator: Indicator) -> None:
    if indicator.computed:
        raise ApplicationError(
            _("%(indicator)s is computed by the platform and cannot be entered.")
            % {"indicator": indicator.name},
            {"field": "value"},
        )


@transaction.atomic
def indicator_value_set(
    *, actor: Any, community: Community, indicator: Indicator, year: int, value: Any
) -> IndicatorValue:
    """Enter the value of an indicator for a year (source "entered"); computed indicators are
    refused. The same value again changes nothing and records nothing."""
    _check_edit(actor, community)
    community = _load_community(community)
    clean_year, number = _clean_indicator_value(indicator, year, value)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(community=community, indicator=indicator, year=clean_year)
        .first()
    )
    before = (
        {"indicator": indicator.code, "year": clean_year, "value": current.value}
        if current
        else None
    )
    if current is not None:
        if current.value == number and current.source == IndicatorSource.ENTERED:
            return current
        current.value, current.source = number, IndicatorSource.ENTERED
        current.save(update_fields=["value", "source", "updated_at"])
    else:
        current = IndicatorValue.objects.create(
            community=community,
            indicator=indicator,
            year=clean_year,
            value=number,
            source=IndicatorSource.ENTERED,
        )
    audit_record(
        actor=actor,
        verb="indicator_value.set",
        target=community.region,
        region_code=community.region.code,
        summary=f"{indicator.name} · {clean_year}",
        before=before,
        after={"indicator": indicator.code, "year": clean_year, "value": number},
    )
    return current


@transaction.atomic
def indicator_value_delete(
    *, actor: Any, community: Community, indicator: Indicator, year: int
) -> bool:
    """Remove the value of an indicator for a year; False when there was none."""
    _check_edit(actor, community)
    _refuse_computed(indicator)
    community = _load_community(community)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(community=community, indicator=indicator, year=year)
        .first()
    )
    if current is None:
        return False
    current.delete()
    audit_record(
        actor=actor,
        verb="indicator_value.delete",
        target=community.region,
        region_code=community.region.code,
        summary=f"{indicator.name} · {year}",
        before={
            "indicator": indicator.code,
            "year": year,
            "value": current.value,
            "source": current.source,
        },
    )
    return True


@transaction.atomic
def indicator_values_update(
    *,
    actor: Any,
    community: Community,
    indicator: Indicator,
    values: Mapping[int, Any],
) -> None:
    """One indicator for several years at once (a row of the indicator table): a value is
    entered, an empty one (None or "") removed. All or nothing: the errors are keyed by year."""
    _check_edit(actor, community)
    _refuse_computed(indicator)
    errors: dict[str, str] = {}
    for year, value in values.items():
        if value is None or value == "":
            continue
        try:
            _clean_indicator_value(indicator, year, value)
        except ApplicationError as exc:
            errors[str(year)] = " ".join(exc.extra.get("errors", {}).values()) or exc.message
    if errors:
        _refuse(errors)
    for year, value in values.items():
        if value is None or value == "":
            indicator_value_delete(actor=actor, community=community, indicator=indicator, year=year)
        else:
            indicator_value_set(
                actor=actor, community=community, indicator=indicator, year=year, value=value
            )
