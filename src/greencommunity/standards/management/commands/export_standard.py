import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.standards.services.transfer import (
    standard_by_reference,
    standard_export_json,
    standard_export_xlsx,
    standard_template_xlsx,
)


class Command(BaseCommand):
    help = (
        "Export a standard as .xlsx (one row per criterion) or .json (the built-in data "
        "format), chosen by the file's extension. Standards are public documents: no actor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", help="the standard's id, or its key (latest version)")
        parser.add_argument("file", help="FILE.xlsx or FILE.json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".json"):
            raise CommandError("The file must end in .xlsx or .json.")
        if options["standard"] == "template":
            if suffix != ".xlsx":
                raise CommandError("The template is an .xlsx file.")
            path.write_bytes(standard_template_xlsx())
            self.stdout.write(f"Template written to {path}")
            return
        standard = standard_by_reference(options["standard"])
        if standard is None:
            raise CommandError(f"No standard {options['standard']!r}.")
        if suffix == ".json":
            text = json.dumps(standard_export_json(standard), ensure_ascii=False, indent=2)
            path.write_text(text + "\n", encoding="utf-8")
        else:
            path.write_bytes(standard_export_xlsx(standard))
        self.stdout.write(f"Exported {standard} (id {standard.pk}) to {path}")
