from django.core.management.base import BaseCommand

from greencommunity.demo.services import demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Load the Huantai demo data (regions, communities, one account per role)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds data",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if demo_is_loaded():
            if options["if_empty"]:
                return
            self.stderr.write("The database is not empty; demo data not loaded.")
            raise SystemExit(1)
        demo_load()
        self.stdout.write(
            "Demo data loaded: 山东省 > 淄博市 > 桓台县, 3 streets/towns, 21 communities."
        )
