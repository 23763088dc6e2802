"""Backup and restore of the whole database (SQLite and PostgreSQL)."""

import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from greencommunity.access.models import ApiToken, RoleAssignment, User
from greencommunity.access.roles import Role
from greencommunity.access.services.bootstrap import admin_bootstrap
from greencommunity.access.services.users import token_create, user_create, user_set_active
from greencommunity.audit.models import Event
from greencommunity.audit.services import audit_record, audit_verify
from greencommunity.core import backup as backup_module
from greencommunity.core.backup import backup_database, inspect_backup, restore_database
from greencommunity.core.errors import ApplicationError
from greencommunity.regions.models import Region
from greencommunity.regions.services.tree import region_create

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Backup-pass-2026"


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (msgids); the platform's default language is Chinese."""
    with translation.override("en"):
        yield


def state():
    """Everything the test changes, in a comparable form."""
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name", "parent_id")),
        "users": list(User.objects.order_by("username").values_list("username", "is_active")),
        "roles": list(
            RoleAssignment.objects.order_by("pk").values_list("user__username", "role", "region_id")
        ),
        "tokens": list(ApiToken.objects.order_by("pk").values_list("key_hash", "revoked_at")),
        "events": list(Event.objects.order_by("seq").values_list("seq", "verb", "hash")),
    }


@pytest.fixture
def data(tree):
    """The region tree, an administrator, a community account with a token, their events."""
    admin = admin_bootstrap(username="sd_admin", password=PASSWORD, region=tree["province"],
                            must_change_password=False)  # fmt: skip
    user, _pw = user_create(actor=admin, username="xiyuan", home_region=tree["community"],
                            roles=[(Role.COMMUNITY, tree["community"], "")])  # fmt: skip
    token_create(actor=user, name="script")
    audit_record(actor=admin, verb="test.note", target=tree["county"], region_code="370321000000",
                 after={"text": "备份之前"})  # fmt: skip
    return {"admin": admin, "user": user, **tree}


def test_restore_brings_back_the_backed_up_state(data, tmp_path):
    # given a backup of a database with regions, accounts, a token and audit events
    path = tmp_path / "gc.backup"
    backup_database(path)
    saved = state()
    assert path.stat().st_size > 0 and path.stat().st_mode & 0o777 == 0o600
    # and changes made after it
    region_create(actor=data["admin"], code="370321002000", name="新区街道",
                  parent=data["county"])  # fmt: skip
    user_set_active(actor=data["admin"], user=data["user"], active=False)
    token_create(actor=data["admin"], name="later")
    assert state() != saved
    # when the backup is restored
    report = restore_database(path)
    # then the data is what was backed up
    restored = state()
    events = restored.pop("events")
    assert restored == {k: v for k, v in saved.items() if k != "events"}
    # with the audit trail as it was, plus one event recording the restore
    assert events[:-1] == saved["events"]
    assert events[-1][:2] == (saved["events"][-1][0] + 1, "database.restore")
    assert report.notices == []
    # and the chain still verifies
    chain = audit_verify()
    assert chain.ok and chain.checked == len(saved["events"]) + 1
    # and the platform keeps working on the restored database
    region_create(actor=data["admin"], code="370321003000", name="又一街道",
                  parent=Region.objects.get(code="370321000000"))  # fmt: skip
    assert audit_verify().ok


def test_the_commands_back_up_and_restore(data, tmp_path, capsys):
    path = tmp_path / "nested" / "gc.backup"
    call_command("backup", str(path))
    assert "gc.backup" in capsys.readouterr().out
    saved = state()
    region_create(actor=None, code="370321002000", name="新区街道", parent=data["county"])
    call_command("restore", str(path), interactive=False)
    assert "gc.backup" in capsys.readouterr().out
    assert state()["regions"] == saved["regions"]
    assert audit_verify().ok


def test_restore_asks_for_confirmation(data, tmp_path, monkeypatch):
    path = tmp_path / "gc.backup"
    backup_database(path)
    region_create(actor=None, code="370321002000", name="新区街道", parent=data["county"])
    after = state()
    # when the operator does not type yes, nothing changes
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError):
        call_command("restore", str(path))
    assert state() == after
    # when they do, the backup is restored
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(path))
    assert not Region.objects.filter(code="370321002000").exists()


def test_a_backup_replaces_an_existing_file(data, tmp_path):
    path = tmp_path / "gc.backup"
    path.write_bytes(b"old")
    backup_database(path)
    assert inspect_backup(path).size == path.stat().st_size > 3
    assert [p.name for p in tmp_path.iterdir()] == ["gc.backup"]  # no temporary file left


def test_restore_refuses_what_is_not_a_backup(data, tmp_path):
    before = state()
    # not a database at all
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, not a database" * 100)
    with pytest.raises(ApplicationError, match="neither"):
        restore_database(junk)
    # a missing file
    with pytest.raises(ApplicationError, match="does not exist"):
        restore_database(tmp_path / "missing.backup")
    # a SQLite database of some other application
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE django_migrations (id integer primary key, app, name, applied)")
    db.commit()
    db.close()
    with pytest.raises(ApplicationError):
        restore_database(other)
    with pytest.raises(CommandError):
        call_command("restore", str(other), interactive=False)
    # and nothing changed
    assert state() == before


def test_a_backup_of_the_other_engine_is_refused(data, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    else:
        db = sqlite3.connect(other)
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
    with pytest.raises(ApplicationError, match="same kind of database"):
        restore_database(other)


def test_a_missing_pg_client_is_named(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ApplicationError, match="pg_dump was not found"):
        backup_module._pg_tool("pg_dump")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_pg_backup_without_pg_dump_fails_clearly(data, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", str(tmp_path / "gc.backup"))
    assert not (tmp_path / "gc.backup").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_pg_restore_drops_tables_the_backup_does_not_have(data, tmp_path):
    path = tmp_path / "gc.backup"
    backup_database(path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_feature (id serial primary key)")
    report = restore_database(path)
    assert any("later_feature" in n for n in report.notices)
    assert "later_feature" not in connection.introspection.table_names()
    assert audit_verify().ok


def test_the_pg_client_gets_the_connection_settings(monkeypatch):
    class FakeConnection:
        settings_dict = {"NAME": "test_gc", "HOST": "db.internal", "PORT": 5432, "USER": "gc",
                         "PASSWORD": "s3cret", "OPTIONS": {"sslmode": "require"}}  # fmt: skip

    env = backup_module._pg_env(FakeConnection())
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db.internal", "5432", "gc")
    assert (env["PGPASSWORD"], env["PGSSLMODE"]) == ("s3cret", "require")
    assert backup_module._pg_dbname(FakeConnection()) == ["--dbname=test_gc"]
