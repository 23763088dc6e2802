"""greencommunity progress CODE [--year YYYY] [--json] [--actor USERNAME]

The progress of a region in a year and of each of its children (`selectors_progress`): as JSON
(`--json`, the same document as GET /api/v1/regions/{CODE}/progress) or as a table. CODE may be
given with 2, 4, 6, 9 or 12 digits. Without `--actor` the command reads as the operator;
with it, a region outside the account's regions is not found.
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from greencommunity.core.errors import NotFound
from greencommunity.documents.commands import load_actor
from greencommunity.regions.codes import CodeError, normalise_code
from greencommunity.regions.models import Region
from greencommunity.regions.selectors import access_region

from ...selectors_progress import region_progress

COLUMNS = [
    ("communities", "communities"), ("on_creation_list", "listed"), ("pilots", "pilots"),
    ("applied", "applied"), ("in_review", "in review"), ("certified", "certified"),
    ("demonstration", "demo"), ("certified_rate", "rate"), ("target_rate", "target"),
    ("needed", "needed"),
]  # fmt: skip


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"
    return str(value)


class Command(BaseCommand):
    help = "Progress of a region in a year: communities, pilots, applications, titles, targets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="division code of the region (2-12 digits)")
        parser.add_argument("--year", type=int, default=None, help="the year (default: this one)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--actor", default="", help="read as this account (its regions)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = normalise_code(options["code"])
        except CodeError as exc:
            raise CommandError(f"{options['code']!r}: {exc.reason_en}") from exc
        year = options["year"] or timezone.localdate().year
        if options["actor"]:
            try:
                region = access_region(load_actor(options["actor"]), code)
            except NotFound as exc:
                raise CommandError(f"No region {code} in the account's regions.") from exc
        else:
            found = Region.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"No region {code}.")
            region = found
        progress = region_progress(region, year)
        if options["json"]:
            self.stdout.write(json.dumps(progress, ensure_ascii=False, default=_json_default))
            return
        self._table(progress)

    def _table(self, progress: dict[str, Any]) -> None:
        region = progress["region"]
        basis = {
            "year_end": "the end of the year",
            "today": "today",
            "today_future_year": "today (the year has not begun)",
        }[progress["as_of_basis"]]
        self.stdout.write(
            f"{region['name']} ({region['code']}, {region['level']}) — {progress['year']}, "
            f"as of {progress['as_of'].isoformat()} ({basis})"
        )
        if progress["target_rate"] is not None:
            source = " (inherited from " + progress["target_source"] + ")" if progress[
                "target_inherited"
            ] else ""  # fmt: skip
            forecast = progress["forecast"]
            self.stdout.write(
                f"target {progress['target_rate']:.0%}{source}; forecast "
                f"{forecast['certified_at_deadline']} certified by "
                f"{forecast['deadline'].isoformat()} at {forecast['pace_per_month']} a month: "
                + ("on track" if forecast["on_track"] else "behind")
            )
        header = ["region", *(label for _key, label in COLUMNS)]
        rows = [
            [f"{entry['region']['name']} {entry['region']['code']}",
             *(_cell(entry[key]) for key, _label in COLUMNS)]
            for entry in [*progress["children"], progress]
        ]  # fmt: skip
        rows[-1][0] = "total"
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(row)).rstrip()
            )


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text
