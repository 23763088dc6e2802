"""Account services and selectors, and the operator's commands (import-accounts, create-admin)."""

import io

import pytest
from openpyxl import Workbook

from greencommunity.access.models import RoleAssignment, User
from greencommunity.access.roles import Role
from greencommunity.access.selectors import (
    access_role_assignment,
    access_user,
    administered_regions,
    user_list,
)
from greencommunity.access.services.users import (
    role_grant,
    user_create,
    user_reset_password,
)
from greencommunity.audit.models import Event
from greencommunity.cli import main
from greencommunity.core.errors import NotFound, PermissionDenied
from greencommunity.documents.xlsx import read_xlsx_values
from greencommunity.regions.models import Region

HEADERS = ["用户名", "姓名", "所属区划", "角色"]


@pytest.fixture
def county_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="county_admin")


@pytest.fixture
def cli(monkeypatch):
    """The `greencommunity` console script, run in-process on the test database (Django's
    command runner closes every connection when it ends; the test needs its own open)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    return main


def _state():
    return (
        sorted(User.objects.values_list("username", flat=True)),
        RoleAssignment.objects.count(),
        Event.objects.count(),
    )


# --- selectors ---------------------------------------------------------------------------


def test_user_list_is_scoped_searchable_and_filterable(tree, make_user, county_admin):
    make_user(Role.COMMUNITY, tree["community"], username="xiyuan")
    make_user(Role.STREET, tree["other_street"], username="zhangdian")
    # their own account is not listed: it is managed on the password and token pages
    assert {u.username for u in user_list(county_admin)} == {"xiyuan"}
    assert [u.username for u in user_list(county_admin, q="XIYU")] == ["xiyuan"]
    assert [u.username for u in user_list(county_admin, region_code="370321001000")] == ["xiyuan"]
    # a code outside the actor's regions finds nothing more
    assert list(user_list(county_admin, region_code="370303000000")) == []


def test_administered_regions_only_under_admin_grants(tree, make_user):
    both = make_user(Role.ADMIN, tree["county"], username="both")
    RoleAssignment.objects.create(user=both, role=Role.HOUSING, region=tree["city"])
    codes = set(administered_regions(both).values_list("code", flat=True))
    assert codes == {"370321000000", "370321001000", "370321001002"}
    assert set(administered_regions(both, down_to="street").values_list("code", flat=True)) == {
        "370321000000",
        "370321001000",
    }


def test_role_assignment_must_belong_to_the_account(tree, make_user):
    a = make_user(Role.COMMUNITY, tree["community"], username="a")
    b = make_user(Role.STREET, tree["street"], username="b")
    with pytest.raises(NotFound):
        access_role_assignment(a, b.roles.get().pk)
    assert access_role_assignment(b, b.roles.get().pk).role == Role.STREET


# --- services ----------------------------------------------------------------------------


def test_reset_password_by_an_administrator_above(tree, make_user, county_admin):
    city_admin = make_user(Role.ADMIN, tree["city"], username="city_admin")
    password = user_reset_password(actor=city_admin, user=county_admin)
    county_admin.refresh_from_db()
    assert county_admin.check_password(password) and county_admin.must_change_password


@pytest.mark.parametrize("who", ["peer", "below", "other_county"])
def test_reset_password_is_not_found_for_others(who, tree, make_user, county_admin):
    actor = {
        "peer": lambda: make_user(Role.ADMIN, tree["county"], username="peer"),
        "below": lambda: make_user(Role.ADMIN, tree["county"], username="x"),
        "other_county": lambda: make_user(Role.ADMIN, tree["other_county"], username="zd"),
    }[who]()
    target = (
        county_admin
        if who != "below"
        else make_user(Role.ADMIN, tree["city"], username="city_admin")
    )
    with pytest.raises(NotFound):
        access_user(actor, target.pk)
    with pytest.raises(NotFound):
        user_reset_password(actor=actor, user=target)


def test_create_one_account_with_a_role(tree, county_admin):
    user, password = user_create(
        actor=county_admin,
        username="one",
        home_region=tree["street"],
        roles=[(Role.STREET, tree["street"], "")],
    )
    assert user.check_password(password) and user.must_change_password
    assert user.roles.get().role == Role.STREET


def test_role_grant_checks_the_level_and_the_region(tree, make_user, county_admin):
    user = make_user(Role.COMMUNITY, tree["community"], username="xiyuan")
    with pytest.raises(PermissionDenied):  # a street role on a county
        role_grant(actor=county_admin, user=user, role=Role.STREET, region=tree["county"])
    with pytest.raises(PermissionDenied):  # another county's street
        role_grant(actor=county_admin, user=user, role=Role.STREET, region=tree["other_street"])
    role_grant(actor=county_admin, user=user, role=Role.STREET, region=tree["street"])
    assert user.roles.filter(role=Role.STREET).exists()


# --- import-accounts ---------------------------------------------------------------------


def _file(tmp_path, *rows, name="accounts.xlsx"):
    wb = Workbook()
    wb.active.append(HEADERS)
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_import_accounts_cli_exits_2_with_one_line_per_error(
    cli, tmp_path, capsys, tree, county_admin
):
    # given a file with a good row, a bad code and a county outside the actor's
    path = _file(
        tmp_path,
        ["ok1", "", "370321001002", "社区居委会"],
        ["bad", "", "12345", "社区居委会"],
        ["outside", "", "370303001000", "街道办事处"],
    )
    before = _state()
    # when the operator imports it as the county administrator
    with pytest.raises(SystemExit) as excinfo:
        cli(["greencommunity", "import-accounts", str(path), "--actor", "county_admin"])
    # then the exit code is 2, each problem is one line, and the database is unchanged
    assert excinfo.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith(("3", "4"))]
    assert lines[0].startswith("3, 所属区划, 12345, ") and "12 位数字" in lines[0]
    assert lines[1].startswith("4, 所属区划, 370303001000, ")
    assert _state() == before


def test_import_accounts_cli_creates_and_writes_the_passwords(
    cli, tmp_path, capsys, tree, county_admin
):
    path = _file(tmp_path, ["ok1", "张三", "370321001002", "社区居委会"])
    output = tmp_path / "result.xlsx"
    cli(
        [
            "greencommunity",
            "import-accounts",
            str(path),
            "--actor",
            "county_admin",
            "--output",
            str(output),
        ]
    )
    rows = read_xlsx_values(output.read_bytes())
    assert rows[1][1] == "ok1"
    assert User.objects.get(username="ok1").check_password(rows[1][-1])
    assert "1 accounts created" in capsys.readouterr().out
    assert Event.objects.filter(verb="user.bulk_import").count() == 1


def test_import_accounts_cli_dry_run_writes_nothing(cli, tmp_path, capsys, tree, county_admin):
    csv = tmp_path / "accounts.csv"
    csv.write_text("用户名,所属区划,角色\nok1,370321001002,社区居委会\n", encoding="utf-8-sig")
    before = _state()
    cli(["greencommunity", "import-accounts", str(csv), "--actor", "county_admin", "--dry-run"])
    assert "1 rows checked" in capsys.readouterr().out
    assert _state() == before


def test_import_accounts_cli_as_a_non_administrator_changes_nothing(cli, tmp_path, tree, make_user):
    make_user(Role.HOUSING, tree["county"], username="reviewer")
    path = _file(tmp_path, ["ok1", "", "370321001002", "社区居委会"])
    before = _state()
    with pytest.raises(SystemExit) as excinfo:
        cli(["greencommunity", "import-accounts", str(path), "--actor", "reviewer"])
    assert excinfo.value.code == 2
    assert _state() == before


def test_import_accounts_cli_unknown_actor(cli, tmp_path, tree):
    path = _file(tmp_path, ["ok1", "", "370321001002", "社区居委会"])
    with pytest.raises(SystemExit) as excinfo:
        cli(["greencommunity", "import-accounts", str(path), "--actor", "nobody"])
    assert excinfo.value.code == 1


# --- create-admin ------------------------------------------------------------------------


def test_create_admin_from_the_environment(cli, monkeypatch, capsys, tree):
    monkeypatch.setenv("GREENCOMMUNITY_ADMIN_PASSWORD", "Strong-Admin-2026")
    cli(
        [
            "greencommunity",
            "create-admin",
            "--username",
            "root",
            "--region",
            "370000000000",
            "--name",
            "省管理员",
        ]
    )
    user = User.objects.get(username="root")
    assert user.check_password("Strong-Admin-2026") and user.must_change_password
    assert user.full_name == "省管理员" and user.home_region == tree["province"]
    assert list(user.roles.values_list("role", "region__code")) == [(Role.ADMIN, "370000000000")]
    assert Event.objects.filter(verb="user.bootstrap_admin").count() == 1
    assert "root" in capsys.readouterr().out


def test_create_admin_prompts_for_the_password(cli, monkeypatch, tree):
    monkeypatch.delenv("GREENCOMMUNITY_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["Typed-Secret-2026", "Typed-Secret-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    cli(["greencommunity", "create-admin", "--username", "root", "--region", "370300000000"])
    assert User.objects.get(username="root").check_password("Typed-Secret-2026")


def test_create_admin_on_an_empty_database_creates_the_region(cli, monkeypatch, db):
    monkeypatch.setenv("GREENCOMMUNITY_ADMIN_PASSWORD", "Strong-Admin-2026")
    cli(
        [
            "greencommunity",
            "create-admin",
            "--username",
            "root",
            "--region",
            "510000000000",
            "--region-name",
            "四川省",
        ]
    )
    assert Region.objects.get(code="510000000000").name == "四川省"
    assert User.objects.get(username="root").roles.get().region.code == "510000000000"


@pytest.mark.parametrize(
    "args, password",
    [
        (["--username", "root", "--region", "370000000000"], "short"),  # weak password
        (["--username", "root", "--region", "379900000000"], "Strong-Admin-2026"),  # no region
        (["--username", "root", "--region", "3700"], "Strong-Admin-2026"),  # bad code
    ],
)
def test_create_admin_refuses_and_writes_nothing(cli, args, password, monkeypatch, tree):
    monkeypatch.setenv("GREENCOMMUNITY_ADMIN_PASSWORD", password)
    regions, before = Region.objects.count(), _state()
    with pytest.raises(SystemExit) as excinfo:
        cli(["greencommunity", "create-admin", *args])
    assert excinfo.value.code == 1
    assert (Region.objects.count(), _state()) == (regions, before)
