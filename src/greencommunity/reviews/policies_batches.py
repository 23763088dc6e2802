"""Who may take the batch steps of a review chain: the sampling inspection (省级抽验), the public
notice (公示) with its objections (异议), and naming (命名).

- A batch is run by the housing department or an administrator holding the role on exactly the
  region that takes the step, as single review steps are (`policies.can_decide_step`): the
  province's housing department draws, inspects and decides a Sichuan sampling batch; the
  region of a notice publishes and closes it and resolves its objections; the region of a
  naming step names. A role held higher up does not take a lower region's batch. The services
  also check every application of a batch with `can_decide_step`.
- Draws and notices are seen (on the signed-in pages) by whoever holds a role over their region.
- An objection is seen by whoever may see its application; the objector's contact details and
  attachment only by those who resolve it (`can_resolve_objection`).
"""

from typing import Any

from django.db.models import QuerySet

from greencommunity.access.grants import covers, grants, scope_q
from greencommunity.access.roles import Role
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from .models import Objection, PublicNotice, SamplingDraw
from .policies import can_view_application

BATCH_ROLES = frozenset({Role.HOUSING, Role.ADMIN})


def holds_on(actor: Any, region_code: str, roles: frozenset[str] = BATCH_ROLES) -> bool:
    """Whether the actor holds one of `roles` on exactly the region `region_code`."""
    return any(g.code == region_code and g.role in roles for g in grants(actor))


# ---------------------------------------------------------------------------- sampling


def can_view_batches_of(actor: Any, region: Region) -> bool:
    """See the draws, notices and naming decisions of `region` on the signed-in pages."""
    return covers(actor, region.code)


def can_view_sampling_draw(actor: Any, draw: SamplingDraw) -> bool:
    return can_view_batches_of(actor, draw.region)


def scope_sampling_draws(actor: Any, queryset: QuerySet[SamplingDraw]) -> QuerySet[SamplingDraw]:
    return queryset.filter(scope_q(actor, "region__code"))


def can_create_sampling_draw(actor: Any, province: Region) -> bool:
    return province.level == Level.PROVINCE and holds_on(actor, province.code)


def can_manage_sampling_draw(actor: Any, draw: SamplingDraw) -> bool:
    """Draw the sample, record inspections and decide the batch."""
    return holds_on(actor, draw.region.code)


# ---------------------------------------------------------------------------- notices


def can_view_notice(actor: Any, notice: PublicNotice) -> bool:
    return can_view_batches_of(actor, notice.region)


def scope_notices(actor: Any, queryset: QuerySet[PublicNotice]) -> QuerySet[PublicNotice]:
    return queryset.filter(scope_q(actor, "region__code"))


def can_create_notice(actor: Any, region: Region) -> bool:
    return holds_on(actor, region.code)


def can_close_notice(actor: Any, notice: PublicNotice) -> bool:
    return holds_on(actor, notice.region.code)


def can_resolve_objection(actor: Any, objection: Objection) -> bool:
    """Decide an objection, and so see who made it: the notice's deciders."""
    return holds_on(actor, objection.notice.region.code)


def can_view_objection(actor: Any, objection: Objection) -> bool:
    return can_view_application(actor, objection.application)


# ---------------------------------------------------------------------------- naming


def can_name(actor: Any, region: Region) -> bool:
    """Issue a naming decision (命名决定) for the applications `region` names."""
    return holds_on(actor, region.code)
