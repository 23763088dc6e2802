from typing import Any

from django.db.models import QuerySet

from greencommunity.regions.codes import code_prefix, level_of_code

from .models import Event
from .policies import scope_events


def event_list(
    actor: Any, *, region_code: str = "", target_type: str = "", target_id: str = "", verb: str = ""
) -> QuerySet[Event]:
    """Events the actor may read, newest first, narrowed to a region subtree or one object."""
    qs = scope_events(actor, Event.objects.all())
    if region_code:
        qs = qs.filter(region_code__startswith=code_prefix(region_code, level_of_code(region_code)))
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if verb:
        qs = qs.filter(verb__startswith=verb)
    return qs.order_by("-seq")
