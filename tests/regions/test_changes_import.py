"""Division changes from a change file and by hand: all or nothing, every problem named."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import read_table
from greencommunity.regions.models import (
    Community,
    Compound,
    DivisionChange,
    DivisionChangeLink,
    Indicator,
    IndicatorValue,
    Region,
)
from greencommunity.regions.selectors_changes import count_communities_as_of, region_successors
from greencommunity.regions.services.changes_import import (
    CHANGE_ALIASES,
    changes_import,
    parse_day,
)
from greencommunity.regions.services.tree import region_create

HEADERS = [
    "变更编号",
    "变更类型",
    "生效日期",
    "原区划代码",
    "新区划代码",
    "新名称",
    "小区",
    "批准文号",
    "备注",
]
STREET = "370321002000"
A, B, C, E = "370321002001", "370321002002", "370321002003", "370321002004"


@pytest.fixture
def street(tree):
    s = region_create(actor=None, code=STREET, name="新区街道", parent=tree["county"])
    regions = {"street": s}
    for code, name in [(A, "甲社区"), (B, "乙社区"), (C, "丙社区"), (E, "戊社区")]:
        regions[code] = region_create(actor=None, code=code, name=name, parent=s)
    for name in ("一号院", "二号院"):
        Compound.objects.create(community_id=regions[C].pk, name=name)
    Compound.objects.create(community_id=regions[A].pk, name="阳光小区")
    IndicatorValue.objects.create(
        community_id=regions[B].pk,
        indicator=Indicator.objects.get(code="green_ratio"),
        year=2023,
        value=Decimal("30"),
        source="entered",
    )
    return regions


@pytest.fixture
def admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="county-admin")


def _xlsx(*rows, headers=HEADERS):
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(*rows, headers=HEADERS):
    return read_table(_xlsx(*rows, headers=headers), aliases=CHANGE_ALIASES)


def _state():
    return (
        Region.objects.count(),
        Community.objects.count(),
        DivisionChange.objects.count(),
        DivisionChangeLink.objects.count(),
        Compound.objects.count(),
        Event.objects.count(),
        sorted(Region.objects.values_list("code", "name", "valid_from", "valid_to")),
        sorted(Compound.objects.values_list("community_id", "name")),
        sorted(IndicatorValue.objects.values_list("community_id", "year")),
    )


def _refused(admin, *rows, headers=HEADERS):
    """Import rows that must be refused: the errors, with the database unchanged."""
    state = _state()
    with pytest.raises(RowError) as exc:
        changes_import(actor=admin, rows=_rows(*rows, headers=headers))
    assert _state() == state
    assert "未导入任何数据" in exc.value.message  # "nothing was imported"
    return exc.value.errors


GOOD = [
    ("", "合并", "2024-01-01", A, "370321002010", "甲乙社区", "", "桓政字〔2023〕9号", ""),
    ("", "合并", "2024-01-01", B, "370321002010", "甲乙社区", "", "", "居民代表会议通过"),
    ("S1", "拆分", datetime(2024, 1, 1), C, "370321002011", "丙北社区", "一号院", "", ""),
    ("S1", "拆分", datetime(2024, 1, 1), C, "370321002012", "丙南社区", "二号院", "", ""),
    ("", "更名", "45292", E, "", "戊新社区", "", "", ""),  # an Excel serial day: 2024-01-01
    ("", "新代码", "2024/06/01", "370321002010", "370321002020", "", "", "", ""),
]


def test_a_change_file_records_every_change(street, admin):
    # when a file with a merge, a split, a rename and a recode of the merged community is read
    result = changes_import(actor=admin, rows=_rows(*GOOD))
    # then four changes are recorded, in date order
    assert result.count == 4 and len(result.changes) == 4
    kinds = list(
        DivisionChange.objects.order_by("effective_on", "pk").values_list("kind", flat=True)
    )
    assert kinds == ["merge", "split", "rename", "recode"]
    merge = DivisionChange.objects.get(kind="merge")
    assert merge.document == "桓政字〔2023〕9号" and merge.note == "居民代表会议通过"
    # counts before and after, and everything followed the links
    assert count_communities_as_of(STREET, date(2023, 12, 31)) == 4
    assert count_communities_as_of(STREET, date(2024, 1, 1)) == 4  # A+B → 1, C → 2, E
    final = Region.objects.get(code="370321002020")
    assert region_successors(Region.objects.get(code=A)) == [final]
    assert Compound.objects.get(name="阳光小区").community_id == final.pk
    assert IndicatorValue.objects.get().community_id == final.pk
    assert Compound.objects.get(name="一号院").community.region.code == "370321002011"
    assert Compound.objects.get(name="二号院").community.region.code == "370321002012"
    assert Region.objects.get(code=E).name == "戊新社区"
    assert Event.objects.filter(verb__startswith="division.").count() == 4


def test_a_dry_run_checks_every_change_and_writes_nothing(street, admin):
    state = _state()
    result = changes_import(actor=admin, rows=_rows(*GOOD), dry_run=True)
    assert result.dry_run and result.count == 4 and result.changes == []
    assert _state() == state


def test_english_headers_and_csv_are_read(street, admin):
    csv = "kind,effective_on,old_code,new_code,new_name\nabolish,2024-01-01,370321002004,,\n"
    rows = read_table(csv.encode(), aliases=CHANGE_ALIASES, name="changes.csv")
    changes_import(actor=admin, rows=rows)
    assert Region.objects.get(code=E).valid_to == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-01-01", date(2024, 1, 1)),
        ("2024/1/1", date(2024, 1, 1)),
        ("2024-01-01 00:00:00", date(2024, 1, 1)),
        ("2024年1月1日", date(2024, 1, 1)),
        ("20240101", date(2024, 1, 1)),
        ("45292", date(2024, 1, 1)),
        ("2024-02-30", None),
        ("next year", None),
    ],
)
def test_dates_in_a_file(text, day):
    assert parse_day(text) == day


# Bad files: each names the row, the column, the value and the reason; nothing is written.


def _only(errors):
    assert len(errors) == 1, errors
    return errors[0]


def test_an_unknown_kind(street, admin):
    e = _only(_refused(admin, ("", "改制", "2024-01-01", A, "370321002010", "某社区", "", "", "")))
    assert (e["row"], e["column"], e["value"]) == (2, "变更类型", "改制")
    assert "变更类型应为" in e["reason"] and "rename, merge" in e["reason_en"]


def test_a_bad_date(street, admin):
    e = _only(_refused(admin, ("", "撤销", "2024-13-01", A, "", "", "", "", "")))
    assert (e["row"], e["column"], e["value"]) == (2, "生效日期", "2024-13-01")
    assert e["reason_en"] == "the effective date must be YYYY-MM-DD"


def test_a_short_code(street, admin):
    e = _only(_refused(admin, ("", "撤销", "2024-01-01", "37032100200", "", "", "", "", "")))
    assert (e["column"], e["value"]) == ("原区划代码", "37032100200")
    assert "11 位" in e["reason"]


def test_an_unknown_old_code_is_named_on_its_row(street, admin):
    errors = _refused(
        admin,
        ("", "合并", "2024-01-01", A, "370321002010", "甲乙社区", "", "", ""),
        ("", "合并", "2024-01-01", "370321002099", "370321002010", "甲乙社区", "", "", ""),
    )
    e = _only(errors)
    assert (e["row"], e["column"], e["value"]) == (3, "原区划代码", "370321002099")
    assert e["reason"] == "区划代码 370321002099 不存在"


def test_a_missing_column(street, admin):
    headers = [h for h in HEADERS if h != "生效日期"]
    e = _only(_refused(admin, ("", "撤销", A, "", "", "", "", ""), headers=headers))
    assert (e["row"], e["column"]) == (1, "生效日期")
    assert e["reason"] == "缺少“生效日期”列"


def test_a_name_that_would_run_as_a_formula(street, admin):
    e = _only(_refused(admin, ("", "更名", "2024-01-01", A, "", "=HYPERLINK(1)", "", "", "")))
    assert (e["column"], e["value"]) == ("新名称", "=HYPERLINK(1)")
    assert "公式" in e["reason"]


def test_an_abolition_with_a_new_code(street, admin):
    e = _only(_refused(admin, ("", "撤销", "2024-01-01", A, B, "", "", "", "")))
    assert (e["column"], e["value"]) == ("新区划代码", B)
    assert e["reason_en"] == "an abolition has no new code"


def test_a_split_that_leaves_a_compound_unassigned(street, admin):
    errors = _refused(
        admin,
        ("", "拆分", "2024-01-01", C, "370321002011", "丙北社区", "一号院", "", ""),
        ("", "拆分", "2024-01-01", C, "370321002012", "丙南社区", "", "", ""),
    )
    e = _only(errors)
    assert (e["row"], e["column"]) == (2, "小区")
    assert "二号院" in e["reason"]


def test_a_split_naming_a_compound_the_community_lacks(street, admin):
    e = _only(
        _refused(
            admin,
            ("", "拆分", "2024-01-01", C, "370321002011", "丙北社区", "一号院、三号院", "", ""),
            ("", "拆分", "2024-01-01", C, "370321002012", "丙南社区", "二号院", "", ""),
        )
    )
    assert (e["row"], e["column"], e["value"]) == (2, "小区", "三号院")


def test_one_new_code_with_two_names(street, admin):
    e = _only(
        _refused(
            admin,
            ("", "合并", "2024-01-01", A, "370321002010", "甲乙社区", "", "", ""),
            ("", "合并", "2024-01-01", B, "370321002010", "乙甲社区", "", "", ""),
        )
    )
    assert (e["row"], e["column"], e["value"]) == (3, "新名称", "乙甲社区")


def test_a_later_bad_change_undoes_the_earlier_good_ones(street, admin):
    # given a good merge and then a rename of a region the merge closed
    errors = _refused(
        admin,
        ("", "合并", "2024-01-01", A, "370321002010", "甲乙社区", "", "", ""),
        ("", "合并", "2024-01-01", B, "370321002010", "甲乙社区", "", "", ""),
        ("", "更名", "2024-02-01", A, "", "甲新社区", "", "", ""),
    )
    e = _only(errors)
    assert (e["row"], e["column"], e["value"]) == (4, "原区划代码", A)
    assert "已于 2024-01-01 撤销或变更" in e["reason"]


def test_several_problems_are_reported_together(street, admin):
    errors = _refused(
        admin,
        ("", "改制", "2024-01-01", A, "", "", "", "", ""),
        ("", "撤销", "", "abc", "", "", "", "", ""),
    )
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "变更类型"),
        (3, "生效日期"),
        (3, "原区划代码"),
    ]


def test_a_future_date(street, admin):
    e = _only(_refused(admin, ("", "撤销", "2999-01-01", A, "", "", "", "", "")))
    assert (e["column"], e["value"]) == ("生效日期", "2999-01-01")


def test_an_empty_file(street, admin):
    assert _only(_refused(admin))["reason_en"].startswith("no change rows")


def test_codes_outside_the_actors_regions(street, tree, make_user):
    street_admin = make_user(Role.ADMIN, tree["other_county"])
    e = _only(_refused(street_admin, ("", "撤销", "2024-01-01", A, "", "", "", "", "")))
    assert (e["column"], e["value"]) == ("原区划代码", A)
    assert "不在您管理的区划范围内" in e["reason"]


# The command line


def test_cli_imports_a_file(street, admin, tmp_path, capsys):
    path = tmp_path / "changes.xlsx"
    path.write_bytes(_xlsx(*GOOD))
    call_command("import_changes", str(path), "--actor", "county-admin")
    assert "4 division changes recorded" in capsys.readouterr().out
    assert DivisionChange.objects.count() == 4


def test_cli_dry_run(street, admin, tmp_path, capsys):
    path = tmp_path / "changes.xlsx"
    path.write_bytes(_xlsx(*GOOD))
    state = _state()
    call_command("import_changes", str(path), "--actor", "county-admin", "--dry-run")
    assert "nothing was recorded" in capsys.readouterr().out
    assert _state() == state


def test_cli_exits_2_with_one_line_per_problem(street, admin, tmp_path, capsys):
    path = tmp_path / "changes.xlsx"
    path.write_bytes(_xlsx(("", "改制", "2024-01-01", A, "", "", "", "", "")))
    state = _state()
    with pytest.raises(CommandError) as exc:
        call_command("import_changes", str(path), "--actor", "county-admin")
    assert exc.value.returncode == 2
    err = capsys.readouterr().err
    assert "2, 变更类型, 改制, 变更类型应为" in err
    assert _state() == state


def test_cli_records_one_change_by_hand(street, admin, capsys):
    call_command(
        "division_change", "--kind", "merge", "--date", "2024-01-01", "--old", A, "--old", B,
        "--new", "370321002010", "--name", "甲乙社区", "--document", "桓政字〔2023〕9号",
        "--actor", "county-admin",
    )  # fmt: skip
    assert "Recorded" in capsys.readouterr().out
    merged = Region.objects.get(code="370321002010")
    assert merged.name == "甲乙社区" and merged.valid_from == date(2024, 1, 1)
    assert count_communities_as_of(STREET, date(2024, 1, 1)) == 3


def test_cli_split_assigns_compounds_by_name(street, admin):
    call_command(
        "division_change", "--kind", "split", "--date", "2024-01-01", "--old", C,
        "--new", "370321002011", "--name", "丙北社区",
        "--new", "370321002012", "--name", "丙南社区",
        "--assign", "一号院=370321002011", "--assign", "二号院=370321002012",
        "--actor", "county-admin",
    )  # fmt: skip
    assert Compound.objects.get(name="二号院").community.region.code == "370321002012"


def test_cli_refusal_is_a_command_error(street, admin):
    state = _state()
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "division_change", "--kind", "abolish", "--date", "2024-01-01",
            "--old", "370321002099", "--actor", "county-admin",
        )  # fmt: skip
    assert _state() == state
