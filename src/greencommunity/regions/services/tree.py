"""Writes to the region tree (the registry issue adds imports and division changes)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.access.grants import covers, is_platform_superuser
from greencommunity.access.roles import Role
from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied

from ..codes import LEVEL_ORDER, Level, community_kind_of_code, is_valid_code, level_of_code
from ..models import Community, Region


def _may_edit_under(actor: Any, parent: Region | None) -> bool:
    if actor is None:  # the operator's own CLI commands (bootstrap, demo data)
        return True
    if parent is None:
        return is_platform_superuser(actor)
    return covers(actor, parent.code, roles=[Role.ADMIN])


@transaction.atomic
def region_create(
    *, actor: Any, code: str, name: str, parent: Region | None = None, level: str | None = None
) -> Region:
    """Add a region under `parent` (the nearest existing ancestor)."""
    if not is_valid_code(code):
        raise ApplicationError(
            _("Division code %(code)s must be 12 digits.") % {"code": code}, {"field": "code"}
        )
    level = level or level_of_code(code)
    if parent is not None and (
        LEVEL_ORDER.index(Level(parent.level)) >= LEVEL_ORDER.index(Level(level))
        or not parent.contains(code)
    ):
        raise ApplicationError(
            _("%(code)s cannot lie under %(parent)s.") % {"code": code, "parent": parent},
            {"field": "parent"},
        )
    if not _may_edit_under(actor, parent):
        raise PermissionDenied(_("You may not add regions here."))
    if Region.objects.filter(code=code).exists():
        raise ApplicationError(_("Division code %(code)s exists.") % {"code": code})
    region = Region.objects.create(code=code, name=name.strip(), level=level, parent=parent)
    if level == Level.COMMUNITY:
        Community.objects.create(region=region, kind=community_kind_of_code(code))
    audit_record(
        actor=actor,
        verb="region.create",
        target=region,
        region_code=code,
        after={
            "code": code,
            "name": region.name,
            "level": level,
            "parent": parent.code if parent else None,
        },
    )
    return region
