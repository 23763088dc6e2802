"""Reads of standards: the scoring spec of a standard, and the catalogue of standards."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from .models import Criterion, Standard
from .scoring import CriterionSpec, PassRule, StandardSpec


def standard_spec(standard: Standard) -> StandardSpec:
    """What the scoring engine needs of a standard (one query)."""
    criteria = Criterion.objects.filter(standard=standard).select_related("area").order_by("number")
    return StandardSpec(
        mode=standard.scoring_mode,
        criteria=tuple(
            CriterionSpec(
                id=c.pk,
                number=c.number,
                area=c.area.number,
                national_area=c.area.national_area,
                points=c.points,
                veto=c.veto,
            )
            for c in criteria
        ),
        rule=PassRule(
            all_met=standard.pass_all_met,
            min_met=standard.pass_min_met,
            min_total=standard.pass_min_total,
            no_veto_failed=standard.pass_no_veto_failed,
        ),
    )


def pass_rule_text(standard: Standard) -> str:
    """The pass rule in words (Chinese, as the seeds state it)."""
    parts = []
    if standard.pass_all_met:
        parts.append("全部条目达标")
    if standard.pass_min_met is not None:
        parts.append(f"至少 {standard.pass_min_met} 条达标")
    if standard.pass_min_total is not None:
        parts.append(f"总分 ≥ {standard.pass_min_total.normalize():f}")
    if standard.pass_no_veto_failed:
        parts.append("否决项全部达标")
    return "；".join(parts) or "未设通过线"


def standard_catalogue() -> QuerySet[Standard]:
    return Standard.objects.annotate(
        criteria_count=Count("criteria"), total_points=Sum("criteria__points")
    ).order_by("key", "version")


def standard_summary(standard: Any) -> dict[str, Any]:
    """One line of `greencommunity standards --json`."""
    total = standard.total_points
    return {
        "id": standard.pk,
        "key": standard.key,
        "name": standard.name,
        "region": standard.issuing_code,
        "version": standard.version,
        "status": standard.status,
        "scoring_mode": standard.scoring_mode,
        "criteria_count": standard.criteria_count,
        "total_points": float(total) if isinstance(total, Decimal) else total,
        "pass_rule": {
            "all_met": standard.pass_all_met,
            "min_met": standard.pass_min_met,
            "min_total": float(standard.pass_min_total)
            if standard.pass_min_total is not None
            else None,
            "no_veto_failed": standard.pass_no_veto_failed,
            "text": pass_rule_text(standard),
        },
    }
