from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.documents.commands import load_actor
from greencommunity.regions.exports import registry_export


class Command(BaseCommand):
    help = "Export regions and community profiles in the import layout (.xlsx or .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="FILE.xlsx or FILE.csv")
        parser.add_argument("--region", default="", help="only this region's subtree (code)")
        parser.add_argument("--actor", required=True, help="the account doing the export")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = load_actor(options["actor"])
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        fmt = "csv" if path.suffix.lower() == ".csv" else "xlsx"
        path.write_bytes(registry_export(actor, region_code=options["region"], fmt=fmt))
        self.stdout.write(f"Exported to {path}")
