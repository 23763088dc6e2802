import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from greencommunity.standards.selectors import standard_catalogue, standard_summary


class Command(BaseCommand):
    help = "List the creation standards (id, name, region, version, criteria, points, pass rule)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [standard_summary(s) for s in standard_catalogue()]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            points = "" if r["total_points"] is None else f"{r['total_points']:g} 分"
            self.stdout.write(
                f"{r['id']:>3}  {r['name']}  v{r['version']}  {r['region'] or '全国'}  "
                f"{r['criteria_count']} 条 {points}  {r['pass_rule']['text']}"
            )
