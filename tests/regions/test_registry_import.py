# ruff: noqa: E501
"""Registry import/export: code and level rules, all-or-nothing errors, round trip."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from greencommunity.audit.models import Event
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import read_table
from greencommunity.regions.exports import registry_export
from greencommunity.regions.models import Community, Compound, IndicatorValue, Region
from greencommunity.regions.services.registry_import import ALIASES, regions_import

HEAD = ["区划代码", "名称", "层级", "城乡分类代码", "户数", "面积（公顷）", "负责人", "联系电话"]


def csv_rows(rows, head=HEAD, aliases=ALIASES):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(head)
    w.writerows(rows)
    return read_table(out.getvalue().encode(), aliases=aliases, name="f.csv")


def state():
    return (
        sorted(Region.objects.values_list("code", "name", "level", "parent__code")),
        sorted(Community.objects.values_list("region__code", "kind", "households", "address")),
        Event.objects.count(),
    )


@pytest.fixture
def superuser(db, make_user):
    user = make_user(None, None, username="root")
    user.is_superuser = True
    user.save()
    return user


SHANDONG = [
    ["37", "山东省", "", "", "", "", "", ""],
    ["3703", "淄博市", "", "", "", "", "", ""],
    ["370321", "桓台县", "", "", "", "", "", ""],
    ["370321001", "索镇街道", "", "", "", "", "", ""],
    ["370321001001", "西苑社区", "", "111", "1200", "35.5", "王芳", "0533-8211111"],
    ["370321001201", "东庄村", "", "220", "", "", "", ""],
]


def test_short_codes_are_padded_and_levels_come_from_codes(superuser):
    summary = regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    assert summary.created == 6
    county = Region.objects.get(code="370321000000")
    assert county.level == "county" and county.parent.code == "370300000000"
    xiyuan = Community.objects.get(region__code="370321001001")
    assert xiyuan.region.parent.code == "370321001000"
    assert (xiyuan.kind, xiyuan.households, xiyuan.area_ha) == ("residents", 1200, Decimal("35.5"))
    assert xiyuan.is_urban
    village = Community.objects.get(region__code="370321001201")
    assert village.kind == "villagers" and not village.is_urban


def test_towns_of_a_city_without_counties_sit_under_the_city(superuser):
    rows = [
        ["44", "广东省", "", "", "", "", "", ""],
        ["4419", "东莞市", "", "", "", "", "", ""],
        ["441900003", "东城街道", "", "", "", "", "", ""],
        ["441900003001", "东城社区", "", "111", "", "", "", ""],
    ]
    regions_import(actor=superuser, rows=csv_rows(rows))
    town = Region.objects.get(code="441900003000")
    assert town.level == "street" and town.parent.code == "441900000000"
    assert Region.objects.get(code="441900003001").parent == town


def test_parent_may_come_from_the_database(superuser):
    regions_import(actor=superuser, rows=csv_rows(SHANDONG[:4]))
    regions_import(actor=superuser, rows=csv_rows([SHANDONG[4]]))
    assert Region.objects.get(code="370321001001").parent.code == "370321001000"


def test_upsert_updates_names_and_only_the_columns_in_the_file(superuser):
    regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    rows = csv_rows([["370321001001", "西苑社区（新）"]], head=["区划代码", "名称"])
    summary = regions_import(actor=superuser, rows=rows)
    assert (summary.created, summary.updated) == (0, 1)
    xiyuan = Community.objects.get(region__code="370321001001")
    assert xiyuan.region.name == "西苑社区（新）"
    assert xiyuan.households == 1200 and xiyuan.leader_name == "王芳"  # untouched


def test_the_import_writes_one_audit_event(superuser):
    before = Event.objects.count()
    regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    events = Event.objects.filter(seq__gt=before)
    assert [e.verb for e in events] == ["registry.import_regions"]
    assert events[0].after["created"] == 6


def test_dry_run_writes_nothing(superuser):
    snapshot = state()
    summary = regions_import(actor=superuser, rows=csv_rows(SHANDONG), dry_run=True)
    assert summary.created == 6 and state() == snapshot


def test_dry_run_counts_profile_changes_exactly(superuser):
    regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    rows = [*SHANDONG[:4], ["370321001001", "西苑社区", "", "111", "1300", "35.5", "王芳", ""]]
    snapshot = state()
    summary = regions_import(actor=superuser, rows=csv_rows(rows), dry_run=True)
    assert (summary.created, summary.updated) == (0, 1)
    assert state() == snapshot


BAD_FILES = {  # one bad file per line reads best
    # name: (rows, head, (column, value, reason fragment))
    "non-digit code": ([["3703A1", "x"]], None, ("区划代码", "3703A1", "只能包含数字")),
    "short code": ([["37032100100", "x"]], None, ("区划代码", "37032100100", "2、4、6、9 或 12 位")),
    "zero province": ([["000000000000", "x"]], None, ("区划代码", "000000000000", "不能为 00")),
    "duplicate code": ([["37", "山东省"], ["370000000000", "山东"]], None, ("区划代码", "370000000000", "重复")),
    "no ancestor": ([["370321001001", "孤立社区"]], None, ("区划代码", "370321001001", "找不到它的上级")),
    "level mismatch": ([["37", "山东省", "街道"]], None, ("层级", "街道", "不符")),
    "unknown level": ([["37", "山东省", "大区"]], None, ("层级", "大区", "层级应为")),
    "empty name": ([["37", ""]], None, ("名称", "", "不能为空")),
    "formula name": ([["37", "=HYPERLINK(\"x\")"]], None, ("名称", "=HYPERLINK(\"x\")", "公式")),
    "bad urban code": ([*SHANDONG[:4], ["370321001001", "西苑", "", "311"]], None, ("城乡分类代码", "311", "111")),
    "bad households": ([*SHANDONG[:4], ["370321001001", "西苑", "", "", "-3"]], None, ("户数", "-3", "非负整数")),
    "bad area": ([*SHANDONG[:4], ["370321001001", "西苑", "", "", "", "1.234"]], None, ("面积（公顷）", "1.234", "小数")),
    "bad phone": ([*SHANDONG[:4], ["370321001001", "西苑", "", "", "", "", "", "call me"]], None, ("联系电话", "call me", "电话号码")),
    "profile on a street": ([["37", "山东省", "", "", "500"]], None, ("户数", "500", "只有社区一级")),
    "bad date": ([["37", "山东省", "2024-13-40"]], ["区划代码", "名称", "生效日期"], ("生效日期", "2024-13-40", "YYYY-MM-DD")),
    "missing name column": ([["37"]], ["区划代码"], ("名称", "", "缺少必需的列")),
    "no data rows": ([], None, ("", "", "没有数据行")),
    "formula in address": ([*SHANDONG[:4], ["370321001001", "西苑", "@cmd"]], ["区划代码", "名称", "居委会地址"], ("居委会地址", "@cmd", "公式")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_file_names_row_column_value_reason_and_changes_nothing(superuser, case):
    # given a database with a little data, and a file with one problem
    regions_import(actor=superuser, rows=csv_rows([["35", "福建省"]]))
    rows, head, (column, value, fragment) = BAD_FILES[case]
    snapshot = state()
    # when it is imported
    with pytest.raises(RowError) as caught:
        regions_import(actor=superuser, rows=csv_rows(rows, head=head or HEAD))
    # then the error says where and why, in Chinese and English, and nothing changed
    errors = caught.value.errors
    assert any(
        e["column"] == column and e["value"] == value and fragment in e["reason"] and e["reason_en"]
        for e in errors
    ), errors
    assert all(e["row"] >= 0 for e in errors)
    assert state() == snapshot


def test_an_existing_region_cannot_change_level(superuser):
    regions_import(actor=superuser, rows=csv_rows(SHANDONG[:4]))
    with pytest.raises(RowError) as caught:
        regions_import(actor=superuser, rows=csv_rows([["4419", "东莞市"]]))
    assert caught.value  # no parent 44 either
    snapshot = state()
    rows = csv_rows([["370321", "桓台县", "市"]])
    with pytest.raises(RowError):
        regions_import(actor=superuser, rows=rows)
    assert state() == snapshot


def test_only_administrators_above_may_import_regions(tree, make_user):
    reviewer = make_user("housing", tree["county"])
    admin = make_user("admin", tree["county"])
    rows = csv_rows([["370321001003", "新建社区"]])
    with pytest.raises(RowError) as caught:
        regions_import(actor=reviewer, rows=rows)
    assert "无权" in caught.value.errors[0]["reason"]
    other = csv_rows([["370303001003", "张店社区"]])
    with pytest.raises(RowError):
        regions_import(actor=admin, rows=other)
    assert regions_import(actor=admin, rows=rows).created == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips_exactly(superuser, fmt):
    rows = [*SHANDONG, ["370321001002", "'=1+1 社区", "", "112", "", "", "", "+86 138"]]
    regions_import(actor=superuser, rows=csv_rows(rows))
    assert Region.objects.get(code="370321001002").name == "=1+1 社区"
    snapshot = state()
    data = registry_export(superuser, fmt=fmt)
    if fmt == "csv":
        assert "'=1+1 社区" in data.decode("utf-8-sig")  # quoted against formula injection
    summary = regions_import(
        actor=superuser, rows=read_table(data, aliases=ALIASES, name=f"e.{fmt}")
    )
    assert (summary.created, summary.updated) == (0, 0)
    assert state()[:2] == snapshot[:2]
    assert registry_export(superuser, fmt="csv") == registry_export(superuser, fmt="csv")


def test_export_is_scoped_to_the_actor(tree, make_user):
    county_user = make_user("housing", tree["county"])
    codes = {r[0] for r in csv_rows_from(registry_export(county_user, fmt="csv"))}
    assert codes == {"370321000000", "370321001000", "370321001002"}


def csv_rows_from(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]


def test_cli_exit_code_2_with_row_errors_and_unchanged_database(superuser, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("区划代码,名称\n37,山东省\n3703X,淄博市\n", encoding="utf-8")
    snapshot = state()
    with pytest.raises(CommandError) as caught:
        call_command("import_regions", str(bad), "--actor", "root")
    assert caught.value.returncode == 2
    err = capsys.readouterr().err
    assert "3, 区划代码, 3703X, 区划代码只能包含数字 / a division code has digits only" in err
    assert state() == snapshot
    good = tmp_path / "good.csv"
    good.write_text("区划代码,名称\n37,山东省\n3703,淄博市\n", encoding="utf-8")
    call_command("import_regions", str(good), "--actor", "root", "--dry-run")
    assert state() == snapshot
    call_command("import_regions", str(good), "--actor", "root")
    assert Region.objects.filter(code="370300000000").exists()
    out = tmp_path / "out.xlsx"
    call_command("export_regions", str(out), "--actor", "root", "--region", "37")
    assert out.stat().st_size > 0


def test_compounds_and_indicators_survive_a_profile_reimport(superuser):
    regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    xiyuan = Community.objects.get(region__code="370321001001")
    Compound.objects.create(community=xiyuan, name="西苑小区")
    regions_import(actor=superuser, rows=csv_rows(SHANDONG))
    assert xiyuan.compounds.count() == 1 and IndicatorValue.objects.count() == 0
