"""Reads of accounts and role assignments, always through the actor's scope."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.documents.models import Job
from greencommunity.documents.policies import scope_jobs
from greencommunity.regions.codes import (
    LEVEL_ORDER,
    Level,
    code_prefix,
    is_valid_code,
    level_of_code,
)
from greencommunity.regions.models import Region

from .grants import scope_q, subtree_q
from .models import RoleAssignment, User
from .policies import can_manage_user, scope_users
from .roles import Role
from .services.bulk import JOB_KIND


def access_user(actor: Any, user_id: int) -> User:
    """The account, if the actor manages it; otherwise the same not-found as a missing one."""
    user = scope_users(actor, User.objects.select_related("home_region")).filter(pk=user_id).first()
    if user is None or not can_manage_user(actor, user):
        raise NotFound(_("Account not found."))
    return user


def user_list(actor: Any, *, q: str = "", region_code: str = "") -> QuerySet[User]:
    """Accounts the actor administers, matching a username/name search and a region subtree."""
    qs = scope_users(actor, User.objects.all()).select_related("home_region")
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__icontains=q)
        )
    if is_valid_code(region_code):
        prefix = code_prefix(region_code, level_of_code(region_code))
        qs = qs.filter(subtree_q("home_region__code", prefix))
    roles = RoleAssignment.objects.select_related("region").order_by("region__code", "role")
    return qs.prefetch_related(Prefetch("roles", queryset=roles)).order_by("username")


def user_roles(user: User) -> QuerySet[RoleAssignment]:
    return user.roles.select_related("region").order_by("region__code", "role")


def access_role_assignment(user: User, assignment_id: int) -> RoleAssignment:
    """One of `user`'s role assignments (the caller has already loaded `user` via access_user)."""
    assignment = (
        RoleAssignment.objects.select_related("region", "user", "user__home_region")
        .filter(pk=assignment_id, user=user)
        .first()
    )
    if assignment is None:
        raise NotFound(_("Role not found."))
    return assignment


def administered_regions(actor: Any, *, down_to: str = Level.COMMUNITY) -> QuerySet[Region]:
    """Regions under the actor's administrator grants, down to the level `down_to`."""
    levels = LEVEL_ORDER[: LEVEL_ORDER.index(Level(down_to)) + 1]
    return (
        Region.objects.filter(scope_q(actor, "code", roles=[Role.ADMIN]), level__in=levels)
        .only("code", "name", "level")
        .order_by("code")
    )


def recent_import_jobs(actor: Any, limit: int = 10) -> list[Job]:
    """The actor's latest account imports, newest first."""
    return list(
        scope_jobs(actor, Job.objects.filter(kind=JOB_KIND)).order_by("-created_at")[:limit]
    )
