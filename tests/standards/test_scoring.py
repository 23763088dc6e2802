"""Every scoring mode and pass rule, the sub-condition suggestion, and the national projection."""

from decimal import Decimal as D

import pytest

from greencommunity.standards.scoring import (
    Answer,
    CriterionSpec,
    PassRule,
    StandardSpec,
    numeric_rule_met,
    score,
    suggest_points,
    valid_points,
)


def met_standard(rule, veto=()):
    criteria = tuple(
        CriterionSpec(id=i, number=i, area=1 + (i - 1) // 2, national_area=1 + (i - 1) // 2,
                      points=None, veto=i in veto)
        for i in range(1, 5)
    )  # fmt: skip
    return StandardSpec(mode="met", criteria=criteria, rule=rule)


def points_standard(rule):
    # two areas: criteria 1-2 (5 points each) in national area 1, 3 (3 points) in area 3
    criteria = (
        CriterionSpec(1, 1, 1, 1, D(5)),
        CriterionSpec(2, 2, 1, 1, D(5)),
        CriterionSpec(3, 3, 2, 3, D(3), veto=True),
    )
    return StandardSpec(mode="points", criteria=criteria, rule=rule)


def test_met_mode_all_met():
    spec = met_standard(PassRule(all_met=True))
    all_yes = {i: Answer(met=True) for i in range(1, 5)}
    assert score(spec, all_yes).passed is True
    one_no = {**all_yes, 3: Answer(met=False)}
    s = score(spec, one_no)
    assert (s.passed, s.failed, s.met_count, s.total, s.maximum) == (False, [3], 3, D(3), D(4))
    assert s.unmet_conditions == ["all_met"]


def test_met_mode_n_of_m_and_unanswered_counts_as_not_met():
    spec = met_standard(PassRule(min_met=3))
    s = score(spec, {1: Answer(met=True), 2: Answer(met=True), 3: Answer(met=True)})
    assert s.passed is True and s.answered == 3 and s.failed == [4]
    assert score(spec, {1: Answer(met=True)}).passed is False


def test_veto_rule_combined_with_n_of_m():
    spec = met_standard(PassRule(min_met=3, no_veto_failed=True), veto=(4,))
    answers = {1: Answer(met=True), 2: Answer(met=True), 3: Answer(met=True), 4: Answer(met=False)}
    s = score(spec, answers)
    assert s.passed is False and s.veto_failed == [4] and s.unmet_conditions == ["no_veto_failed"]


def test_points_mode_total_threshold_areas_and_projection():
    spec = points_standard(PassRule(min_total=D(10)))
    s = score(spec, {1: Answer(points=D(5)), 2: Answer(points=D("2.5")), 3: Answer(points=D(3))})
    assert (s.total, s.maximum, s.passed) == (D("10.5"), D(13), True)
    assert s.areas == {1: (D("7.5"), D(10)), 2: (D(3), D(3))}
    assert s.national[1] == D("0.75") and s.national[3] == D(1) and s.national[5] == D(0)
    assert s.failed == [2] and s.met_count == 2
    low = score(spec, {1: Answer(points=D(5)), 3: Answer(points=D(3))})
    assert low.passed is False and low.unmet_conditions == ["min_total"]


def test_points_over_the_maximum_are_capped():
    spec = points_standard(PassRule())
    assert score(spec, {1: Answer(points=D(9))}).total == D(5)


def test_no_pass_rule_means_no_verdict():
    s = score(points_standard(PassRule()), {})
    assert s.passed is None and s.total == D(0) and s.answered == 0


@pytest.mark.parametrize(
    ("points", "ticked", "total", "expected"),
    [(D(5), 2, 3, D("3")), (D(5), 3, 3, D(5)), (D(4), 1, 3, D("1")), (D(3), 1, 2, D("1.5")),
     (D(5), 0, 4, D(0)), (D(5), 1, 0, D(0))],
)  # fmt: skip
def test_sub_conditions_suggest_points_in_half_steps(points, ticked, total, expected):
    assert suggest_points(points, ticked, total) == expected


@pytest.mark.parametrize(
    ("value", "ok"), [(D(0), True), (D("2.5"), True), (D(5), True), (D("2.3"), False),
                      (D("5.5"), False), (D(-1), False)]
)  # fmt: skip
def test_valid_points(value, ok):
    assert valid_points(value, D(5)) is ok


@pytest.mark.parametrize(
    ("op", "threshold", "value", "expected"),
    [(">=", D(30), D(30), True), (">=", D(30), D("29.9"), False), (">", D(80), D(80), False),
     (">", D(80), D("80.5"), True), ("<=", D(1), D(1), True), ("<", D(1), D(1), False),
     (">=", D(25), None, None)],
)  # fmt: skip
def test_numeric_rules(op, threshold, value, expected):
    assert numeric_rule_met(op, threshold, value) is expected
