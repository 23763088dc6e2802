import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.core.errors import ApplicationError, RowError
from greencommunity.documents.commands import load_actor, row_errors_exit
from greencommunity.documents.xlsx import row_error
from greencommunity.standards.services.transfer import (
    standard_import_json,
    standard_import_xlsx,
)


class Command(BaseCommand):
    help = (
        "Import a standard from .xlsx (laid out as the export/template) or .json as a new "
        "draft version; any error is listed by row and nothing is written (exit code 2)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="FILE.xlsx or FILE.json")
        parser.add_argument("--actor", required=True, help="the account doing the import")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument("--key", help="import under this key instead of the file's")
        parser.add_argument("--name", help="import under this name instead of the file's")
        parser.add_argument("--region", help="the issuing region code instead of the file's")
        parser.add_argument("--as-version", type=int,
                            help="make exactly this version (refused when it exists)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        actor = load_actor(options["actor"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        given = {
            "key": options["key"],
            "name": options["name"],
            "issuing_code": options["region"],
            "version": options["as_version"],
            "dry_run": options["dry_run"],
        }
        try:
            if path.suffix.lower() == ".json":
                try:
                    payload = json.loads(path.read_text(encoding="utf-8"))
                except (UnicodeDecodeError, ValueError) as exc:
                    raise RowError(
                        "The file is not valid JSON.",
                        [row_error(0, "", "", f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}")],
                    ) from exc
                result = standard_import_json(actor=actor, payload=payload, **given)
            else:
                result = standard_import_xlsx(actor=actor, data=path.read_bytes(), **given)
        except RowError as exc:
            raise row_errors_exit(self, exc) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        what = f"{result.name} ({result.key} v{result.version}, {result.criteria} criteria)"
        if result.dry_run:
            self.stdout.write(f"{what} would be imported as a draft (--dry-run: nothing written).")
        else:
            assert result.standard is not None
            self.stdout.write(f"Imported {what} as draft id {result.standard.pk}.")
