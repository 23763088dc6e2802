from django.core.management.base import BaseCommand, CommandError

from greencommunity.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (exit 1 when broken)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at event #{report.first_bad_seq}: {report.reason} "
                f"({report.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain OK: {report.checked} events verified")
