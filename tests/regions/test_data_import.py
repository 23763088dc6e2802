"""Compounds and indicators from files: all or nothing, scoped to where the actor may act."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greencommunity.audit.models import Event
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import read_table
from greencommunity.regions.models import Compound, Indicator, IndicatorValue
from greencommunity.regions.services.data_import import (
    COMPOUND_ALIASES,
    compounds_import,
    indicator_aliases,
    indicators_import,
)


def table(head, rows, aliases):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(head)
    w.writerows(rows)
    return read_table(out.getvalue().encode(), aliases=aliases, name="f.csv")


COMPOUND_HEAD = ["社区代码", "小区名称", "建成年份", "改造状态", "改造年份"]
INDICATOR_HEAD = ["社区代码", "年度", "绿地率（%）", "物业管理覆盖率", "public_green_per_person"]


def state():
    return (
        sorted(
            Compound.objects.values_list("community__region__code", "name", "renovation_status")
        ),
        sorted(IndicatorValue.objects.values_list("community__region__code", "indicator__code",
                                                  "year", "value")),
        Event.objects.count(),
    )  # fmt: skip


@pytest.fixture
def street_user(tree, make_user):
    return make_user("street", tree["street"], username="jiedao")


def test_compounds_are_upserted_and_renovation_completion_computed(tree, street_user):
    rows = [
        ["370321001002", "西苑小区", "1998", "已完成", "2024"],
        ["370321001002", "西苑南区", "2001", "改造中", "2024"],
        ["370321001002", "新苑", "2015", "", ""],
    ]
    summary = compounds_import(actor=street_user, rows=table(COMPOUND_HEAD, rows, COMPOUND_ALIASES))
    assert (summary.created, summary.updated) == (3, 0)
    community = tree["community"].community
    assert community.compounds.get(name="新苑").renovation_status == "none"
    rate = IndicatorValue.objects.get(
        community=community, indicator__code="renovation_completion", year=2024
    )
    assert rate.value == Decimal("50.00") and rate.source == "computed"
    rows[1][3] = "已完成"
    summary = compounds_import(actor=street_user, rows=table(COMPOUND_HEAD, rows, COMPOUND_ALIASES))
    assert (summary.created, summary.updated) == (0, 1)
    rate.refresh_from_db()
    assert rate.value == Decimal("100.00")
    assert Event.objects.filter(verb="registry.import_compounds").count() == 2


BAD_COMPOUNDS = {
    "unknown community": (["370321001099", "甲", "", "", ""], "社区代码", "找不到该社区"),
    "street code": (["370321001", "甲", "", "", ""], "社区代码", "社区一级"),
    "out of scope": (["370303001001", "甲", "", "", ""], "社区代码", "找不到该社区"),
    "empty name": (["370321001002", "", "", "", ""], "小区名称", "不能为空"),
    "bad build year": (["370321001002", "甲", "98", "", ""], "建成年份", "年份应在"),
    "bad status": (["370321001002", "甲", "", "拆除", ""], "改造状态", "改造状态应为"),
    "status without year": (["370321001002", "甲", "", "计划", ""], "改造年份", "须填写改造年份"),
    "formula name": (["370321001002", "+SUM(A1)", "", "", ""], "小区名称", "公式"),
}


@pytest.mark.parametrize("case", list(BAD_COMPOUNDS), ids=list(BAD_COMPOUNDS))
def test_bad_compound_files_change_nothing(tree, street_user, case):
    row, column, fragment = BAD_COMPOUNDS[case]
    snapshot = state()
    with pytest.raises(RowError) as caught:
        compounds_import(actor=street_user, rows=table(COMPOUND_HEAD, [row], COMPOUND_ALIASES))
    assert any(e["column"] == column and fragment in e["reason"] for e in caught.value.errors), (
        caught.value.errors
    )
    assert state() == snapshot


def test_duplicate_compound_rows_are_refused(tree, street_user):
    rows = [["370321001002", "甲", "", "", ""], ["370321001002", "甲", "", "", ""]]
    with pytest.raises(RowError) as caught:
        compounds_import(actor=street_user, rows=table(COMPOUND_HEAD, rows, COMPOUND_ALIASES))
    assert caught.value.errors[0]["row"] == 3 and "重复" in caught.value.errors[0]["reason"]


def test_indicators_by_name_or_code_with_units(tree, street_user):
    rows = [["370321001002", "2025", "31.5", "80", "1.2"]]
    summary = indicators_import(actor=street_user, rows=table(INDICATOR_HEAD, rows,
                                                              indicator_aliases()))  # fmt: skip
    assert summary.created == 3
    values = dict(IndicatorValue.objects.filter(year=2025).values_list("indicator__code", "value"))
    assert values == {
        "green_ratio": Decimal("31.5"),
        "property_management_coverage": Decimal("80"),
        "public_green_per_person": Decimal("1.2"),
    }
    assert set(IndicatorValue.objects.values_list("source", flat=True)) == {"imported"}


BAD_INDICATORS = {
    "percent over 100": (["370321001002", "2025", "120", "", ""], "绿地率", "不能大于 100"),
    "negative": (["370321001002", "2025", "", "-1", ""], "物业管理覆盖率", "不小于 0"),
    "not a number": (["370321001002", "2025", "", "", "abc"], "人均公共绿地面积", "应为数字"),
    "bad year": (["370321001002", "25", "1", "", ""], "年度", "年份应在"),
    "future year": (["370321001002", "2999", "1", "", ""], "年度", "年份应在"),
}


@pytest.mark.parametrize("case", list(BAD_INDICATORS), ids=list(BAD_INDICATORS))
def test_bad_indicator_files_change_nothing(tree, street_user, case):
    row, column, fragment = BAD_INDICATORS[case]
    snapshot = state()
    with pytest.raises(RowError) as caught:
        indicators_import(actor=street_user, rows=table(INDICATOR_HEAD, [row],
                                                        indicator_aliases()))  # fmt: skip
    assert any(e["column"] == column and fragment in e["reason"] for e in caught.value.errors), (
        caught.value.errors
    )
    assert state() == snapshot


def test_computed_indicators_cannot_be_imported(tree, street_user):
    rows = table(["社区代码", "年度", "老旧小区改造完成率"], [["370321001002", "2025", "50"]],
                 indicator_aliases())  # fmt: skip
    with pytest.raises(RowError) as caught:
        indicators_import(actor=street_user, rows=rows)
    assert "自动计算" in caught.value.errors[0]["reason"]
    assert Indicator.objects.get(code="renovation_completion").computed


def test_a_department_user_may_not_import_data(tree, make_user):
    department = make_user("department", tree["county"])
    rows = table(COMPOUND_HEAD, [["370321001002", "甲", "", "", ""]], COMPOUND_ALIASES)
    with pytest.raises(RowError) as caught:
        compounds_import(actor=department, rows=rows)
    assert "无权" in caught.value.errors[0]["reason"]


def test_cli_imports_compounds_and_exits_2_on_errors(tree, street_user, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("社区代码,小区名称\n370321001002,西苑小区\n370321001002,\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_compounds", str(path), "--actor", "jiedao")
    assert caught.value.returncode == 2
    assert "3, 小区名称, , 小区名称不能为空 / the name is required" in capsys.readouterr().err
    path.write_text("社区代码,小区名称\n370321001002,西苑小区\n", encoding="utf-8")
    call_command("import_compounds", str(path), "--actor", "jiedao")
    assert Compound.objects.filter(name="西苑小区").exists()
    ind = tmp_path / "i.csv"
    ind.write_text("社区代码,年度,绿地率\n370321001002,2025,30\n", encoding="utf-8")
    call_command("import_indicators", str(ind), "--actor", "jiedao")
    assert IndicatorValue.objects.get(indicator__code="green_ratio").value == Decimal("30")


def test_a_preview_counts_what_the_import_would_change_and_writes_nothing(tree, street_user):
    rows = [
        ["370321001002", "西苑小区", "1998", "已完成", "2024"],
        ["370321001002", "新苑", "", "", ""],
    ]
    compounds_import(actor=street_user, rows=table(COMPOUND_HEAD, rows, COMPOUND_ALIASES))
    rows[1][2] = "2015"
    rows.append(["370321001002", "南苑", "", "", ""])
    snapshot = state()
    summary = compounds_import(
        actor=street_user, rows=table(COMPOUND_HEAD, rows, COMPOUND_ALIASES), dry_run=True
    )
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert state() == snapshot
