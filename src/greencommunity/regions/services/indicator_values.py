"""Yearly indicator values of a community, entered by hand (imports: `data_import.py`).
The rules of every registry edit are in `communities.py`'s docstring."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError

from ..events import indicators_changed
from ..models import (
    Community,
    Indicator,
    IndicatorSource,
    IndicatorValue,
)
from .communities import (
    FIRST_INDICATOR_YEAR,
    HUNDRED,
    MAX_INDICATOR_VALUE,
    _check_edit,
    _decimal,
    _refuse,
    _year,
)
from .compounds import _load_community

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
    indicators_changed([community.pk])
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
    indicators_changed([community.pk])
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
