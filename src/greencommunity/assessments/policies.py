"""Who may see and fill in self-assessments.

Everyone holding a role over the community sees its assessments (the community committee, its
street office, departments, experts, housing and administrators above). Only the community
committee and the housing department and administrators above start, answer, submit and
reopen them: the street office recommends an application later, it does not score for the
community.
"""

from typing import Any

from django.db.models import QuerySet

from greencommunity.access.grants import covers, scope_q
from greencommunity.access.roles import Role
from greencommunity.regions.models import Community

from .models import Assessment

ASSESSMENT_EDITORS = [Role.ADMIN, Role.HOUSING, Role.COMMUNITY]


def scope_assessments(actor: Any, queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.filter(scope_q(actor, "community__region__code"))


def can_view_assessments_of(actor: Any, community: Community) -> bool:
    return covers(actor, community.region.code)


def can_start_assessment(actor: Any, community: Community) -> bool:
    return covers(actor, community.region.code, roles=ASSESSMENT_EDITORS)


def can_view_assessment(actor: Any, assessment: Assessment) -> bool:
    return can_view_assessments_of(actor, assessment.community)


def can_edit_assessment(actor: Any, assessment: Assessment) -> bool:
    """Answer and submit a draft, reopen a submitted one (the status is the service's rule)."""
    return covers(actor, assessment.community.region.code, roles=ASSESSMENT_EDITORS)


def is_committee_of(actor: Any, assessment: Assessment) -> bool:
    """The community committee itself: it alone applies for a title with its assessment."""
    return covers(actor, assessment.community.region.code, roles=[Role.COMMUNITY])
