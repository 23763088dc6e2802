"""What every assessment service does first: load the assessment (locked for the change) and
check the actor may change it and that it is still a draft."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.standards.scoring import valid_points

from ..models import Assessment, AssessmentStatus
from ..policies import can_edit_assessment, can_view_assessment


def user_or_none(actor: Any) -> Any:
    """The actor to store on a row: None for the operator's own command."""
    return actor if getattr(actor, "is_authenticated", False) else None


def load_assessment(assessment: Assessment, *, lock: bool = True) -> Assessment:
    """The assessment with what its policy, audit label and score need, locked for the change."""
    queryset = Assessment.objects.select_related("community__region", "standard")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=assessment.pk)
    except Assessment.DoesNotExist:
        raise NotFound(_("Self-assessment not found.")) from None


def check_edit(actor: Any, assessment: Assessment) -> None:
    """NotFound outside the actor's scope, PermissionDenied when they see but may not change
    it; an actor of None (the operator's own command) may."""
    if actor is None:
        return
    if not can_view_assessment(actor, assessment):
        raise NotFound(_("Self-assessment not found."))
    if not can_edit_assessment(actor, assessment):
        raise PermissionDenied(_("You may not change the self-assessment of this community."))


def check_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ApplicationError(
            _("Submitted assessments are locked: reopen this one to make a new revision."),
            {"status": assessment.status},
        )


def clean_awarded_points(value: Any, maximum: Decimal) -> Decimal:
    """Points awarded to a criterion (self-assessment or reviewer): 0 to `maximum` in steps
    of 0.5, else an ApplicationError on the field "points"."""
    try:
        if isinstance(value, bool | float):
            raise InvalidOperation
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not valid_points(number, maximum):
        raise ApplicationError(
            _("Award 0 to %(max)s points, in steps of 0.5.") % {"max": f"{maximum.normalize():f}"},
            {"field": "points"},
        )
    return number.quantize(Decimal("0.1"))
