"""Reads for the self-assessment pages: the list with its filters, the content of one
assessment's page (areas, criteria, answers, sub-conditions, evidence, area subtotals and the
national projection) in a fixed number of queries, and the start form's choices."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.regions.models import Community
from greencommunity.standards.models import (
    NATIONAL_AREAS,
    Area,
    Criterion,
    ScoringMode,
    Standard,
    StandardStatus,
    SubCondition,
)
from greencommunity.standards.scoring import Answer, Score, numeric_rule_met, score, suggest_points
from greencommunity.standards.selectors import standard_spec
from greencommunity.standards.selectors_versions import standard_applies_to, standard_in_force

from .models import AnswerSource, Assessment, AssessmentAnswer, Evidence
from .selectors import assessment_list, evidence_by_answer


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


# ---------------------------------------------------------------------------- list


def assessment_filtered_list(
    *,
    actor: Any,
    year: int | None = None,
    status: str | None = None,
    passed: str = "",
    community_code: str = "",
) -> QuerySet[Assessment]:
    """`selectors.assessment_list` with the list page's filters: passed is "yes", "no" or
    "none" (no pass mark), a community by its division code."""
    queryset = assessment_list(actor=actor, year=year, status=status)
    if passed in ("yes", "no"):
        queryset = queryset.filter(passed=passed == "yes")
    elif passed == "none":
        queryset = queryset.filter(passed__isnull=True)
    if community_code:
        queryset = queryset.filter(community__region__code=community_code)
    return queryset


def community_assessments(actor: Any, community: Community) -> list[Assessment]:
    """Every assessment (every revision) of one community the actor may see."""
    return list(assessment_list(actor=actor, community_id=community.pk))


# ---------------------------------------------------------------------------- start


def start_standards(community: Community) -> tuple[list[Standard], Standard | None]:
    """The published standards that may serve the community (national, or issued by its
    region or above), and the one in force today (the form's default)."""
    published = Standard.objects.filter(status=StandardStatus.PUBLISHED).order_by(
        "issuing_code", "key", "-version"
    )
    code = community.region.code
    choices = [s for s in published if standard_applies_to(s, code)]
    in_force = standard_in_force(community.region)
    default = in_force.standard if in_force is not None else None
    if default is not None and default.pk not in {s.pk for s in choices}:
        choices.insert(0, default)
    return choices, default


# ---------------------------------------------------------------------------- the page


def pass_rule_lines(standard: Standard) -> list[str]:
    """The pass rule in the interface language, one line per condition (all must hold)."""
    lines = []
    if standard.pass_all_met:
        lines.append(_("every criterion met"))
    if standard.pass_min_met is not None:
        lines.append(_("at least %(count)d criteria met") % {"count": standard.pass_min_met})
    if standard.pass_min_total is not None:
        lines.append(_("total at least %(total)s") % {"total": _number(standard.pass_min_total)})
    if standard.pass_no_veto_failed:
        lines.append(_("no veto criterion failed"))
    return lines


def rule_text(criterion: Criterion) -> str:
    """A criterion's numeric rule, e.g. "≥ 30 %" ("" without a complete rule)."""
    if criterion.indicator is None or not criterion.operator or criterion.threshold is None:
        return ""
    unit = f" {criterion.indicator.unit}" if criterion.indicator.unit else ""
    return f"{criterion.get_operator_display()} {_number(criterion.threshold)}{unit}"


@dataclass(frozen=True)
class SubItem:
    """A sub-condition as its row shows it: ticked or not."""

    key: str  # its number, as text for the page
    text: str
    ticked: bool


@dataclass
class CriterionRow:
    """One criterion of the page with its answer and evidence. The page renders dozens of
    these: what the template reads repeatedly is computed once (texts, keys, the ticks)."""

    criterion: Criterion
    answer: AssessmentAnswer
    subs: list[SubCondition]
    evidence: list[Evidence]
    points_mode: bool
    rule: str = ""  # the numeric rule ("" without one)
    indicator_met: bool | None = None
    suggestion: Decimal | None = None  # points the ticks suggest (points mode, ticks)
    departments_in_area: bool = False  # the area names the departments of all its criteria
    # Filled by the view: addresses of the row's actions and its files as links.
    links: dict[str, str] = field(default_factory=dict)
    files: list[Any] = field(default_factory=list)
    # Set by a view that shows a refused change: the values posted and the errors by field.
    posted: dict[str, Any] | None = None
    errors: defaultdict[str, str] = field(default_factory=lambda: defaultdict(str))
    upload_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = str(self.criterion.pk)
        self.number = str(self.criterion.number)
        self.maximum = self.criterion.points or Decimal(0)
        self.maximum_text = _number(self.maximum)
        self._stored_ticks = {n for n in self.answer.ticked if isinstance(n, int)}
        self._items: list[SubItem] | None = None

    def show_refused(self, posted: dict[str, Any], errors: dict[str, str]) -> None:
        """Show the values posted, with the service's errors at their fields."""
        self.posted = posted
        self.errors.update(errors)
        self._items = None

    @property
    def from_indicator(self) -> bool:
        return self.answer.source == AnswerSource.INDICATOR

    @property
    def ticked(self) -> set[int]:
        if self.posted is not None:
            return set(self.posted.get("ticked", ()))
        return self._stored_ticks

    @property
    def sub_conditions(self) -> list[SubItem]:
        if self._items is None:
            ticked = self.ticked
            self._items = [SubItem(str(s.number), s.text, s.number in ticked) for s in self.subs]
        return self._items

    @property
    def points_value(self) -> str:
        """The points field's value: what was posted when refused, else the stored points."""
        if self.posted is not None:
            return str(self.posted.get("points", ""))
        return self.points_text

    @property
    def points_text(self) -> str:
        return "" if self.answer.points is None else _number(self.answer.points)

    @property
    def suggestion_text(self) -> str:
        return "" if self.suggestion is None else _number(self.suggestion)

    @property
    def met_value(self) -> str:
        if self.posted is not None:
            return str(self.posted.get("met", ""))
        if self.answer.met is None:
            return ""
        return "yes" if self.answer.met else "no"

    @property
    def notes_value(self) -> str:
        if self.posted is not None:
            return str(self.posted.get("notes", ""))
        return self.answer.notes

    @property
    def is_met(self) -> bool:
        if self.points_mode:
            return self.answer.points is not None and self.answer.points >= self.maximum > 0
        return bool(self.answer.met)

    @property
    def suggestion_differs(self) -> bool:
        return self.suggestion is not None and self.suggestion != self.answer.points


@dataclass
class AreaBlock:
    area: Area
    awarded: Decimal
    maximum: Decimal
    rows: list[CriterionRow] = field(default_factory=list)
    departments: str = ""  # the responsible departments when all its criteria share them

    @property
    def percent(self) -> int:
        return _percent(self.awarded / self.maximum if self.maximum else None)


@dataclass
class NationalShare:
    number: int
    name: str
    percent: int | None  # 0..100; None: the standard has no criterion in this area


@dataclass
class AssessmentPage:
    assessment: Assessment
    points_mode: bool
    areas: list[AreaBlock]
    score: Score
    national: list[NationalShare]
    pass_rule: list[str]
    rows: dict[int, CriterionRow]  # by criterion id

    @property
    def criteria_count(self) -> int:
        return len(self.rows)

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rows.values() if not r.answer.is_answered)


def _percent(share: Decimal | None) -> int:
    return int(((share or Decimal(0)) * 100).to_integral_value())


def _criteria(standard: Standard) -> list[Criterion]:
    return list(
        Criterion.objects.filter(standard=standard)
        .select_related("area", "indicator")
        .prefetch_related(
            Prefetch("sub_conditions", queryset=SubCondition.objects.order_by("number"))
        )
        .order_by("area__number", "number")
    )


def assessment_page(assessment: Assessment) -> AssessmentPage:
    """Everything the assessment page shows, in five queries whatever the number of criteria
    and files: the scoring spec, the criteria (with areas and indicators), their
    sub-conditions, the answers, the evidence."""
    standard = assessment.standard
    points_mode = standard.scoring_mode == ScoringMode.POINTS
    spec = standard_spec(standard)
    criteria = _criteria(standard)
    answers = {a.criterion_id: a for a in AssessmentAnswer.objects.filter(assessment=assessment)}
    files = evidence_by_answer(assessment)
    result = score(
        spec, {c: Answer(met=a.met, points=a.points) for c, a in answers.items()}
    )  # area subtotals and the national projection; the totals are cached on the assessment
    blocks: dict[int, AreaBlock] = {}
    rows: dict[int, CriterionRow] = {}
    for c in criteria:
        answer = answers.get(c.pk)
        if answer is None:  # the standard changed under the draft: nothing to answer
            continue
        area = c.area
        if area.pk not in blocks:
            awarded, maximum = result.areas.get(area.number, (Decimal(0), Decimal(0)))
            blocks[area.pk] = AreaBlock(area=area, awarded=awarded, maximum=maximum)
        subs = list(c.sub_conditions.all())
        row = CriterionRow(
            criterion=c, answer=answer, subs=subs,
            evidence=files.get(answer.pk, []), points_mode=points_mode, rule=rule_text(c),
        )  # fmt: skip
        if row.rule and c.operator and c.threshold is not None:
            row.indicator_met = numeric_rule_met(c.operator, c.threshold, answer.indicator_value)
        if points_mode and row.ticked and not row.from_indicator:
            row.suggestion = suggest_points(row.maximum, len(row.ticked), len(subs))
        blocks[area.pk].rows.append(row)
        rows[c.pk] = row
    for block in blocks.values():
        shared = {r.criterion.departments for r in block.rows}
        if len(block.rows) > 1 and len(shared) == 1 and "" not in shared:
            block.departments = shared.pop()
            for r in block.rows:
                r.departments_in_area = True
    mapped = {c.national_area for c in spec.criteria}
    national = [
        NationalShare(n, name, _percent(result.national.get(n)) if n in mapped else None)
        for n, name in sorted(NATIONAL_AREAS.items())
    ]
    return AssessmentPage(
        assessment=assessment, points_mode=points_mode, areas=list(blocks.values()),
        score=result, national=national, pass_rule=pass_rule_lines(standard), rows=rows,
    )  # fmt: skip


def assessment_criterion(assessment: Assessment, criterion_id: int) -> Criterion:
    """A criterion of the assessment's standard with its sub-conditions, else NotFound."""
    criterion = (
        Criterion.objects.filter(standard_id=assessment.standard_id, pk=criterion_id)
        .prefetch_related(
            Prefetch("sub_conditions", queryset=SubCondition.objects.order_by("number"))
        )
        .first()
    )
    if criterion is None:
        raise NotFound(_("This criterion is not part of the assessment's standard."))
    return criterion


def latest_revision(assessment: Assessment, revisions: list[Assessment]) -> bool:
    """Whether `assessment` is the latest of its revisions (only that one may be reopened)."""
    return not revisions or revisions[0].revision == assessment.revision
