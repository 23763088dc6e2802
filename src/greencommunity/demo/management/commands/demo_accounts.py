from django.core.management.base import BaseCommand

from greencommunity.access.models import User
from greencommunity.demo import data


class Command(BaseCommand):
    help = "Print the demo accounts that exist in this database."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        names = [a[0] for a in data.ACCOUNTS]
        present = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if not present:
            return
        self.stdout.write(f"Demo accounts (password: {data.DEMO_PASSWORD}):")
        for username, full_name, role, code, _dept in data.ACCOUNTS:
            if username in present:
                self.stdout.write(f"  {username:<13} {role:<11} {code}  {full_name}")
