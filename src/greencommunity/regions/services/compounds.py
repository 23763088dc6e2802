"""Residential compounds (小区) of a community, and the renovation completion rate computed
from them. The rules of every registry edit are in `communities.py`'s docstring."""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record

from ..events import indicators_changed
from ..indicators import RENOVATION_COMPLETION
from ..models import (
    Community,
    Compound,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    RenovationStatus,
)
from .communities import (
    CENT,
    COMPOUND_FIELDS,
    FIRST_BUILD_YEAR,
    FIRST_RENOVATION_YEAR,
    HUNDRED,
    RENOVATION_PLAN_YEARS,
    _changes,
    _check_edit,
    _refuse,
    _text,
    _year,
)

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
    if to_delete or to_create or to_update:
        indicators_changed([community.pk])
    return result
