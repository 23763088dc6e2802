"""The built-in standards as the data migration loads them, and `greencommunity standards`."""

import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from greencommunity.standards.models import Standard
from greencommunity.standards.scoring import Answer, score
from greencommunity.standards.selectors import standard_spec

EXPECTED = {
    # key prefix: (criteria, total points, pass rule text)
    "national": (16, None, "全部条目达标"),
    "tianjin": (16, None, "全部条目达标"),
    "huantai": (20, 100, "总分 ≥ 80"),
    "sichuan": (28, 100, "未设通过线"),
}


@pytest.mark.django_db
def test_the_four_standards_are_loaded_with_their_rules(capsys):
    call_command("standards", "--json")
    rows = {r["key"].split("-")[0]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(EXPECTED)
    for prefix, (count, points, rule) in EXPECTED.items():
        row = rows[prefix]
        assert (row["criteria_count"], row["total_points"], row["pass_rule"]["text"]) == (
            count, points, rule,
        ), prefix  # fmt: skip
        assert {"id", "name", "region", "version"} <= set(row)
    assert rows["huantai"]["region"] == "370321000000"
    assert rows["sichuan"]["region"] == "510000000000"


@pytest.mark.django_db
def test_areas_map_onto_the_five_national_areas():
    for standard in Standard.objects.all():
        assert sorted(standard.areas.values_list("national_area", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_sichuan_area_points_and_criterion_15():
    sichuan = Standard.objects.get(key__startswith="sichuan")
    totals = {a.number: sum(c.points for c in a.criteria.all()) for a in sichuan.areas.all()}
    assert list(totals.values()) == [D(25), D(25), D(25), D(10), D(15)]
    c15 = sichuan.criteria.get(number=15)
    assert c15.text.startswith("社区公共空间布局合理") and c15.points == D(5)
    assert c15.area.name == "营造社区宜居环境"


@pytest.mark.django_db
def test_huantai_scores_pass_at_80():
    huantai = Standard.objects.get(key__startswith="huantai")
    spec = standard_spec(huantai)
    answers = {c.id: Answer(points=D(5)) for c in spec.criteria[:16]}
    assert score(spec, answers).total == D(80) and score(spec, answers).passed is True
    answers.pop(spec.criteria[0].id)
    assert score(spec, answers).passed is False


@pytest.mark.django_db
def test_numeric_rules_point_at_registry_indicators():
    linked = [c for s in Standard.objects.all() for c in s.criteria.filter(indicator__isnull=False)]
    assert linked, "the seeds' numeric thresholds are rules"
    for c in linked:
        assert c.operator in {">=", ">", "<=", "<"} and c.threshold is not None
