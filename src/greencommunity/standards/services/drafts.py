"""Editing a draft standard: its own fields, its areas and its criteria. A published standard
never changes (`checks.lock_draft` refuses it): change it through a new version
(`versions.standard_new_version`). Criteria stay numbered 1..N across the standard, area by
area: adding, moving and deleting renumber the ones after.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.regions.models import Indicator

from ..models import NATIONAL_AREAS, Area, Criterion, Operator, ScoringMode, Standard, SubCondition
from .checks import (
    HALF,
    UNSET,
    Unset,
    apply_changes,
    clean_decimal,
    clean_points,
    clean_text,
    lock_draft,
    refuse,
)

NUMBER_SHIFT = 10_000  # criterion renumbering steps through numbers above this one


# ---------------------------------------------------------------------------- drafts


@transaction.atomic
def standard_update_draft(
    *,
    actor: Any,
    standard: Standard,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    source: str | Unset = UNSET,
    scoring_mode: str | Unset = UNSET,
    effective_from: date | Unset | None = UNSET,
    effective_to: date | Unset | None = UNSET,
    pass_all_met: bool | Unset = UNSET,
    pass_min_met: int | Unset | None = UNSET,
    pass_min_total: Decimal | Unset | None = UNSET,
    pass_no_veto_failed: bool | Unset = UNSET,
) -> Standard:
    """Change what is given of a draft: its name, texts, scoring mode, dates and pass rule."""
    lock_draft(actor, standard)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if name is not UNSET:
        values["name"] = clean_text(name, 200, "name", errors, required=True)
    if description is not UNSET:
        values["description"] = clean_text(description, 0, "description", errors, required=False)
    if source is not UNSET:
        values["source"] = clean_text(source, 300, "source", errors, required=False)
    if scoring_mode is not UNSET:
        if scoring_mode not in ScoringMode.values:
            errors["scoring_mode"] = _("Choose met / not met or points.")
        values["scoring_mode"] = scoring_mode
    if effective_from is not UNSET:
        values["effective_from"] = effective_from
    if effective_to is not UNSET:
        values["effective_to"] = effective_to
    start = values.get("effective_from", standard.effective_from)
    end = values.get("effective_to", standard.effective_to)
    if start is not None and end is not None and end < start:
        errors["effective_to"] = _("The standard cannot end before it takes effect.")
    if pass_all_met is not UNSET:
        values["pass_all_met"] = bool(pass_all_met)
    if pass_no_veto_failed is not UNSET:
        values["pass_no_veto_failed"] = bool(pass_no_veto_failed)
    if pass_min_met is not UNSET:
        if pass_min_met is not None and (isinstance(pass_min_met, bool) or pass_min_met < 1):
            errors["pass_min_met"] = _("Give a number of criteria of at least 1, or none.")
        values["pass_min_met"] = pass_min_met
    if pass_min_total is not UNSET:
        total = clean_decimal(pass_min_total, "pass_min_total", errors)
        if total is not None and (total <= 0 or total % HALF != 0):
            errors["pass_min_total"] = _("The pass mark is above 0, in steps of 0.5.")
        values["pass_min_total"] = total
    if errors:
        refuse(errors)
    before, after = apply_changes(standard, values)
    if not after:
        return standard
    standard.save(update_fields=[*after, "updated_at"])
    audit_record(
        actor=actor, verb="standard.update_draft", target=standard,
        region_code=standard.issuing_code, before=before, after=after,
    )  # fmt: skip
    return standard


@transaction.atomic
def area_update(
    *,
    actor: Any,
    area: Area,
    name: str | Unset = UNSET,
    national_area: int | Unset = UNSET,
    points: Decimal | Unset | None = UNSET,
) -> Area:
    """Rename an area of a draft, map it onto another national area, or change its points."""
    standard = area.standard
    lock_draft(actor, standard)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if name is not UNSET:
        values["name"] = clean_text(name, 200, "name", errors, required=True)
    if national_area is not UNSET:
        if national_area not in NATIONAL_AREAS:
            errors["national_area"] = _("Choose one of the five national areas (1 to 5).")
        values["national_area"] = national_area
    if points is not UNSET:
        values["points"] = clean_points(points, "points", errors)
    if errors:
        refuse(errors)
    before, after = apply_changes(area, values)
    if not after:
        return area
    area.save(update_fields=list(after))
    audit_record(
        actor=actor, verb="standard.area_update", target=standard,
        region_code=standard.issuing_code,
        summary=f"area {area.number}", before=before, after=after,
    )  # fmt: skip
    return area


def _shift_numbers(standard: Standard, *, from_number: int, by: int) -> None:
    """Add `by` (+1 or -1) to the number of every criterion numbered `from_number` or above,
    in two steps so that no two criteria share a number in between."""
    criteria = Criterion.objects.filter(standard=standard)
    criteria.filter(number__gte=from_number, number__lt=NUMBER_SHIFT).update(
        number=F("number") + NUMBER_SHIFT
    )
    criteria.filter(number__gte=NUMBER_SHIFT).update(number=F("number") - NUMBER_SHIFT + by)


def _end_of_area(area: Area, exclude: Criterion | None = None) -> int:
    """The number a criterion takes at the end of `area`: after the area's last criterion, or
    after the last one of the areas before it."""
    criteria = Criterion.objects.filter(standard_id=area.standard_id, number__gt=0)
    if exclude is not None:
        criteria = criteria.exclude(pk=exclude.pk)
    last = criteria.filter(area=area).aggregate(n=Max("number"))["n"]
    if last is None:
        last = criteria.filter(area__number__lt=area.number).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _numeric_rule(
    indicator: Indicator | None, operator: str, threshold: Any, errors: dict[str, str]
) -> tuple[Indicator | None, str, Decimal | None]:
    value = clean_decimal(threshold, "threshold", errors)
    parts = [indicator is not None, bool(operator), value is not None]
    if any(parts) and not all(parts):
        errors["indicator"] = _("A numeric rule needs an indicator, an operator and a threshold.")
    if operator and operator not in Operator.values:
        errors["operator"] = _("Choose ≥, >, ≤ or <.")
    return indicator, operator, value


def _sub_conditions(texts: Iterable[str], errors: dict[str, str]) -> list[str]:
    result = [str(t).strip() for t in texts]
    if any(not t for t in result):
        errors["sub_conditions"] = _("A sub-condition cannot be blank.")
    return result


def _set_sub_conditions(criterion: Criterion, texts: Sequence[str]) -> None:
    SubCondition.objects.filter(criterion=criterion).delete()
    SubCondition.objects.bulk_create(
        SubCondition(criterion=criterion, number=i, text=t) for i, t in enumerate(texts, start=1)
    )


def _criterion_state(criterion: Criterion) -> dict[str, Any]:
    return {
        "number": criterion.number,
        "area": criterion.area.number,
        "text": criterion.text,
        "points": criterion.points,
        "veto": criterion.veto,
    }


@transaction.atomic
def criterion_create(
    *,
    actor: Any,
    area: Area,
    text: str,
    points: Decimal | None = None,
    number: int | None = None,
    evidence: str = "",
    departments: str = "",
    veto: bool = False,
    sub_conditions: Sequence[str] = (),
    indicator: Indicator | None = None,
    operator: str = "",
    threshold: Decimal | None = None,
) -> Criterion:
    """Add a criterion to an area of a draft: at `number` (the later ones move down one), by
    default at the end of the area. It refines no parent criterion; its area maps it onto a
    national area."""
    standard = area.standard
    lock_draft(actor, standard)
    errors: dict[str, str] = {}
    text = clean_text(text, 0, "text", errors, required=True)
    value = clean_points(points, "points", errors)
    subs = _sub_conditions(sub_conditions, errors)
    indicator, operator, rule_threshold = _numeric_rule(indicator, operator, threshold, errors)
    count = Criterion.objects.filter(standard=standard).count()
    if number is None:
        number = _end_of_area(area)
    elif not 1 <= number <= count + 1:
        errors["number"] = _("Give a number from 1 to %(max)d.") % {"max": count + 1}
    if errors:
        refuse(errors)
    _shift_numbers(standard, from_number=number, by=1)
    criterion = Criterion.objects.create(
        standard=standard, area=area, number=number, text=text, points=value,
        evidence=evidence.strip(), departments=departments.strip(), veto=veto,
        indicator=indicator, operator=operator, threshold=rule_threshold,
    )  # fmt: skip
    _set_sub_conditions(criterion, subs)
    audit_record(
        actor=actor, verb="standard.criterion_create", target=standard,
        region_code=standard.issuing_code, summary=_("Criterion %(number)d") % {"number": number},
        after={**_criterion_state(criterion), "sub_conditions": subs},
    )  # fmt: skip
    return criterion


@transaction.atomic
def criterion_update(
    *,
    actor: Any,
    criterion: Criterion,
    text: str | Unset = UNSET,
    points: Decimal | Unset | None = UNSET,
    area: Area | Unset = UNSET,
    evidence: str | Unset = UNSET,
    departments: str | Unset = UNSET,
    veto: bool | Unset = UNSET,
    sub_conditions: Sequence[str] | Unset = UNSET,
    indicator: Indicator | Unset | None = UNSET,
    operator: str | Unset = UNSET,
    threshold: Decimal | Unset | None = UNSET,
) -> Criterion:
    """Change what is given of a draft's criterion. Moved to another area, it takes the number
    at the end of that area (the criteria between move up or down one)."""
    standard = criterion.standard
    lock_draft(actor, standard)
    criterion.refresh_from_db(fields=["number", "area"])  # other edits may have renumbered it
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if text is not UNSET:
        values["text"] = clean_text(text, 0, "text", errors, required=True)
    if points is not UNSET:
        values["points"] = clean_points(points, "points", errors)
    if evidence is not UNSET:
        values["evidence"] = evidence.strip()
    if departments is not UNSET:
        values["departments"] = departments.strip()
    if veto is not UNSET:
        values["veto"] = bool(veto)
    if area is not UNSET and area.standard_id != standard.pk:
        errors["area"] = _("Choose an area of the same standard.")
    if indicator is not UNSET or operator is not UNSET or threshold is not UNSET:
        rule = _numeric_rule(
            criterion.indicator if indicator is UNSET else indicator,
            criterion.operator if operator is UNSET else operator,
            criterion.threshold if threshold is UNSET else threshold,
            errors,
        )
        values.update(zip(("indicator", "operator", "threshold"), rule, strict=True))
    subs = None if sub_conditions is UNSET else _sub_conditions(sub_conditions, errors)
    if errors:
        refuse(errors)
    before, after = apply_changes(criterion, values)
    if area is not UNSET and area.pk != criterion.area_id:
        before["area"], after["area"] = criterion.area.number, area.number
        before["number"] = old_number = criterion.number
        Criterion.objects.filter(pk=criterion.pk).update(number=0)
        _shift_numbers(standard, from_number=old_number + 1, by=-1)
        new_number = _end_of_area(area, exclude=criterion)
        _shift_numbers(standard, from_number=new_number, by=1)
        criterion.area, criterion.number = area, new_number
        after["number"] = new_number
    old_subs = [s.text for s in criterion.sub_conditions.all()]
    if subs is not None and subs != old_subs:
        before["sub_conditions"], after["sub_conditions"] = old_subs, subs
        _set_sub_conditions(criterion, subs)
    if not after:
        return criterion
    fields = [f for f in after if f != "sub_conditions"]
    if fields:
        criterion.save(update_fields=fields)
    for d in (before, after):  # an indicator by its code in the event
        if isinstance(d.get("indicator"), Indicator):
            d["indicator"] = d["indicator"].code
    audit_record(
        actor=actor, verb="standard.criterion_update", target=standard,
        region_code=standard.issuing_code,
        summary=_("Criterion %(number)d") % {"number": criterion.number},
        before=before, after=after,
    )  # fmt: skip
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    """Remove a criterion from a draft; the later ones move up one."""
    standard = criterion.standard
    lock_draft(actor, standard)
    criterion.refresh_from_db(fields=["number", "area"])
    state = _criterion_state(criterion)
    number = criterion.number
    criterion.delete()
    _shift_numbers(standard, from_number=number + 1, by=-1)
    audit_record(
        actor=actor, verb="standard.criterion_delete", target=standard,
        region_code=standard.issuing_code,
        summary=_("Criterion %(number)d") % {"number": number}, before=state,
    )  # fmt: skip
