"""Reads of self-assessments: access by id within the actor's scope, lists, revisions, the
gap list (the criteria still failing, with the departments responsible for them) and the
evidence files of the answers."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.standards.models import ScoringMode
from greencommunity.standards.scoring import numeric_rule_met

from .models import Assessment, AssessmentAnswer, Evidence
from .policies import can_view_assessment, scope_assessments


def access_assessment(actor: Any, assessment_id: int) -> Assessment:
    """The assessment, or NotFound when it is missing or outside the actor's scope."""
    queryset = scope_assessments(
        actor, Assessment.objects.select_related("community__region", "standard")
    )
    try:
        return queryset.get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Self-assessment not found.")) from None


def assessment_list(
    *,
    actor: Any,
    community_id: int | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[Assessment]:
    """The assessments the actor may see, newest year first, latest revision first."""
    queryset = scope_assessments(
        actor, Assessment.objects.select_related("community__region", "standard")
    )
    if community_id is not None:
        queryset = queryset.filter(community_id=community_id)
    if year is not None:
        queryset = queryset.filter(year=year)
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-year", "community__region__code", "standard_id", "-revision")


def assessment_revisions(assessment: Assessment) -> QuerySet[Assessment]:
    """Every revision of the same community, standard and year, the latest first."""
    return Assessment.objects.filter(
        community_id=assessment.community_id, standard_id=assessment.standard_id,
        year=assessment.year,
    ).order_by("-revision")  # fmt: skip


@dataclass(frozen=True)
class Gap:
    """A criterion not (fully) met. Points fields are None in met mode."""

    criterion_id: int
    number: int
    text: str
    area: str
    points: Decimal | None  # the criterion's points
    awarded: Decimal | None
    missing: Decimal | None  # points still missing
    answered: bool
    departments: str
    source: str  # "self" or "indicator"
    indicator: str  # the numeric rule's indicator ("" without one)
    rule: str  # e.g. "≥ 30 %"
    indicator_value: Decimal | None  # the value of the assessment's year (None: not entered)
    indicator_met: bool | None  # whether the value satisfies the rule (None: unknown)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def gap_list(assessment: Assessment) -> list[Gap]:
    """The failing criteria in number order, with their text, the points missing and the
    departments responsible (one query, plus the standard when not loaded)."""
    points_mode = assessment.standard.scoring_mode == ScoringMode.POINTS
    answers = (
        AssessmentAnswer.objects.filter(assessment=assessment)
        .select_related("criterion__area", "criterion__indicator")
        .order_by("criterion__number")
    )
    gaps = []
    for a in answers:
        c = a.criterion
        maximum = awarded = missing = None
        if points_mode:
            maximum = c.points or Decimal(0)
            awarded = min(a.points, maximum) if a.points is not None else Decimal(0)
            if maximum > 0 and awarded >= maximum:
                continue
            missing = maximum - awarded
        elif a.met:
            continue
        rule = indicator = ""
        indicator_met = None
        if c.indicator is not None and c.operator and c.threshold is not None:
            indicator = c.indicator.name
            unit = f" {c.indicator.unit}" if c.indicator.unit else ""
            rule = f"{c.get_operator_display()} {_number(c.threshold)}{unit}"
            indicator_met = numeric_rule_met(c.operator, c.threshold, a.indicator_value)
        gaps.append(
            Gap(
                criterion_id=c.pk, number=c.number, text=c.text, area=c.area.name,
                points=c.points if points_mode else None, awarded=awarded, missing=missing,
                answered=a.is_answered, departments=c.departments, source=a.source,
                indicator=indicator, rule=rule, indicator_value=a.indicator_value,
                indicator_met=indicator_met,
            )
        )  # fmt: skip
    return gaps


# ---------------------------------------------------------------------------- evidence


def evidence_by_answer(assessment: Assessment) -> dict[int, list[Evidence]]:
    """The evidence files of the assessment by answer id, oldest first (one query). Answers
    without files are absent."""
    files: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(answer__assessment=assessment).order_by(
        "answer_id", "uploaded_at", "pk"
    ):
        files.setdefault(evidence.answer_id, []).append(evidence)
    return files


def access_evidence(actor: Any, evidence_id: int) -> Evidence:
    """The evidence file with its answer, criterion, assessment and community, or NotFound when
    it is missing or the actor may not see its assessment."""
    queryset = Evidence.objects.select_related(
        "answer__assessment__community__region", "answer__assessment__standard",
        "answer__criterion",
    )  # fmt: skip
    try:
        evidence = queryset.get(pk=evidence_id)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Evidence file not found.")) from None
    if not can_view_assessment(actor, evidence.answer.assessment):
        raise NotFound(_("Evidence file not found."))
    return evidence
