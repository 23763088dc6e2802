from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from greencommunity.core.backup import backup_database, database_label
from greencommunity.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE while the platform runs (SQLite: online copy; "
        "PostgreSQL: pg_dump custom format). Uploaded files are not included."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="where to write the backup (replaced if it exists)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            path = backup_database(options["file"], using=options["database"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Backed up %(database)s to %(path)s (%(size)s).")
            % {
                "database": database_label(options["database"]),
                "path": path,
                "size": filesizeformat(path.stat().st_size),
            }
        )
