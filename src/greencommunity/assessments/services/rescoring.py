"""Re-scoring drafts: criteria with a numeric rule are filled from the community's indicators
of the assessment's year, then the cached score is recomputed with `standards.scoring`.

One code path serves both a single draft (after each answer) and every draft at once (after an
indicator import, 10,000 drafts in seconds): drafts are taken in batches by primary key, the
scoring spec of each standard is loaded once, answers and indicator values of a batch are read
in one query each, the work is done in Python, and the changed answers and the cached scores
are written with one `executemany` UPDATE per batch. Submitted assessments are never re-scored.

Numeric rules. A rule decides its criterion when the criterion has no sub-conditions (national
12, Huantai 15, Sichuan 6): met = the rule holds on the indicator value; in points mode the full
points when met, else 0; with no value for the year the answer is empty (and the criterion
cannot be answered by hand: the value belongs in the registry). When the criterion has
sub-conditions the threshold is only one of them (Sichuan 15, 16, 21, 23: "除第6条外，门槛只是
该条的一项子条件"), so the scorer answers it and the value read is only kept beside the answer
(`indicator_value`) for the page and the gap list.

Re-scoring records no audit event: it derives cached figures from answers and indicator values
whose every change is itself recorded.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count, Model
from django.utils import timezone

from greencommunity.regions.models import IndicatorValue
from greencommunity.standards.models import Criterion, Standard
from greencommunity.standards.scoring import Answer, Score, StandardSpec, numeric_rule_met, score
from greencommunity.standards.selectors import standard_spec

from ..models import Assessment, AssessmentAnswer, AssessmentStatus

BATCH = 2000  # drafts per batch (x criteria answers read at once)
COMMUNITY_CHUNK = 5000  # community ids per IN list (SQLite's bound on query parameters)
SCORE_FIELDS = ("total", "maximum", "met_count", "answered_count", "passed", "scored_at")
ANSWER_FIELDS = ("met", "points", "indicator_value")

# (pk, community_id, standard_id, year) of a draft
DraftRow = tuple[int, int, int, int]


@dataclass(frozen=True)
class RuleSpec:
    """A criterion's numeric rule on a yearly indicator."""

    criterion_id: int
    indicator_id: int
    operator: str
    threshold: Decimal
    decides: bool  # the rule is the whole criterion (it has no sub-conditions)


@dataclass(frozen=True)
class ScoringPlan:
    """What re-scoring needs of one standard, loaded once per standard."""

    spec: StandardSpec
    rules: tuple[RuleSpec, ...]
    maxima: dict[int, Decimal]  # criterion id -> its points (points mode)


def rule_specs(standard_ids: Iterable[int]) -> dict[int, tuple[RuleSpec, ...]]:
    """The complete numeric rules (indicator, operator and threshold set) by standard id."""
    rows = (
        Criterion.objects.filter(
            standard_id__in=list(standard_ids), indicator__isnull=False, threshold__isnull=False
        )
        .exclude(operator="")
        .annotate(sub_count=Count("sub_conditions"))
        .order_by("number")
        .values_list("standard_id", "pk", "indicator_id", "operator", "threshold", "sub_count")
    )
    rules: dict[int, list[RuleSpec]] = defaultdict(list)
    for standard_id, pk, indicator_id, operator, threshold, sub_count in rows:
        assert threshold is not None and indicator_id is not None  # filtered above
        rules[standard_id].append(
            RuleSpec(criterion_id=pk, indicator_id=indicator_id, operator=operator,
                     threshold=threshold, decides=sub_count == 0)
        )  # fmt: skip
    return {k: tuple(v) for k, v in rules.items()}


def scoring_plan(standard: Standard) -> ScoringPlan:
    spec = standard_spec(standard)
    return ScoringPlan(
        spec=spec,
        rules=rule_specs([standard.pk]).get(standard.pk, ()),
        maxima={c.id: c.points or Decimal(0) for c in spec.criteria},
    )


def deciding_rule_criteria(standard: Standard) -> set[int]:
    """Ids of the criteria answered from an indicator only."""
    return {r.criterion_id for r in rule_specs([standard.pk]).get(standard.pk, ()) if r.decides}


def fill_from_indicator(
    rule: RuleSpec, mode: str, maximum: Decimal, value: Decimal | None
) -> tuple[bool | None, Decimal | None]:
    """The answer (met, points) a deciding rule gives for an indicator value (None: unknown)."""
    met = numeric_rule_met(rule.operator, rule.threshold, value)
    if met is None or mode != "points":
        return met, None
    return met, maximum if met else Decimal(0)


def _plans_for(rows: Sequence[DraftRow], plans: dict[int, ScoringPlan]) -> None:
    missing = {standard_id for _pk, _c, standard_id, _y in rows} - set(plans)
    for standard in Standard.objects.filter(pk__in=missing):
        plans[standard.pk] = scoring_plan(standard)


def _rescore_rows(
    rows: Sequence[DraftRow], plans: dict[int, ScoringPlan], now: datetime
) -> dict[int, Score]:
    """Re-score the drafts `rows` (locked by the caller); returns each draft's score."""
    _plans_for(rows, plans)
    ids = [r[0] for r in rows]
    # answers[assessment][criterion] = [pk, met, points, indicator_value]
    answers: dict[int, dict[int, list[Any]]] = defaultdict(dict)
    for pk, assessment_id, criterion_id, met, points, value in AssessmentAnswer.objects.filter(
        assessment_id__in=ids
    ).values_list("pk", "assessment_id", "criterion_id", "met", "points", "indicator_value"):
        answers[assessment_id][criterion_id] = [pk, met, points, value]
    indicator_ids = {rule.indicator_id for r in rows for rule in plans[r[2]].rules}
    values: dict[tuple[int, int, int], Decimal] = {}
    if indicator_ids:
        for community_id, indicator_id, year, value in IndicatorValue.objects.filter(
            community_id__in={r[1] for r in rows},
            indicator_id__in=indicator_ids,
            year__in={r[3] for r in rows},
        ).values_list("community_id", "indicator_id", "year", "value"):
            values[(community_id, indicator_id, year)] = value

    changed_answers: list[tuple[Any, ...]] = []
    scored_rows: list[tuple[Any, ...]] = []
    scores: dict[int, Score] = {}
    for pk, community_id, standard_id, year in rows:
        plan = plans[standard_id]
        mine = answers.get(pk, {})
        for rule in plan.rules:
            answer = mine.get(rule.criterion_id)
            if answer is None:
                continue
            value = values.get((community_id, rule.indicator_id, year))
            met, points = answer[1], answer[2]
            if rule.decides:
                met, points = fill_from_indicator(
                    rule, plan.spec.mode, plan.maxima[rule.criterion_id], value
                )
            if met != answer[1] or points != answer[2] or value != answer[3]:
                answer[1:] = [met, points, value]
                changed_answers.append((met, points, value, answer[0]))
        result = score(plan.spec, {c: Answer(met=a[1], points=a[2]) for c, a in mine.items()})
        scores[pk] = result
        scored_rows.append(
            (result.total, result.maximum, result.met_count, result.answered, result.passed,
             now, pk)
        )  # fmt: skip
    update_rows(AssessmentAnswer, ANSWER_FIELDS, changed_answers)
    update_rows(Assessment, SCORE_FIELDS, scored_rows)
    return scores


def apply_score(assessment: Assessment, result: Score, now: datetime) -> None:
    assessment.total, assessment.maximum = result.total, result.maximum
    assessment.met_count, assessment.answered_count = result.met_count, result.answered
    assessment.passed, assessment.scored_at = result.passed, now


@transaction.atomic
def assessment_rescore(*, assessment: Assessment) -> Assessment:
    """Fill the numeric-rule criteria of a draft and recompute its cached score (the same
    object is returned with the new figures). A submitted assessment is left as it is."""
    row = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk, status=AssessmentStatus.DRAFT)
        .values_list("pk", "community_id", "standard_id", "year")
        .first()
    )
    if row is not None:
        now = timezone.now()
        scores = _rescore_rows([row], {}, now)
        apply_score(assessment, scores[assessment.pk], now)
    return assessment


def _draft_batches(community_ids: Iterable[int] | None) -> Iterator[list[DraftRow]]:
    drafts = Assessment.objects.filter(status=AssessmentStatus.DRAFT)
    if community_ids is None:
        selections = [drafts]
    else:
        ids = sorted(set(community_ids))
        selections = [
            drafts.filter(community_id__in=ids[i : i + COMMUNITY_CHUNK])
            for i in range(0, len(ids), COMMUNITY_CHUNK)
        ]
    for selection in selections:
        last = 0
        while True:
            rows = list(
                selection.filter(pk__gt=last)
                .order_by("pk")
                .select_for_update()
                .values_list("pk", "community_id", "standard_id", "year")[:BATCH]
            )
            if not rows:
                break
            yield rows
            last = rows[-1][0]


@transaction.atomic
def assessments_rescore_drafts(*, community_ids: Iterable[int] | None = None) -> int:
    """Re-score every draft (only those of `community_ids` when given), e.g. after the
    community indicators changed; returns how many were re-scored."""
    plans: dict[int, ScoringPlan] = {}
    now = timezone.now()
    count = 0
    for rows in _draft_batches(community_ids):
        _rescore_rows(rows, plans, now)
        count += len(rows)
    return count


def update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """UPDATE `model`'s rows by primary key through the DB-API `executemany`: each row is the
    values of `fields` followed by the pk. Values are prepared by the model fields as a save
    would; no `save()`, signals or `auto_now` (as with `bulk_update`, at a fraction of its
    cost: no CASE expression per row and field to compile)."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    qn = connection.ops.quote_name
    concrete = {f.name: f for f in opts.concrete_fields}
    model_fields = [concrete[f] for f in fields]
    pk_field = opts.pk
    assert pk_field is not None and all(f.column for f in model_fields)
    assignments = ", ".join(f"{qn(str(f.column))} = %s" for f in model_fields)
    # Identifiers come from model metadata, quoted by the backend; values are parameters.
    sql = f"UPDATE {qn(opts.db_table)} SET {assignments} WHERE {qn(str(pk_field.column))} = %s"  # noqa: S608
    # Scores repeat (the same totals, flags and time on thousands of rows): each distinct
    # value is prepared once. The type is in the key: True == 1 == Decimal(1) as dict keys.
    memo: dict[tuple[int, type, Any], Any] = {}

    def prep(i: int, value: Any) -> Any:
        key = (i, type(value), value)
        if key not in memo:
            memo[key] = model_fields[i].get_db_prep_save(value, connection)
        return memo[key]

    width = len(model_fields)
    prepared = [
        (
            *(prep(i, row[i]) for i in range(width)),
            pk_field.get_db_prep_save(row[width], connection),
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(prepared), BATCH):
            cursor.executemany(sql, prepared[i : i + BATCH])
    return len(prepared)
