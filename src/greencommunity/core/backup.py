"""Back up and restore the whole database: the operator's `greencommunity backup FILE` and
`greencommunity restore FILE`, run on the server.

SQLite: an online copy with SQLite's backup API (consistent while the application runs);
restoring copies a validated backup back into the live database the same way.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner` in a
single transaction, with the connection parameters of the running configuration.

Both act on the database the Django connection actually uses (`connection.settings_dict`), so
under the test runner they act on the test database. Uploaded files (MEDIA_ROOT) are not in
the database: back them up separately.
"""

import getpass
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables every database of this platform holds: how a backup is recognised as ours.
REQUIRED_TABLES = frozenset({"django_migrations", "access_user", "regions_region", "audit_event"})
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class BackupInfo:
    """What a backup file is, checked before anything is restored from it."""

    path: Path
    vendor: str
    size: int
    modified_at: datetime


@dataclass
class RestoreReport:
    info: BackupInfo
    database: str
    notices: list[str] = field(default_factory=list)


def _connection(using: str) -> Any:
    conn = connections[using]
    if conn.vendor not in ENGINE_NAMES:
        raise ApplicationError(
            _("Backup is not supported for the %(vendor)s database engine.")
            % {"vendor": conn.vendor}
        )
    if conn.in_atomic_block:
        raise ApplicationError(_("Backup and restore cannot run inside a transaction."))
    return conn


def database_label(using: str = DEFAULT_DB_ALIAS) -> str:
    """The engine and database name, for messages and the restore confirmation."""
    conn = connections[using]
    return f"{ENGINE_NAMES.get(conn.vendor, conn.vendor)} {conn.settings_dict['NAME']}"


def _sqlite_live_path(conn: Any) -> Path | None:
    """The live database file, or None for an in-memory database (the test runner's)."""
    if conn.is_in_memory_db():
        return None
    return Path(conn.settings_dict["NAME"]).resolve()


def _same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b


def _write_atomically(path: Path, write: Any) -> None:
    """Write through a temporary file beside `path`, readable by its owner only, so a failed
    backup never leaves a truncated file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        write(tmp)
        tmp.chmod(0o600)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- backup -------------------------------------------------------------------------------


def backup_database(path: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a consistent copy of the whole database to `path` (replaced if it exists)."""
    conn = _connection(using)
    target = Path(path)
    if conn.vendor == "sqlite":
        if _same_file(target, _sqlite_live_path(conn)):
            raise ApplicationError(_("The backup file cannot be the live database itself."))
        _write_atomically(target, lambda tmp: _sqlite_backup(conn, tmp))
    else:
        _write_atomically(target, lambda tmp: _pg_dump(conn, tmp))
    return target


def _sqlite_backup(conn: Any, tmp: Path) -> None:
    conn.ensure_connection()
    dest = sqlite3.connect(tmp)
    try:
        with conn.wrap_database_errors:
            conn.connection.backup(dest)  # one step: a single consistent snapshot
        # A standalone file: no WAL side files needed to read it.
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def _pg_dump(conn: Any, tmp: Path) -> None:
    _run_pg_tool(
        "pg_dump",
        ["--format=custom", "--no-password", f"--file={tmp}", *_pg_dbname(conn)],
        conn,
    )


# --- inspect ------------------------------------------------------------------------------


def inspect_backup(path: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS) -> BackupInfo:
    """Check that `path` is a backup of this platform that fits the configured database."""
    conn = _connection(using)
    source = Path(path)
    if not source.is_file():
        raise ApplicationError(_("Backup file %(path)s does not exist.") % {"path": source})
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    vendor = (
        "sqlite"
        if head.startswith(SQLITE_MAGIC)
        else "postgresql"
        if head.startswith(PGDUMP_MAGIC)
        else ""
    )
    if not vendor:
        raise ApplicationError(
            _("%(path)s is neither a SQLite database nor a pg_dump archive.") % {"path": source}
        )
    if vendor != conn.vendor:
        raise ApplicationError(
            _(
                "%(path)s is a %(backup)s backup, but the configured database is %(live)s. "
                "Restore a backup made from the same kind of database."
            )
            % {"path": source, "backup": ENGINE_NAMES[vendor], "live": ENGINE_NAMES[conn.vendor]}
        )
    if vendor == "sqlite":
        if _same_file(source, _sqlite_live_path(conn)):
            raise ApplicationError(_("The backup file cannot be the live database itself."))
        tables = _sqlite_tables(source)
    else:
        tables = _pg_archive_tables(conn, source)
    missing = REQUIRED_TABLES - tables
    if missing:
        raise ApplicationError(
            _("%(path)s is not a backup of this platform (no table %(tables)s).")
            % {"path": source, "tables": ", ".join(sorted(missing))}
        )
    stat = source.stat()
    return BackupInfo(
        path=source,
        vendor=vendor,
        size=stat.st_size,
        modified_at=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
    )


def _sqlite_open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_tables(path: Path) -> set[str]:
    try:
        src = _sqlite_open_readonly(path)
        try:
            (check,) = src.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise ApplicationError(
                    _("%(path)s is damaged: %(problem)s") % {"path": path, "problem": check}
                )
            rows = src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {name for (name,) in rows}
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise ApplicationError(
            _("%(path)s cannot be read as a SQLite database: %(error)s")
            % {"path": path, "error": exc}
        ) from exc


# "215; 1259 16385 TABLE public audit_event postgres" (but not "TABLE DATA ...").
TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", re.MULTILINE)


def _pg_archive_tables(conn: Any, path: Path) -> set[str]:
    toc = _run_pg_tool("pg_restore", ["--list", str(path)], conn)
    return {name for _schema, name in TOC_TABLE.findall(toc)}


# --- restore ------------------------------------------------------------------------------


def restore_database(
    path: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS, record: bool = True
) -> RestoreReport:
    """Replace the whole database with the backup at `path` (validated first).

    Stop the web server and the task worker first. Afterwards one `database.restore` event is
    appended to the restored audit chain, so the trail shows that a restore happened.
    """
    info = inspect_backup(path, using=using)
    conn = _connection(using)
    report = RestoreReport(info=info, database=database_label(using))
    conn.close()  # no open statement or transaction of ours in the way
    if info.vendor == "sqlite":
        _sqlite_restore(conn, info.path)
    else:
        _pg_restore(conn, info.path, report)
    conn.close()
    ContentType.objects.clear_cache()
    up_to_date = _check_migrations(conn, report)
    if record and up_to_date:
        from greencommunity.audit.services import audit_record

        dated = f"{info.modified_at:%Y-%m-%d %H:%M:%S} UTC"
        audit_record(
            actor=f"operator:{getpass.getuser()}",
            verb="database.restore",
            summary=f"restored from {info.path.name} (file dated {dated})",
            after={"file": str(info.path), "size": info.size, "file_dated": dated},
        )
    return report


def _sqlite_restore(conn: Any, source: Path) -> None:
    src = _sqlite_open_readonly(source)
    try:
        conn.ensure_connection()
        with conn.wrap_database_errors:
            src.backup(conn.connection)
    finally:
        src.close()


def _pg_restore(conn: Any, source: Path, report: RestoreReport) -> None:
    backup_tables = _pg_archive_tables(conn, source)
    _run_pg_tool(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *_pg_dbname(conn),
            str(source),
        ],
        conn,
    )
    # Tables the backup does not know (added by a later version) would keep stale rows and
    # make `migrate` fail: the database must be what the backup was.
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        extra = sorted({name for (name,) in cursor.fetchall()} - backup_tables)
        for name in extra:
            cursor.execute(f"DROP TABLE IF EXISTS {conn.ops.quote_name(name)} CASCADE")
    if extra:
        report.notices.append(
            _("Dropped tables the backup does not contain: %(tables)s.")
            % {"tables": ", ".join(extra)}
        )
    conn.close()


def _check_migrations(conn: Any, report: RestoreReport) -> bool:
    """Tell the operator when the restored schema is older or newer than the code; True when
    it matches (nothing to migrate)."""
    executor = MigrationExecutor(conn)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        report.notices.append(
            _(
                "The backup predates %(count)d migration(s) of this version: "
                "run `greencommunity migrate` now."
            )
            % {"count": len(plan)}
        )
    loader = executor.loader
    replaced = {key for m in loader.replacements.values() for key in m.replaces}
    unknown = sorted(
        f"{app}.{name}"
        for app, name in set(loader.applied_migrations) - set(loader.graph.nodes) - replaced
    )
    if unknown:
        report.notices.append(
            _(
                "The backup records migrations this version does not know (%(names)s): "
                "it may come from a newer version."
            )
            % {"names": ", ".join(unknown)}
        )
    return not plan


# --- PostgreSQL client tools ---------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ApplicationError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client tools of the server's "
                "major version (for example apt-get install postgresql-client-15) and put "
                "them on PATH."
            )
            % {"tool": name}
        )
    return found


def _pg_dbname(conn: Any) -> list[str]:
    """--dbname for the client tools (none when a libpq service names the database)."""
    name = conn.settings_dict.get("NAME")
    return [f"--dbname={name}"] if name else []


def _pg_env(conn: Any) -> dict[str, str]:
    """libpq environment for the client tools; the password never appears on a command line."""
    settings = conn.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if settings.get(key):
            env[var] = str(settings[key])
    options = settings.get("OPTIONS") or {}
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                        ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"),
                        ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):  # fmt: skip
        if options.get(option):
            env[var] = str(options[option])
    return env


def _run_pg_tool(name: str, args: list[str], conn: Any) -> str:
    result = subprocess.run(
        [_pg_tool(name), *args],
        env=_pg_env(conn),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ApplicationError(
            _("%(tool)s failed: %(error)s")
            % {"tool": name, "error": result.stderr.strip() or result.returncode}
        )
    return result.stdout
