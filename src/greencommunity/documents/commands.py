"""What the platform's import/export commands share: acting as a named account, reading a
file, and reporting row errors with exit code 2 (database unchanged)."""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.core.errors import ApplicationError, RowError

from .xlsx import read_table

EXIT_ROW_ERRORS = 2
MAX_IMPORT_ROWS = 1_000_000


def load_actor(username: str) -> Any:
    """The active account the command acts as; its roles decide what it may do."""
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active account named {username!r}.")
    return actor


def row_errors_exit(command: BaseCommand, exc: RowError) -> CommandError:
    """Print `row, column, value, reason (Chinese) / reason (English)` lines; exit code 2."""
    for e in exc.errors:
        reason = e["reason"] + (f" / {e['reason_en']}" if e.get("reason_en") else "")
        command.stderr.write(f"{e['row']}, {e['column']}, {e['value']}, {reason}")
    return CommandError(exc.message, returncode=EXIT_ROW_ERRORS)


class ImportCommand(BaseCommand):
    """`greencommunity import-xxx FILE --actor USERNAME [--dry-run]`, all rows or none."""

    def aliases(self) -> Mapping[str, Any]:
        raise NotImplementedError

    def importer(self) -> Callable[..., Any]:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx or UTF-8 .csv file laid out as the template")
        parser.add_argument("--actor", required=True, help="the account doing the import")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = load_actor(options["actor"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            rows = read_table(path, aliases=self.aliases(), max_rows=MAX_IMPORT_ROWS)
            summary = self.importer()(actor=actor, rows=rows, dry_run=options["dry_run"])
        except RowError as exc:
            raise row_errors_exit(self, exc) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        s = summary.as_dict()
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{s['rows']} rows checked: {s['created']} new, {s['updated']} updated "
            f"{verb} written" + (" (--dry-run: nothing written)" if options["dry_run"] else ".")
        )
