"""greencommunity import-accounts FILE --actor USERNAME [--dry-run] [--output RESULT.xlsx]

Create accounts from a spreadsheet as the administrator USERNAME would on the web page: all
rows or none. On problems, one line per problem (row, column, value, reason) and exit code 2.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.access.services.bulk import ACCOUNT_ALIASES, accounts_import
from greencommunity.access.services.bulk_files import accounts_result_xlsx
from greencommunity.core.errors import ApplicationError, RowError
from greencommunity.documents.commands import load_actor, row_errors_exit
from greencommunity.documents.xlsx import read_table


class Command(BaseCommand):
    help = "Create accounts from an xlsx/csv file, all or nothing, as the given administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx (or UTF-8 .csv) file, laid out as the template")
        parser.add_argument(
            "--actor", required=True, help="username of the administrator doing the import"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, create nothing"
        )
        parser.add_argument(
            "--output",
            help="write the created accounts and initial passwords "
            "to this .xlsx file instead of printing them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = load_actor(options["actor"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        output = Path(options["output"]) if options.get("output") else None
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"No such directory for the output: {output.parent}")
        try:
            rows = read_table(path, aliases=ACCOUNT_ALIASES)
            result = accounts_import(actor=actor, rows=rows, dry_run=options["dry_run"])
        except RowError as exc:
            raise row_errors_exit(self, exc) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

        if result.dry_run:
            self.stdout.write(
                f"{len(result.rows)} rows checked, no problem found; nothing "
                "was created (--dry-run)."
            )
            return
        if output is not None:
            output.write_bytes(accounts_result_xlsx(result))
            output.chmod(0o600)
            self.stdout.write(f"{result.count} accounts created; initial passwords in {output}.")
            return
        self.stdout.write(f"{result.count} accounts created (username, initial password):")
        for created in result.created:
            self.stdout.write(f"{created.user.username}\t{created.password}")
