"""Export and import of a standard (xlsx and JSON): round trips of the built-in standards,
row errors that write nothing, who may import, the CLI and the template."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from greencommunity.audit.models import Event
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import read_xlsx_values
from greencommunity.standards.builtin import BUILTIN
from greencommunity.standards.models import Area, Criterion, Standard, SubCondition
from greencommunity.standards.services.transfer import (
    standard_export_json,
    standard_export_xlsx,
    standard_import_json,
    standard_import_xlsx,
    standard_template_xlsx,
)

KEYS = ["national-2020", "tianjin-2020", "huantai-2021", "sichuan-2020"]
# Columns of the criteria sheet, and rows of the 标准信息 sheet (value in column B).
COL = {"内容编号": "A", "考核内容": "B", "国家考核内容": "C", "序号": "D", "创建标准": "E",
       "标准分": "F", "评分细则": "G", "佐证材料": "H", "责任部门": "I", "指标": "J", "比较": "K",
       "阈值": "L", "否决项": "M"}  # fmt: skip
INFO_ROW = {"key": 2, "name": 3, "issuing_region": 4, "version": 5, "scoring_mode": 6,
            "pass_all_met": 7, "pass_min_met": 8, "pass_min_total": 9,
            "pass_no_veto_failed": 10, "description": 11, "source": 12}  # fmt: skip


@pytest.fixture
def superuser(db, make_user):
    user = make_user(None, None, username="root")
    user.is_superuser = True
    user.save()
    return user


def builtin(key):
    return Standard.objects.get(key=key, version=1)


def state():
    return (
        Standard.objects.count(),
        Area.objects.count(),
        Criterion.objects.count(),
        SubCondition.objects.count(),
        Event.objects.filter(verb="standard.import").count(),
    )


def without_version(data):
    return {k: v for k, v in data.items() if k != "version"}


def edit(data, change):
    """The workbook `data` after `change(criteria_sheet, info_sheet, workbook)`."""
    wb = load_workbook(io.BytesIO(data))
    change(wb.worksheets[0], wb["标准信息"] if "标准信息" in wb.sheetnames else None, wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_of(caught):
    return [(e["row"], e["column"], e["reason"]) for e in caught.value.errors]


def assert_refused(call, row, column, reason_part):
    """`call` raises RowError naming (row, column) with `reason_part` in its reason, and
    nothing is written."""
    before = state()
    with pytest.raises(RowError) as caught:
        call()
    assert state() == before
    found = [e for e in caught.value.errors if (e["row"], e["column"]) == (row, column)]
    assert found, errors_of(caught)
    assert any(reason_part in e["reason"] for e in found), errors_of(caught)
    assert all(e["reason_en"] for e in caught.value.errors)
    return caught.value.errors


# ------------------------------------------------------------------------- round trips


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_json_export_is_the_builtin_data(key):
    # given a built-in standard loaded by the data migration
    # when it is exported as JSON
    # then the export is exactly the data it was loaded from
    expected = next(b for b in BUILTIN if b["key"] == key)
    assert standard_export_json(builtin(key)) == json.loads(json.dumps(expected))


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
@pytest.mark.parametrize("key", KEYS)
def test_export_then_import_round_trips_each_builtin_standard(superuser, key, fmt):
    # given a built-in standard exported as xlsx or JSON
    original = builtin(key)
    # when the file is imported again
    if fmt == "xlsx":
        result = standard_import_xlsx(actor=superuser, data=standard_export_xlsx(original))
    else:
        payload = json.loads(json.dumps(standard_export_json(original), ensure_ascii=False))
        result = standard_import_json(actor=superuser, payload=payload)
    # then it is a new draft version of the same key with the same content
    copy = result.standard
    assert (copy.key, copy.version, copy.status) == (key, 2, "draft")
    assert original.status == "published"
    assert without_version(standard_export_json(copy)) == without_version(
        standard_export_json(original)
    )
    assert [(a.number, a.name, a.national_area, a.points) for a in copy.areas.all()] == [
        (a.number, a.name, a.national_area, a.points) for a in original.areas.all()
    ]
    rule = ("pass_all_met", "pass_min_met", "pass_min_total", "pass_no_veto_failed")
    assert [getattr(copy, f) for f in rule] == [getattr(original, f) for f in rule]
    numeric = [(c.number, c.indicator_id, c.operator, c.threshold)
               for c in copy.criteria.exclude(indicator=None)]  # fmt: skip
    assert numeric == [(c.number, c.indicator_id, c.operator, c.threshold)
                       for c in original.criteria.exclude(indicator=None)]  # fmt: skip
    assert (copy.source, copy.description, copy.issuing_code) == (
        original.source, original.description, original.issuing_code,
    )  # fmt: skip
    event = Event.objects.get(verb="standard.import")
    assert (event.target_id, event.region_code) == (str(copy.pk), original.issuing_code)
    # and while that draft exists the key takes no other import (one draft per key)
    with pytest.raises(RowError) as caught:
        standard_import_json(actor=superuser, payload=standard_export_json(original))
    assert "第 2 版仍是草稿" in caught.value.errors[0]["reason"]
    # once it is published, the next import makes version 3
    Standard.objects.filter(pk=copy.pk).update(status="published")
    again = standard_import_json(actor=superuser, payload=standard_export_json(original))
    assert (again.standard.version, again.standard.status) == (3, "draft")


@pytest.mark.django_db
def test_xlsx_layout_one_row_per_criterion_and_standard_info():
    data = standard_export_xlsx(builtin("sichuan-2020"))
    rows = read_xlsx_values(data)
    assert rows[0] == list(COL)
    assert len(rows) == 1 + 28
    c21 = next(r for r in rows[1:] if r[3] == 21)
    sub_conditions = [s.text for s in builtin("sichuan-2020").criteria.get(number=21)
                      .sub_conditions.all()]  # fmt: skip
    assert c21[5] == 3 and c21[6].split("\n") == sub_conditions and len(sub_conditions) > 1
    assert c21[9:13] == ["service_facility_coverage", ">=", 90, "否"]
    info = {r[0]: r[1] for r in read_xlsx_values(data, sheet=1)[1:]}
    assert info["标识"] == "sichuan-2020" and info["评分方式"] == "评分制"
    assert info["发布区划代码"] == "510000000000" and info["通过条件：总分不低于"] is None
    national_xlsx = standard_export_xlsx(builtin("national-2020"))
    national = {r[0]: r[1] for r in read_xlsx_values(national_xlsx, sheet=1)[1:]}
    assert national["评分方式"] == "达标制" and national["通过条件：全部达标"] == "是"


def test_a_new_key_keeps_the_file_version_and_as_version_is_exact(superuser):
    payload = standard_export_json(builtin("huantai-2021"))
    result = standard_import_json(actor=superuser, payload={**payload, "key": "zibo-2022",
                                                            "version": 3})  # fmt: skip
    assert result.standard.version == 3 and result.standard.status == "draft"
    before = state()
    checked = standard_import_json(actor=superuser, payload=payload, dry_run=True)
    assert checked.standard is None and checked.version == 2 and checked.criteria == 20
    assert checked.total_points == D(100) and state() == before
    made = standard_import_json(actor=superuser, payload=payload, version=7)
    assert made.standard.version == 7


def test_merged_area_cells_repeat_the_row_above(superuser, huantai_xlsx):
    # given the county's table with each area's cells merged, as the seed prints it
    def merge(ws, info, wb):
        for column in "ABC":
            ws.merge_cells(f"{column}2:{column}5")  # area 1: criteria 1-4

    # when it is imported, then the blank cells of the merge belong to the area above
    copy = standard_import_xlsx(actor=superuser, data=edit(huantai_xlsx, merge)).standard
    assert [c.area.number for c in copy.criteria.filter(number__lte=5)] == [1, 1, 1, 1, 2]


# ------------------------------------------------------------------------- bad files


@pytest.fixture
def huantai_xlsx(db):
    return standard_export_xlsx(builtin("huantai-2021"))


def xlsx_import(actor, data, **kwargs):
    return lambda: standard_import_xlsx(actor=actor, data=data, **kwargs)


def test_not_an_xlsx_file(superuser):
    assert_refused(xlsx_import(superuser, b"not a workbook"), 0, "", "xlsx")


def test_missing_info_sheet(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: wb.remove(info))
    assert_refused(xlsx_import(superuser, data), 0, "标准信息", "缺少“标准信息”工作表")


def test_missing_column(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.delete_cols(5))
    assert_refused(xlsx_import(superuser, data), 1, "创建标准", "缺少这一列")


def test_empty_criterion_text(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("E3", None))
    assert_refused(xlsx_import(superuser, data), 3, "创建标准", "不能为空")


def test_duplicate_criterion_number(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("D4", 1))
    errors = assert_refused(xlsx_import(superuser, data), 4, "序号", "序号与第 2 行重复")
    assert any("缺少第 3 条" in e["reason"] for e in errors)


def test_non_consecutive_criterion_numbers(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("D21", 25))
    assert_refused(xlsx_import(superuser, data), 21, "序号", "缺少第 20 条")


def test_area_name_inconsistent_across_rows(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("B3", "另一项内容"))
    assert_refused(xlsx_import(superuser, data), 3, "考核内容", "与第 2 行不一致")


def test_national_area_outside_1_to_5(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("C2", 6))
    assert_refused(xlsx_import(superuser, data), 2, "国家考核内容", "1 至 5")


@pytest.mark.parametrize("points", [7.3, 0, 101, "五分", None])
def test_points_not_in_half_steps_or_missing(superuser, huantai_xlsx, points):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("F2", points))
    reason = "须填写标准分" if points is None else ("标准分应为" if points != "五分" else "数字")
    assert_refused(xlsx_import(superuser, data), 2, "标准分", reason)


def test_points_given_in_met_mode(superuser):
    data = edit(standard_export_xlsx(builtin("national-2020")),
                lambda ws, info, wb: ws.__setitem__("F5", 2))  # fmt: skip
    assert_refused(xlsx_import(superuser, data), 5, "标准分", "达标制标准不填标准分")


def test_unknown_indicator(superuser, huantai_xlsx):
    def change(ws, info, wb):
        ws["J2"], ws["K2"], ws["L2"] = "no_such_indicator", ">=", 30

    data = edit(huantai_xlsx, change)
    assert_refused(xlsx_import(superuser, data), 2, "指标", "没有这个指标代码")


def test_bad_operator_and_missing_threshold(superuser, huantai_xlsx):
    # criterion 15 (row 16) has the rule property_management_coverage >= 100
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("K16", "≈"))
    assert_refused(xlsx_import(superuser, data), 16, "比较", "比较应为")
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("L16", None))
    assert_refused(xlsx_import(superuser, data), 16, "阈值", "须同时填写阈值")
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("L2", 5))
    assert_refused(xlsx_import(superuser, data), 2, "阈值", "没有填写指标")


def test_veto_not_yes_or_no(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("M2", "Y"))
    assert_refused(xlsx_import(superuser, data), 2, "否决项", "应填“是”或“否”")


def test_formula_like_text(superuser, huantai_xlsx):
    formula = '=HYPERLINK("http://x","y")'
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("H2", formula))
    assert_refused(xlsx_import(superuser, data), 2, "佐证材料", "公式")
    # quoted with ' it is data, and imports
    data = edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("H2", "'=1+1"))
    copy = standard_import_xlsx(actor=superuser, data=data).standard
    assert copy.criteria.get(number=1).evidence == "=1+1"


def test_impossible_pass_rule(superuser, huantai_xlsx):
    def change(ws, info, wb):
        info["B8"], info["B9"] = 21, 101

    errors = assert_refused(xlsx_import(superuser, edit(huantai_xlsx, change)), 8,
                            "标准信息:通过条件：至少达标条数", "不能超过条目数 20")  # fmt: skip
    assert any(e["row"] == 9 and "不能超过标准总分 100" in e["reason"] for e in errors)


def test_unknown_scoring_mode(superuser, huantai_xlsx):
    data = edit(huantai_xlsx, lambda ws, info, wb: info.__setitem__("B6", "百分制"))
    assert_refused(xlsx_import(superuser, data), 6, "标准信息:评分方式", "评分方式应为")


def test_version_that_already_exists(superuser, huantai_xlsx):
    assert_refused(xlsx_import(superuser, huantai_xlsx, version=1), 0, "版本", "第 1 版已存在")


def test_json_errors_name_the_path(superuser):
    payload = standard_export_json(builtin("sichuan-2020"))
    payload["areas"][1]["criteria"][0]["points"] = "abc"
    payload["areas"][0]["national_area"] = 9
    payload["pass_rule"] = {"min_met": 29}
    payload["scoring_mode"] = "score"
    errors = assert_refused(
        lambda: standard_import_json(actor=superuser, payload=payload),
        0, "areas[0].national_area", "1 至 5",
    )  # fmt: skip
    found = {(e["column"], e["reason"]) for e in errors}
    assert ("scoring_mode", "评分方式应为“达标制”或“评分制”") in found
    assert ("pass_rule.min_met", "至少达标条数不能超过条目数 28") in found
    # with the mode fixed, the bad points and a wrong area subtotal are named too
    payload["scoring_mode"] = "points"
    payload["areas"][2]["points"] = 30
    errors = assert_refused(
        lambda: standard_import_json(actor=superuser, payload=payload),
        0, "areas[1].criteria[0].points", "应为数字",
    )  # fmt: skip
    assert any(e["column"] == "areas[2].points" for e in errors)


# ------------------------------------------------------------------------- permissions


def test_county_housing_imports_its_county_standard_not_the_citys(tree, make_user, huantai_xlsx):
    # given a housing user of 桓台县 and the county's standard
    housing = make_user("housing", tree["county"])
    # when they import it, then it is a new draft version of the county's standard
    copy = standard_import_xlsx(actor=housing, data=huantai_xlsx).standard
    assert (copy.key, copy.version, copy.issuing_code) == ("huantai-2021", 2, "370321000000")

    # but a standard issued by the city (淄博市) is refused
    def city(ws, info, wb):
        info["B2"], info["B4"] = "zibo-2021", "370300000000"

    assert_refused(xlsx_import(housing, edit(huantai_xlsx, city)), 4, "标准信息:发布区划代码",
                   "您无权")  # fmt: skip
    # and so is a national standard
    national = standard_export_json(builtin("national-2020"))
    assert_refused(lambda: standard_import_json(actor=housing, payload=national), 0,
                   "issuing_region", "只有平台超级管理员")  # fmt: skip
    # and the housing user of another county may not import 桓台县's standard
    other = make_user("housing", tree["other_county"])
    assert_refused(xlsx_import(other, huantai_xlsx), 4, "标准信息:发布区划代码", "您无权")
    # and a community user may not either
    committee = make_user("community", tree["community"])
    assert_refused(xlsx_import(committee, huantai_xlsx), 4, "标准信息:发布区划代码", "您无权")


def test_a_key_stays_with_its_issuing_region(tree, make_user, huantai_xlsx):
    admin = make_user("admin", tree["city"])
    data = edit(huantai_xlsx, lambda ws, info, wb: info.__setitem__("B4", "370300000000"))
    assert_refused(xlsx_import(admin, data), 2, "标准信息:标识", "已被另一区划")
    copy = standard_import_xlsx(actor=admin, data=data, key="zibo-2021", name="淄博市标准")
    assert (copy.standard.key, copy.standard.version, copy.standard.name) == (
        "zibo-2021", 1, "淄博市标准",
    )  # fmt: skip


# ------------------------------------------------------------------------- CLI


def test_cli_exit_code_2_with_row_errors_and_unchanged_database(superuser, huantai_xlsx,
                                                                tmp_path, capsys):  # fmt: skip
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edit(huantai_xlsx, lambda ws, info, wb: ws.__setitem__("E3", None)))
    before = state()
    with pytest.raises(CommandError) as caught:
        call_command("import_standard", str(bad), "--actor", "root")
    assert caught.value.returncode == 2
    assert "3, 创建标准, , 不能为空 / required" in capsys.readouterr().err
    assert state() == before
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_standard", str(broken), "--actor", "root")
    assert caught.value.returncode == 2 and state() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_cli_export_then_import(superuser, tmp_path, capsys, suffix):
    path = tmp_path / f"huantai{suffix}"
    call_command("export_standard", "huantai-2021", str(path))
    before = state()
    call_command("import_standard", str(path), "--actor", "root", "--dry-run")
    assert state() == before and "would be imported" in capsys.readouterr().out
    call_command("import_standard", str(path), "--actor", "root")
    copy = Standard.objects.get(key="huantai-2021", version=2)
    assert copy.status == "draft" and copy.criteria.count() == 20
    assert f"draft id {copy.pk}" in capsys.readouterr().out
    by_id = tmp_path / f"copy{suffix}"
    call_command("export_standard", str(copy.pk), str(by_id))
    assert by_id.stat().st_size > 0


def test_cli_export_refuses_unknown_standard_and_extension(db, tmp_path):
    with pytest.raises(CommandError, match="No standard"):
        call_command("export_standard", "no-such-key", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match=r"\.xlsx or \.json"):
        call_command("export_standard", "huantai-2021", str(tmp_path / "x.csv"))


# ------------------------------------------------------------------------- template


def test_template_imports_once_its_example_is_filled(tree, make_user, tmp_path):
    # given the template, its example row kept and the standard's key, name and region filled
    template = standard_template_xlsx()
    rows = read_xlsx_values(template)
    assert rows[0] == list(COL) and len(rows) == 2
    notes = read_xlsx_values(template, sheet=2)
    assert any("Alt+Enter" in (r[0] or "") for r in notes)

    def fill(ws, info, wb):
        info["B2"], info["B3"], info["B4"] = "huantai-pilot", "桓台县试点标准", "370321000000"

    data = edit(template, fill)
    # when a housing user of the county imports it
    housing = make_user("housing", tree["county"])
    result = standard_import_xlsx(actor=housing, data=data)
    # then the example is one 5-point criterion with its rule and two sub-conditions
    standard = result.standard
    assert (standard.key, standard.version, standard.status, standard.scoring_mode) == (
        "huantai-pilot", 1, "draft", "points",
    )  # fmt: skip
    criterion = standard.criteria.get()
    assert criterion.points == D(5) and criterion.sub_conditions.count() == 2
    assert (criterion.indicator.code, criterion.operator, criterion.threshold) == (
        "property_management_coverage", ">=", D(30),
    )  # fmt: skip
    assert standard.has_pass_rule is False
    # and the CLI writes the template too
    path = tmp_path / "template.xlsx"
    call_command("export_standard", "template", str(path))
    assert read_xlsx_values(path.read_bytes())[0] == list(COL)
