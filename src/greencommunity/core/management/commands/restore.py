from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from greencommunity.core.backup import database_label, inspect_backup, restore_database
from greencommunity.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `greencommunity backup`. Stop the "
        "web server and the task worker first."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="the backup to restore")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        using = options["database"]
        try:
            info = inspect_backup(options["file"], using=using)
            if options["interactive"]:
                self.stdout.write(
                    _(
                        "This replaces ALL data in %(database)s with the backup %(path)s "
                        "(%(size)s, dated %(date)s UTC). Stop the web server and the task "
                        "worker first."
                    )
                    % {
                        "database": database_label(using),
                        "path": info.path,
                        "size": filesizeformat(info.size),
                        "date": f"{info.modified_at:%Y-%m-%d %H:%M}",
                    }
                )
                if input(_("Type 'yes' to continue: ")).strip().lower() != "yes":
                    raise CommandError(_("Restore cancelled; nothing was changed."))
            report = restore_database(info.path, using=using)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Restored %(database)s from %(path)s.")
            % {"database": report.database, "path": info.path}
        )
        for notice in report.notices:
            self.stdout.write(self.style.WARNING(notice))
