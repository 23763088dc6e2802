"""greencommunity division-change --kind KIND --date YYYY-MM-DD --old CODE [--old CODE ...]
    [--new CODE --name NAME ...] [--assign COMPOUND=CODE ...] [--document TEXT] [--note TEXT]
    --actor USERNAME

Record one division change by hand, as the administrator USERNAME would. `--name` gives the
names of the `--new` codes in the same order (a rename: `--old CODE --name NEW_NAME`). A split
assigns every compound of the old community with `--assign`, naming the compound by name or id:
`--assign 阳光小区=370321001005`.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greencommunity.access.models import User
from greencommunity.core.errors import ApplicationError
from greencommunity.regions.models import ChangeKind
from greencommunity.regions.selectors_changes import (
    compound_ids_by_name,
    division_change_leftovers,
)
from greencommunity.regions.services.changes import division_change_record


class Command(BaseCommand):
    help = "Record one division change (rename, merge, split, move, recode, abolish)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=[k.value for k in ChangeKind])
        parser.add_argument("--date", required=True, help="effective date, YYYY-MM-DD")
        parser.add_argument("--old", action="append", required=True, help="an old division code")
        parser.add_argument("--new", action="append", default=[], help="a new division code")
        parser.add_argument(
            "--name", action="append", default=[], help="the name of a --new code, in order"
        )
        parser.add_argument(
            "--assign",
            action="append",
            default=[],
            metavar="COMPOUND=CODE",
            help="split: the compound (name or id) that goes to the new code",
        )
        parser.add_argument("--document", default="", help="approving document number")
        parser.add_argument("--note", default="")
        parser.add_argument("--actor", required=True, help="username of the administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account named {options['actor']!r}.")
        try:
            day = date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD.") from exc
        kind, olds = options["kind"], options["old"]
        news, names = list(options["new"]), list(options["name"])
        if kind == ChangeKind.RENAME and not news:
            news = olds[:1]
        if len(names) > len(news):
            raise CommandError("More --name than --new codes.")
        names += [""] * (len(news) - len(names))
        try:
            change = division_change_record(
                actor=actor,
                kind=kind,
                effective_on=day,
                old_codes=olds,
                new_regions=list(zip(news, names, strict=True)),
                document=options["document"],
                note=options["note"],
                compound_assignment=self._assignment(olds[0], options["assign"]) or None,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Recorded: {change} ({change.links.count()} links).")
        for value in division_change_leftovers(change):
            self.stdout.write(
                f"Kept on {value.community.region.code}: {value.indicator.code} {value.year} = "
                f"{value.value} (the successor has its own value)."
            )

    def _assignment(self, old_code: str, items: list[str]) -> dict[int, str]:
        by_name = compound_ids_by_name(old_code.ljust(12, "0"))
        ids = set(by_name.values())
        assignment: dict[int, str] = {}
        for item in items:
            compound, sep, code = item.rpartition("=")
            if not sep or not compound or not code:
                raise CommandError(f"--assign {item!r}: write COMPOUND=CODE.")
            if compound.isdigit() and int(compound) in ids:
                assignment[int(compound)] = code
            elif compound in by_name:
                assignment[by_name[compound]] = code
            else:
                raise CommandError(f"--assign {item!r}: {old_code} has no such compound.")
        return assignment
