"""Who may read the audit trail: administrators and housing-department staff, for events of
regions in their subtree; anyone, for the events of their own account."""

from typing import Any

from django.db.models import Q, QuerySet

from greencommunity.access.grants import covers, scope_q
from greencommunity.access.roles import Role

from .models import Event

AUDIT_READERS = [Role.ADMIN, Role.HOUSING]


def can_view_audit_for_region(actor: Any, code: str) -> bool:
    return covers(actor, code, roles=AUDIT_READERS)


def scope_events(actor: Any, queryset: QuerySet[Event]) -> QuerySet[Event]:
    if not getattr(actor, "is_authenticated", False):
        return queryset.none()
    own = Q(actor_id=actor.pk)
    return queryset.filter(scope_q(actor, "region_code", roles=AUDIT_READERS) | own)
