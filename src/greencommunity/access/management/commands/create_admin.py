"""greencommunity create-admin --username U --region CODE [--name N]

Bootstrap an administrator of a region (and everything below it) when setting up a
deployment. The password comes from GREENCOMMUNITY_ADMIN_PASSWORD, else it is asked for.
"""

import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from greencommunity.access.models import User
from greencommunity.access.services.bootstrap import admin_bootstrap
from greencommunity.core.errors import ApplicationError
from greencommunity.regions.codes import ancestor_codes, is_valid_code
from greencommunity.regions.models import Region
from greencommunity.regions.services.tree import region_create

PASSWORD_ENV = "GREENCOMMUNITY_ADMIN_PASSWORD"  # noqa: S105 (a variable name)


class Command(BaseCommand):
    help = (
        "Create an administrator of a region (the first account of a deployment). The password "
        f"is read from {PASSWORD_ENV}, else asked for; it must be changed at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--region", required=True, help="12-digit division code")
        parser.add_argument("--name", default="", help="the administrator's full name")
        parser.add_argument(
            "--region-name",
            default="",
            help="create the region with this name when it does not exist yet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"].strip()
        username = options["username"].strip()
        if not is_valid_code(code):
            raise CommandError(f"The region code {code!r} must be 12 digits.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        region = Region.objects.filter(code=code).first()
        if region is None and not options["region_name"]:
            raise CommandError(
                f"There is no region {code}. Import the regions first, or give --region-name "
                "to create it."
            )
        password = self._password()
        try:
            with transaction.atomic():
                if region is None:
                    parent = (
                        Region.objects.filter(code__in=ancestor_codes(code))
                        .order_by("-code")
                        .first()
                    )
                    region = region_create(
                        actor=None, code=code, name=options["region_name"], parent=parent
                    )
                user = admin_bootstrap(
                    username=username,
                    password=password,
                    region=region,
                    full_name=options["name"].strip(),
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Administrator {user.username} of {region.name} ({region.code}) created; the "
            "password must be changed at first sign-in."
        )

    def _password(self) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_ENV}, or run the command in a terminal.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not password:
            raise CommandError("The password is empty.")
        return password
