"""Audit API: read the trail in the actor's scope, verify the chain (administrators).
The actor is `request.user` (set by every authentication method of greencommunity.api)."""

from dataclasses import asdict

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from greencommunity.access.policies import is_administrator
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from .policies import can_view_audit_for_region
from .schemas import ChainReportOut, EventFilters, EventPageOut
from .selectors import event_list
from .services import audit_verify

router = Router(tags=["audit"])


@router.get("/events", response=EventPageOut, url_name="audit_events")
def event_list_endpoint(request: HttpRequest, filters: Query[EventFilters]) -> object:
    """Events the actor may read, newest first. `region` outside the actor's audit scope
    answers 404, like a region that does not exist."""
    actor = request.user
    if filters.region and not can_view_audit_for_region(actor, filters.region):
        raise NotFound(_("Region not found."))
    if bool(filters.target_type) != bool(filters.target_id):
        raise ApplicationError(
            _("Give target_type and target_id together."), {"field": "target_id"}
        )
    events = event_list(
        actor,
        region_code=filters.region,
        target_type=filters.target_type,
        target_id=filters.target_id,
        verb=filters.verb,
    )
    return {
        "count": events.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": events[filters.offset : filters.offset + filters.limit],
    }


@router.get("/verify", response=ChainReportOut, url_name="audit_verify")
def verify_endpoint(request: HttpRequest) -> object:
    """Recompute the whole hash chain (administrators only)."""
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only administrators may verify the audit trail."))
    return asdict(audit_verify())
