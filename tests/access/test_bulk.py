"""Accounts in bulk from a spreadsheet: all rows or none, every problem named by row and column."""

import io

import pytest
from openpyxl import Workbook

from greencommunity.access.models import RoleAssignment, User
from greencommunity.access.roles import Role
from greencommunity.access.services.bulk import ACCOUNT_ALIASES, accounts_import
from greencommunity.access.services.bulk_files import accounts_result_xlsx, accounts_template_xlsx
from greencommunity.audit.models import Event
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import read_table, read_xlsx_values

HEADERS = ["用户名", "姓名", "手机", "单位", "所属区划", "角色", "角色区划", "部门"]


def _xlsx(*rows, headers=HEADERS):
    """A workbook as a user's spreadsheet would hold it (text starting with = is a formula)."""
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(*rows, headers=HEADERS):
    """Rows as the web page and the CLI read them: through an xlsx file."""
    return read_table(_xlsx(*rows, headers=headers), aliases=ACCOUNT_ALIASES)


def _state():
    return (
        sorted(User.objects.values_list("username", flat=True)),
        sorted(RoleAssignment.objects.values_list("user__username", "role", "region__code")),
        Event.objects.count(),
    )


@pytest.fixture
def county_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="county_admin")


def test_import_creates_accounts_roles_and_one_audit_event(tree, county_admin):
    # given a file of three accounts in the county, one of them with a role on a street
    rows = _rows(
        ["xiyuan", "王芳", "13800000001", "西苑社区居委会", "370321001002", "社区居委会", "", ""],
        ["chengqu", "李强", "13800000002", "城区街道办事处", "370321001000", "street", "", ""],
        [
            "minzheng",
            "赵敏",
            "",
            "桓台县民政局",
            "370321000000",
            "其他部门",
            "370321001000",
            "民政局",
        ],
    )
    events_before = Event.objects.count()
    # when the county administrator imports it
    result = accounts_import(actor=county_admin, rows=rows)
    # then every account exists with its role, an initial password it must change
    assert [c.user.username for c in result.created] == ["xiyuan", "chengqu", "minzheng"]
    for created in result.created:
        user = User.objects.get(username=created.user.username)
        assert user.check_password(created.password)
        assert user.must_change_password is True
    xiyuan = User.objects.get(username="xiyuan")
    assert (xiyuan.full_name, xiyuan.phone, xiyuan.home_region) == (
        "王芳",
        "13800000001",
        tree["community"],
    )
    assert list(xiyuan.roles.values_list("role", "region__code")) == [
        (Role.COMMUNITY, "370321001002")
    ]
    minzheng = User.objects.get(username="minzheng").roles.get()
    assert (minzheng.role, minzheng.region, minzheng.department) == (
        Role.DEPARTMENT,
        tree["street"],
        "民政局",
    )
    # and exactly one audit event records the import
    assert Event.objects.count() == events_before + 1
    event = Event.objects.order_by("-seq").first()
    assert event.verb == "user.bulk_import"
    assert event.after == ["xiyuan", "chengqu", "minzheng"]
    assert "3" in event.summary
    assert event.region_code == "370321000000"
    assert event.actor_id == county_admin.pk


def test_headers_match_in_english_and_any_case_or_spacing(tree, county_admin):
    headers = ["User Name", " 姓 名 ", "HOME_REGION", "Role", "role region"]
    rows = _rows(["zhangsan", "张三", "370321001000", "街道办事处", ""], headers=headers)
    result = accounts_import(actor=county_admin, rows=rows)
    assert result.created[0].user.roles.get().region == tree["street"]


def test_dry_run_checks_and_writes_nothing(tree, county_admin):
    before = _state()
    result = accounts_import(
        actor=county_admin,
        rows=_rows(["a1", "", "", "", "370321001002", "社区居委会", "", ""]),
        dry_run=True,
    )
    assert result.dry_run and len(result.rows) == 1 and result.created == []
    assert _state() == before


GOOD = ["good1", "好", "", "", "370321001002", "社区居委会", "", ""]

ERROR_CASES = {
    "missing username": (
        ["", "无名", "", "", "370321001002", "", "", ""],
        "用户名",
        "",
        "用户名不能为空",
    ),
    "bad username": (
        ["no spaces", "", "", "", "370321001002", "", "", ""],
        "用户名",
        "no spaces",
        "只能包含",
    ),
    "duplicate in database": (
        ["taken", "", "", "", "370321001002", "", "", ""],
        "用户名",
        "taken",
        "已被占用",
    ),
    "bad code": (
        ["u1", "", "", "", "37032100100", "", "", ""],
        "所属区划",
        "37032100100",
        "应为 12 位数字",
    ),
    "unknown code": (
        ["u1", "", "", "", "370321009999", "", "", ""],
        "所属区划",
        "370321009999",
        "不存在",
    ),
    "home region outside": (
        ["u1", "", "", "", "370303001000", "", "", ""],
        "所属区划",
        "370303001000",
        "不在您管理的区划范围内",
    ),
    "role region outside": (
        ["u1", "", "", "", "370321001000", "街道办事处", "370303001000", ""],
        "角色区划",
        "370303001000",
        "不在您管理的范围内",
    ),
    "role at wrong level": (
        ["u1", "", "", "", "370321000000", "街道办事处", "", ""],
        "所属区划",
        "370321000000",
        "只能设在街道/镇级区划",
    ),
    "unknown role": (
        ["u1", "", "", "", "370321001002", "居民", "", ""],
        "角色",
        "居民",
        "未知角色",
    ),
    "admin on own county": (
        ["u1", "", "", "", "370321000000", "平台管理员", "", ""],
        "角色",
        "平台管理员",
        "上级区划的管理员",
    ),
    "formula": (
        ["u1", '=HYPERLINK("http://x")', "", "", "370321001002", "", "", ""],
        "姓名",
        '=HYPERLINK("http://x")',
        "公式",
    ),
    "region without role": (
        ["u1", "", "", "", "370321001002", "", "370321001002", ""],
        "角色区划",
        "370321001002",
        "没有填写角色",
    ),
    "too long": (
        ["u1", "", "1" * 31, "", "370321001002", "", "", ""],
        "手机",
        "1" * 31,
        "不能超过 30 个字符",
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_every_error_names_row_column_value_reason_and_writes_nothing(
    case, tree, county_admin, make_user
):
    # given a file whose second data row (row 3) has one problem, and an existing account
    make_user(Role.COMMUNITY, tree["community"], username="taken")
    bad_row, column, value, reason = ERROR_CASES[case]
    rows = _rows(GOOD, bad_row)
    before = _state()
    # when it is imported
    with pytest.raises(RowError) as excinfo:
        accounts_import(actor=county_admin, rows=rows)
    # then the one error names row 3, the column, the value and the reason in both languages
    errors = excinfo.value.errors
    assert len(errors) == 1, errors
    error = errors[0]
    assert (error["row"], error["column"], error["value"]) == (3, column, value)
    assert reason in error["reason"]
    assert error["reason_en"] and error["reason_en"] != error["reason"]
    # and nothing at all was written, not even the good row
    assert _state() == before


def test_duplicate_username_in_the_file_points_at_the_first_row(tree, county_admin):
    rows = _rows(GOOD, ["Good1", "", "", "", "370321001002", "", "", ""])
    with pytest.raises(RowError) as excinfo:
        accounts_import(actor=county_admin, rows=rows)
    [error] = excinfo.value.errors
    assert (error["row"], error["column"], error["value"]) == (3, "用户名", "Good1")
    assert "第 2 行" in error["reason"]


def test_all_errors_of_all_rows_are_listed(tree, county_admin):
    rows = _rows(
        ["", "", "", "", "99", "", "", ""],
        ["u2", "", "", "", "370321001002", "nobody", "", ""],
    )
    with pytest.raises(RowError) as excinfo:
        accounts_import(actor=county_admin, rows=rows)
    assert [(e["row"], e["column"]) for e in excinfo.value.errors] == [
        (2, "用户名"),
        (2, "所属区划"),
        (3, "角色"),
    ]


def test_a_missing_required_column_is_one_error_on_the_header_row(tree, county_admin):
    rows = _rows(["u1", "张三"], ["u2", "李四"], headers=["用户名", "姓名"])
    before = _state()
    with pytest.raises(RowError) as excinfo:
        accounts_import(actor=county_admin, rows=rows)
    assert [(e["row"], e["column"]) for e in excinfo.value.errors] == [(1, "所属区划")]
    assert _state() == before


def test_an_empty_file_is_refused(tree, county_admin):
    with pytest.raises(RowError):
        accounts_import(actor=county_admin, rows=_rows())


def test_county_admin_cannot_import_accounts_for_another_county(tree, county_admin):
    # given a file of accounts in 张店区, a county the administrator does not administer
    rows = _rows(["zd1", "", "", "", "370303001000", "街道办事处", "", ""])
    before = _state()
    with pytest.raises(RowError) as excinfo:
        accounts_import(actor=county_admin, rows=rows)
    assert excinfo.value.errors[0]["column"] == "所属区划"
    assert _state() == before


def test_city_admin_may_make_county_admins_but_county_admin_may_not(tree, make_user):
    city_admin = make_user(Role.ADMIN, tree["city"], username="city_admin")
    peer = make_user(Role.ADMIN, tree["county"], username="peer_admin")
    row = ["new_admin", "", "", "", "370321000000", "admin", "", ""]
    with pytest.raises(RowError):
        accounts_import(actor=peer, rows=_rows(row))
    result = accounts_import(actor=city_admin, rows=_rows(row))
    assert result.created[0].user.roles.get().role == Role.ADMIN


def test_a_non_administrator_can_import_nothing(tree, make_user):
    reviewer = make_user(Role.HOUSING, tree["county"], username="reviewer")
    with pytest.raises(RowError):
        accounts_import(actor=reviewer, rows=_rows(GOOD))
    assert not User.objects.filter(username="good1").exists()


def test_a_quoted_formula_character_is_text(tree, county_admin):
    # given a cell exported with the protecting quote: '-西苑-
    rows = _rows(["quoted", "'-西苑-", "", "", "370321001002", "", "", ""])
    result = accounts_import(actor=county_admin, rows=rows)
    assert result.created[0].user.full_name == "-西苑-"


def test_result_file_lists_the_initial_passwords(tree, county_admin):
    result = accounts_import(actor=county_admin, rows=_rows(GOOD))
    values = read_xlsx_values(accounts_result_xlsx(result))
    assert values[0] == [
        "行号",
        "用户名",
        "姓名",
        "单位",
        "所属区划",
        "角色",
        "角色区划",
        "初始密码",
    ]
    row = values[1]
    assert row[1] == "good1" and row[5] == "社区居委会" and "370321001002" in row[6]
    assert User.objects.get(username="good1").check_password(row[7])


def test_template_reads_back_as_a_valid_example(tree, county_admin):
    # given the template with its example row in the administrator's community
    data = accounts_template_xlsx(example_region=tree["community"])
    values = read_xlsx_values(data)
    assert values[0] == HEADERS
    assert read_xlsx_values(data, sheet=1)[0][0] == "列名"
    # when it is imported as is, the example row is accepted
    rows = read_table(data, aliases=ACCOUNT_ALIASES)
    result = accounts_import(actor=county_admin, rows=rows, dry_run=True)
    assert [r.username for r in result.rows] == ["zhangsan"]
