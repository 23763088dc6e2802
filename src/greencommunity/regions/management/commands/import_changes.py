"""greencommunity import-changes FILE --actor USERNAME [--dry-run]

Record the division changes of a change file (xlsx or csv; one row per old → new link) as the
administrator USERNAME would: all or nothing. On problems, one line per problem (row, column,
value, reason) and exit code 2. Columns: see `regions.services.changes_import`.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.core.errors import ApplicationError, RowError
from greencommunity.documents.commands import load_actor, row_errors_exit
from greencommunity.documents.xlsx import read_table
from greencommunity.regions.services.changes_import import CHANGE_ALIASES, changes_import


class Command(BaseCommand):
    help = "Record division changes from an xlsx/csv change file, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx (or UTF-8 .csv) change file")
        parser.add_argument(
            "--actor", required=True, help="username of the administrator recording the changes"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and change, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = load_actor(options["actor"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            rows = read_table(path, aliases=CHANGE_ALIASES)
            result = changes_import(actor=actor, rows=rows, dry_run=options["dry_run"])
        except RowError as exc:
            raise row_errors_exit(self, exc) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

        if result.dry_run:
            self.stdout.write(
                f"{result.count} changes checked, no problem found; nothing was recorded "
                "(--dry-run)."
            )
            return
        self.stdout.write(f"{result.count} division changes recorded.")
        if result.leftovers:
            self.stdout.write(
                f"{result.leftovers} indicator values stayed on closed communities because "
                "their successor already had a value for the same indicator and year."
            )
