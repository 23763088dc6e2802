"""The reviewer's own score (评分) at a step that asks for one: per criterion, validated like the
self-assessment's answers (met / not met, or 0 to the criterion's points in steps of 0.5),
independent of the community's score; `selectors.side_by_side` shows both."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.assessments.services.checks import clean_awarded_points
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.standards.models import Criterion, ScoringMode

from ..models import Application, ApplicationStatus, ReviewerAnswer
from ..policies import can_decide_step
from .common import check_view, load_application, record

MAX_NOTES = 4000


def _clean_score(
    mode: str, criterion: Criterion, met: Any, points: Any
) -> tuple[bool | None, Decimal | None]:
    """(met, points) as the self-assessment stores them: met mode takes `met`; points mode
    takes `points`, else full or no points for `met`."""
    if met is not None and not isinstance(met, bool):
        raise ApplicationError(_("Choose met or not met."), {"field": "met"})
    if mode == ScoringMode.MET:
        if points not in (None, ""):
            raise ApplicationError(
                _("This standard is scored met or not met, not by points."), {"field": "points"}
            )
        return met, None
    maximum = criterion.points or Decimal(0)
    if points not in (None, ""):
        awarded: Decimal | None = clean_awarded_points(points, maximum)
    elif met is not None:
        awarded = maximum if met else Decimal(0)
    else:
        awarded = None
    return (None if awarded is None else awarded >= maximum), awarded


@transaction.atomic
def reviewer_answer_set(
    *,
    actor: Any,
    application: Application,
    criterion_id: int,
    met: bool | None = None,
    points: Decimal | str | int | None = None,
    notes: str = "",
) -> ReviewerAnswer:
    """The reviewer's own answer to one criterion at the scoring step the application waits
    at, validated like the self-assessment's (what is not given is cleared)."""
    current = load_application(application, lock=True)
    check_view(actor, current)
    step = current.current_step
    if current.status != ApplicationStatus.IN_REVIEW or step is None or not step.scoring:
        raise ApplicationError(_("The application waits at no step that scores it."))
    if actor is not None and not can_decide_step(actor, step, current.community.region.code):
        raise PermissionDenied(
            _("The step “%(step)s” is not yours to decide.") % {"step": step.name}
        )
    standard = current.assessment.standard
    try:
        criterion = Criterion.objects.get(pk=criterion_id, standard_id=standard.pk)
    except (Criterion.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This criterion is not part of the assessment's standard.")) from None
    clean_met, clean_points = _clean_score(standard.scoring_mode, criterion, met, points)
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise ApplicationError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": MAX_NOTES, "length": len(notes)},
            {"field": "notes"},
        )
    previous = ReviewerAnswer.objects.filter(
        application=current, step=step, criterion=criterion
    ).first()
    before = (
        {"met": previous.met, "points": previous.points, "notes": previous.notes}
        if previous
        else None
    )
    answer, _created = ReviewerAnswer.objects.update_or_create(
        application=current, step=step, criterion=criterion,
        defaults={"met": clean_met, "points": clean_points, "notes": notes,
                  "scored_by": actor if getattr(actor, "is_authenticated", False) else None},
    )  # fmt: skip
    after = {"met": clean_met, "points": clean_points, "notes": notes}
    if before != after:
        record(
            actor, "score", current,
            summary=_("Criterion %(number)d") % {"number": criterion.number},
            before=before and {"criterion": criterion.number, **before},
            after={"criterion": criterion.number, "step": step.key, **after},
        )  # fmt: skip
    return answer
