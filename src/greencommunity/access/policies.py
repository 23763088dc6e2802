"""Who may see and manage regions, accounts and roles."""

from typing import Any

from django.db.models import QuerySet

from greencommunity.regions.models import Region

from .grants import covers, grants, is_platform_superuser, scope_q
from .roles import ROLE_LEVELS, Role


def scope_regions(actor: Any, queryset: QuerySet[Region]) -> QuerySet[Region]:
    """Regions inside any of the actor's grants (every role may browse its own subtree)."""
    return queryset.filter(scope_q(actor, "code"))


def can_view_region(actor: Any, region: Region) -> bool:
    return covers(actor, region.code)


def is_administrator(actor: Any) -> bool:
    return is_platform_superuser(actor) or any(g.role == Role.ADMIN for g in grants(actor))


def can_administer_region(actor: Any, region: Region) -> bool:
    return covers(actor, region.code, roles=[Role.ADMIN])


def _admin_strictly_above(actor: Any, code: str) -> bool:
    return is_platform_superuser(actor) or any(
        g.role == Role.ADMIN and code.startswith(g.prefix) and code != g.code for g in grants(actor)
    )


def can_manage_user(actor: Any, user: Any) -> bool:
    """An administrator manages an account (edit, reset password, roles) when the account's
    home region and every region it holds a role on lie in the administrator's subtree, and
    any administrator role it holds sits strictly below the actor's."""
    if actor.pk == user.pk or (user.is_superuser and not is_platform_superuser(actor)):
        return False
    if user.home_region_id is None:
        return is_platform_superuser(actor)
    if not covers(actor, user.home_region.code, roles=[Role.ADMIN]):
        return False
    for a in user.roles.select_related("region"):
        if a.role == Role.ADMIN:
            if not _admin_strictly_above(actor, a.region.code):
                return False
        elif not covers(actor, a.region.code, roles=[Role.ADMIN]):
            return False
    return True


def scope_users(actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Other accounts whose home region lies under the actor's administrator grants."""
    if not getattr(actor, "is_authenticated", False):
        return queryset.none()
    # One's own account is managed on the password and token pages, not here.
    return queryset.filter(scope_q(actor, "home_region__code", roles=[Role.ADMIN])).exclude(
        pk=actor.pk
    )


def can_grant_role(actor: Any, role: str, region: Region) -> bool:
    if region.level not in ROLE_LEVELS[Role(role)]:
        return False
    if role == Role.ADMIN:
        return _admin_strictly_above(actor, region.code)
    return can_administer_region(actor, region)
