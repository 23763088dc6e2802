"""Who may see and change plans, targets, phases, creation lists and progress.

- The housing department and administrators of a region keep its implementation plan, the
  plan's targets and phases, and its creation lists (a role held higher up covers the region:
  the city's housing department may keep a county's plan).
- Everyone holding a role over a region sees its plan, its lists and its progress: progress is
  made of counts of the region's own subtree, which they see anyway.
"""

from typing import Any

from django.db.models import QuerySet

from greencommunity.access.grants import covers, scope_q
from greencommunity.access.roles import Role
from greencommunity.regions.models import Region

from .models import CreationList, Plan

PLAN_KEEPERS = [Role.HOUSING, Role.ADMIN]
LIST_KEEPERS = [Role.HOUSING, Role.ADMIN]


def can_edit_plan(actor: Any, region: Region) -> bool:
    """Save the region's plan and set its targets and phases."""
    return covers(actor, region.code, roles=PLAN_KEEPERS)


def can_view_plan(actor: Any, plan: Plan) -> bool:
    return covers(actor, plan.region.code)


def can_edit_creation_list(actor: Any, region: Region) -> bool:
    """Set, add to or remove from the region's creation lists."""
    return covers(actor, region.code, roles=LIST_KEEPERS)


def can_view_creation_list(actor: Any, creation_list: CreationList) -> bool:
    return covers(actor, creation_list.region.code)


def can_view_progress(actor: Any, region: Region) -> bool:
    return covers(actor, region.code)


def scope_plans(actor: Any, queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    return queryset.filter(scope_q(actor, "region__code"))


def scope_creation_lists(actor: Any, queryset: QuerySet[CreationList]) -> QuerySet[CreationList]:
    return queryset.filter(scope_q(actor, "region__code"))
