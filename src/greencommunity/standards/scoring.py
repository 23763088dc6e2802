"""Scoring a community against a standard: pure functions over plain data, so that a page, an
import-triggered re-score of thousands of drafts and a reviewer's score all use one rule.

Met mode: each criterion is met or not; a criterion weighs 1 in totals and projections.
Points mode: a scorer awards 0 to the criterion's points in steps of 0.5; ticked sub-conditions
suggest points x ticked / total (rounded down to 0.5).
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

HALF = Decimal("0.5")
OPERATORS = {
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
}


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    number: int
    area: int  # the area's number
    national_area: int
    points: Decimal | None  # None in met mode
    veto: bool = False


@dataclass(frozen=True)
class PassRule:
    all_met: bool = False
    min_met: int | None = None
    min_total: Decimal | None = None
    no_veto_failed: bool = False

    @property
    def is_set(self) -> bool:
        return (
            self.all_met
            or self.min_met is not None
            or self.min_total is not None
            or (self.no_veto_failed)
        )


@dataclass(frozen=True)
class StandardSpec:
    mode: str  # "met" or "points"
    criteria: tuple[CriterionSpec, ...]
    rule: PassRule


@dataclass(frozen=True)
class Answer:
    """A scorer's answer for one criterion: met (met mode) or awarded points (points mode);
    None for either means not answered yet (counts as not met / 0)."""

    met: bool | None = None
    points: Decimal | None = None


@dataclass
class Score:
    total: Decimal
    maximum: Decimal
    met_count: int
    criteria_count: int
    answered: int
    areas: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # awarded, max
    national: dict[int, Decimal] = field(default_factory=dict)  # share 0..1 per national area
    failed: list[int] = field(default_factory=list)  # criterion numbers not met
    veto_failed: list[int] = field(default_factory=list)
    passed: bool | None = None  # None: the standard has no pass mark
    unmet_conditions: list[str] = field(default_factory=list)


def suggest_points(points: Decimal, ticked: int, total: int) -> Decimal:
    """Points suggested by ticked sub-conditions: points x ticked / total, down to 0.5."""
    if total <= 0:
        return Decimal(0)
    raw = points * ticked / total
    return (raw / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF


def valid_points(value: Decimal, maximum: Decimal) -> bool:
    """0 to the criterion's points, in steps of 0.5."""
    return Decimal(0) <= value <= maximum and (value / HALF) == (value / HALF).to_integral_value()


def numeric_rule_met(operator: str, threshold: Decimal, value: Decimal | None) -> bool | None:
    """Whether an indicator value satisfies a criterion's rule; None without a value."""
    if value is None:
        return None
    return bool(OPERATORS[operator](value, threshold))


def _awarded(spec: StandardSpec, c: CriterionSpec, a: Answer | None) -> tuple[Decimal, Decimal]:
    if spec.mode == "met":
        return (Decimal(1) if a is not None and a.met else Decimal(0)), Decimal(1)
    maximum = c.points or Decimal(0)
    got = a.points if a is not None and a.points is not None else Decimal(0)
    return min(got, maximum), maximum


def score(spec: StandardSpec, answers: dict[int, Answer]) -> Score:
    """Totals, area subtotals, the national projection and the pass / fail of the rule."""
    total = maximum = Decimal(0)
    met_count = answered = 0
    areas: dict[int, tuple[Decimal, Decimal]] = {}
    national: dict[int, tuple[Decimal, Decimal]] = {
        n: (Decimal(0), Decimal(0)) for n in range(1, 6)
    }
    failed, veto_failed = [], []
    for c in spec.criteria:
        a = answers.get(c.id)
        if a is not None and (a.met is not None or a.points is not None):
            answered += 1
        got, most = _awarded(spec, c, a)
        total, maximum = total + got, maximum + most
        met = most > 0 and got >= most
        met_count += met
        if not met:
            failed.append(c.number)
            if c.veto:
                veto_failed.append(c.number)
        g, m = areas.get(c.area, (Decimal(0), Decimal(0)))
        areas[c.area] = (g + got, m + most)
        g, m = national[c.national_area]
        national[c.national_area] = (g + got, m + most)
    result = Score(
        total=total, maximum=maximum, met_count=met_count, criteria_count=len(spec.criteria),
        answered=answered, areas=areas,
        national={n: (g / m if m else Decimal(0)) for n, (g, m) in national.items()},
        failed=failed, veto_failed=veto_failed,
    )  # fmt: skip
    rule = spec.rule
    if rule.is_set:
        unmet = []
        if rule.all_met and met_count < len(spec.criteria):
            unmet.append("all_met")
        if rule.min_met is not None and met_count < rule.min_met:
            unmet.append("min_met")
        if rule.min_total is not None and total < rule.min_total:
            unmet.append("min_total")
        if rule.no_veto_failed and veto_failed:
            unmet.append("no_veto_failed")
        result.passed, result.unmet_conditions = not unmet, unmet
    return result
