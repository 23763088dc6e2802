"""Who may read and change the community registry.

Everyone with a role sees the registry of their own subtree. The profile, compounds and
indicators of a community are kept by the community committee, its street office and the
housing department and administrators above it; the region tree itself (codes, names,
division changes) only by administrators.
"""

from typing import Any

from django.db.models import QuerySet

from greencommunity.access.grants import covers, grants, is_platform_superuser, scope_q
from greencommunity.access.roles import Role

from .models import Community, Region

REGISTRY_EDITORS = [Role.ADMIN, Role.HOUSING, Role.STREET, Role.COMMUNITY]
DATA_IMPORTERS = [Role.ADMIN, Role.HOUSING, Role.STREET]
TREE_EDITORS = [Role.ADMIN]


def scope_communities(actor: Any, queryset: QuerySet[Community]) -> QuerySet[Community]:
    return queryset.filter(scope_q(actor, "region__code"))


def can_view_community(actor: Any, community: Community) -> bool:
    return covers(actor, community.region.code)


def can_edit_community(actor: Any, community: Community) -> bool:
    """Profile, urban classification, compounds and indicator values."""
    return covers(actor, community.region.code, roles=REGISTRY_EDITORS)


def can_import_community_data(actor: Any, code: str) -> bool:
    """Compounds and indicators from a file, for the community with `code`."""
    return covers(actor, code, roles=DATA_IMPORTERS)


def can_edit_tree(actor: Any, region: Region | None, code: str = "") -> bool:
    """Regions (codes, names, levels, profiles by file) and division changes under `region`."""
    return covers(actor, region.code if region is not None else code, roles=TREE_EDITORS)


IMPORT_KINDS = {"regions": TREE_EDITORS, "compounds": DATA_IMPORTERS, "indicators": DATA_IMPORTERS}


def import_kinds_allowed(actor: Any) -> list[str]:
    """Which registry files the actor may import somewhere (rows are checked one by one)."""
    held = {g.role for g in grants(actor)}
    return [
        kind for kind, roles in IMPORT_KINDS.items()
        if is_platform_superuser(actor) or held & set(roles)
    ]  # fmt: skip
