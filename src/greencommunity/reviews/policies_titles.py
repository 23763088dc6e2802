"""Who may see, grant, change and import titles (称号).

Everyone holding a role over a community sees its titles and may download the plaque. The
housing department and administrators over the community grant titles (through naming), change
their status (rectification, revocation) and import existing titles from a file. The public
sees the list of certified communities and the verification page without signing in; neither
shows personal data.
"""

from typing import Any

from django.db.models import QuerySet

from greencommunity.access.grants import covers, grants, is_platform_superuser, scope_q
from greencommunity.access.roles import Role
from greencommunity.regions.models import Community

from .models import Title

TITLE_MANAGERS = [Role.ADMIN, Role.HOUSING]


def scope_titles(actor: Any, queryset: QuerySet[Title]) -> QuerySet[Title]:
    return queryset.filter(scope_q(actor, "community__region__code"))


def can_view_title(actor: Any, title: Title) -> bool:
    return covers(actor, title.community.region.code)


def can_grant_title(actor: Any, community: Community) -> bool:
    """`None` is the operator's own code path (naming jobs, demo data), as in the registry."""
    return actor is None or covers(actor, community.region.code, roles=TITLE_MANAGERS)


def can_change_title(actor: Any, title: Title) -> bool:
    """Status changes: under rectification, back to valid, revoked."""
    return covers(actor, title.community.region.code, roles=TITLE_MANAGERS)


def can_import_titles(actor: Any) -> bool:
    """Whether the actor may import titles somewhere (each row is checked with
    `can_import_title`)."""
    return is_platform_superuser(actor) or any(g.role in TITLE_MANAGERS for g in grants(actor))


def can_import_title(actor: Any, community_code: str) -> bool:
    return covers(actor, community_code, roles=TITLE_MANAGERS)
