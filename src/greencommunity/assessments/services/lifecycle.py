"""Starting, answering, submitting and reopening a self-assessment.

Every service checks the policy (an assessment outside the actor's scope is not found; one they
see but may not change is refused), runs in one transaction, locks the assessment it changes,
re-scores the draft and records one audit event "assessment.<verb>" on the assessment with the
community's code. An `actor` of None is the operator's own command (demo data, maintenance).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.models import Community
from greencommunity.standards.models import (
    Criterion,
    ScoringMode,
    Standard,
    StandardStatus,
)
from greencommunity.standards.scoring import suggest_points

from ..guards import reopen_refusal
from ..models import AnswerSource, Assessment, AssessmentAnswer, AssessmentStatus
from ..policies import can_start_assessment, can_view_assessments_of
from .checks import check_draft as _check_draft
from .checks import check_edit as _check_edit
from .checks import clean_awarded_points
from .checks import load_assessment as _load
from .checks import user_or_none as _user
from .evidence import evidence_copy
from .rescoring import assessment_rescore, deciding_rule_criteria

FIRST_YEAR = 2020  # 建城〔2020〕68号: the campaign starts in 2020
MAX_NOTES = 4000
ANSWER_AUDIT_FIELDS = ("met", "points", "ticked", "notes")


def _score_summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "revision": assessment.revision,
        "total": assessment.total,
        "maximum": assessment.maximum,
        "met_count": assessment.met_count,
        "passed": assessment.passed,
    }


# ---------------------------------------------------------------------------- start


@transaction.atomic
def assessment_start(
    *, actor: Any, community: Community, standard: Standard, year: int
) -> Assessment:
    """The draft of `community` against `standard` for `year`: the open one when it exists,
    else a new revision 1 with an empty answer per criterion (the numeric rules filled). When
    the year's assessment was submitted, a new revision comes only from `assessment_reopen`."""
    community = Community.objects.select_related("region").get(pk=community.pk)
    standard = Standard.objects.get(pk=standard.pk)  # its status as stored, not as passed
    if actor is not None:
        if not can_view_assessments_of(actor, community):
            raise NotFound(_("Community not found."))
        if not can_start_assessment(actor, community):
            raise PermissionDenied(_("You may not change the self-assessment of this community."))
    if standard.status != StandardStatus.PUBLISHED:
        raise ApplicationError(_("Only a published standard can be used for a self-assessment."))
    this_year = date.today().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise ApplicationError(
            _("Enter a year from %(low)d to %(high)d.") % {"low": FIRST_YEAR, "high": this_year},
            {"field": "year"},
        )
    if not community.is_urban:
        raise ApplicationError(
            _("Only urban communities (residents' committees) take part in the campaign.")
        )
    same = Assessment.objects.select_for_update().filter(
        community=community, standard=standard, year=year
    )
    latest = same.order_by("-revision").first()
    if latest is not None:
        if latest.status == AssessmentStatus.DRAFT:
            return _load(latest, lock=False)
        raise ApplicationError(
            _(
                "The self-assessment of %(year)d against this standard was submitted: reopen it "
                "to make a new revision."
            )
            % {"year": year},
            {"assessment": latest.pk},
        )
    try:
        with transaction.atomic():  # a concurrent start made the draft first (PostgreSQL)
            assessment = Assessment.objects.create(
                community=community, standard=standard, year=year, revision=1,
                created_by=_user(actor),
            )  # fmt: skip
    except IntegrityError:
        return _load(same.get(status=AssessmentStatus.DRAFT), lock=False)
    indicator_criteria = deciding_rule_criteria(standard)
    AssessmentAnswer.objects.bulk_create(
        [
            AssessmentAnswer(
                assessment=assessment,
                criterion_id=pk,
                source=AnswerSource.INDICATOR if pk in indicator_criteria else AnswerSource.SELF,
            )
            for pk in Criterion.objects.filter(standard=standard).values_list("pk", flat=True)
        ]
    )
    assessment = _load(assessment, lock=False)
    assessment_rescore(assessment=assessment)
    audit_record(
        actor=actor, verb="assessment.start", target=assessment,
        region_code=community.region.code, summary=f"{standard} · {year}",
        after={"standard": standard.pk, "year": year, **_score_summary(assessment)},
    )  # fmt: skip
    return assessment


# ---------------------------------------------------------------------------- answers


def _clean_ticked(value: Any, numbers: list[int]) -> list[int]:
    if not isinstance(value, list | tuple | set | frozenset):
        raise ApplicationError(_("Tick sub-conditions by their numbers."), {"field": "ticked"})
    ticked = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item not in numbers:
            raise ApplicationError(
                _("This criterion has no sub-condition %(number)s.") % {"number": item},
                {"field": "ticked"},
            )
        ticked.add(item)
    return sorted(ticked)


def _clean_answer(
    mode: str, criterion: Criterion, sub_numbers: list[int], met: Any, points: Any, ticked: Any
) -> tuple[bool | None, Decimal | None, list[int]]:
    """(met, points, ticked) to store. Met mode takes `met`; points mode takes `points`, else
    the points the ticked sub-conditions suggest, else full or no points for `met`; `met` is
    then whether the full points were awarded."""
    if met is not None and not isinstance(met, bool):
        raise ApplicationError(_("Choose met or not met."), {"field": "met"})
    clean_ticked = _clean_ticked(ticked, sub_numbers) if ticked is not None else []
    if mode == ScoringMode.MET:
        if points is not None:
            raise ApplicationError(
                _("This standard is scored met or not met, not by points."), {"field": "points"}
            )
        return met, None, clean_ticked
    maximum = criterion.points or Decimal(0)
    if points is not None and points != "":
        awarded: Decimal | None = clean_awarded_points(points, maximum)
    elif ticked is not None and sub_numbers:
        awarded = suggest_points(maximum, len(clean_ticked), len(sub_numbers))
    elif met is not None:
        awarded = maximum if met else Decimal(0)
    else:
        awarded = None
    return (None if awarded is None else awarded >= maximum), awarded, clean_ticked


@transaction.atomic
def answer_set(
    *,
    actor: Any,
    assessment: Assessment,
    criterion: Criterion,
    met: bool | None = None,
    points: Decimal | str | int | None = None,
    ticked: list[int] | None = None,
    notes: str = "",
) -> AssessmentAnswer:
    """Set the whole answer to one criterion of a draft (what is not given is cleared), then
    re-score the draft. A criterion decided by an indicator takes notes only."""
    assessment = _load(assessment)
    _check_edit(actor, assessment)
    _check_draft(assessment)
    if criterion.standard_id != assessment.standard_id:
        raise NotFound(_("This criterion is not part of the assessment's standard."))
    answer = AssessmentAnswer.objects.select_for_update().get(
        assessment=assessment, criterion=criterion
    )
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise ApplicationError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": MAX_NOTES, "length": len(notes)},
            {"field": "notes"},
        )
    before = {f: getattr(answer, f) for f in ANSWER_AUDIT_FIELDS}
    if answer.source == AnswerSource.INDICATOR:
        if met is not None or points not in (None, "") or ticked:
            raise ApplicationError(
                _(
                    "This criterion is decided by the community's indicator %(indicator)s of "
                    "%(year)d: enter the value in the community registry."
                )
                % {"indicator": criterion.indicator, "year": assessment.year},
                {"field": "met"},
            )
        answer.notes = notes
    else:
        sub_numbers = list(
            criterion.sub_conditions.order_by("number").values_list("number", flat=True)
        )
        answer.met, answer.points, answer.ticked = _clean_answer(
            assessment.standard.scoring_mode, criterion, sub_numbers, met, points, ticked
        )
        answer.notes = notes
    after = {f: getattr(answer, f) for f in ANSWER_AUDIT_FIELDS}
    if after == before:
        return answer
    answer.save(update_fields=list(ANSWER_AUDIT_FIELDS))
    assessment.save(update_fields=["updated_at"])
    assessment_rescore(assessment=assessment)
    answer.refresh_from_db(fields=["met", "points", "indicator_value"])
    audit_record(
        actor=actor, verb="assessment.answer", target=assessment,
        region_code=assessment.community.region.code,
        summary=_("Criterion %(number)d") % {"number": criterion.number},
        before={"criterion": criterion.number, **before},
        after={"criterion": criterion.number, **after, "total": assessment.total},
    )  # fmt: skip
    return answer


# ---------------------------------------------------------------------------- submit, reopen


@transaction.atomic
def assessment_submit(*, actor: Any, assessment: Assessment) -> Assessment:
    """Lock the draft once every criterion is answered (re-scored first, so the submitted
    score reads the indicators as they are now)."""
    assessment = _load(assessment)
    _check_edit(actor, assessment)
    _check_draft(assessment)
    assessment_rescore(assessment=assessment)
    open_numbers = list(
        AssessmentAnswer.objects.filter(
            assessment=assessment, met__isnull=True, points__isnull=True
        )
        .order_by("criterion__number")
        .values_list("criterion__number", flat=True)
    )
    if open_numbers:
        raise ApplicationError(
            _("Answer every criterion before submitting: %(numbers)s still open.")
            % {"numbers": ", ".join(str(n) for n in open_numbers)},
            {"criteria": open_numbers},
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = timezone.now(), _user(actor)
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_record(
        actor=actor, verb="assessment.submit", target=assessment,
        region_code=assessment.community.region.code,
        before={"status": AssessmentStatus.DRAFT},
        after={"status": assessment.status, **_score_summary(assessment)},
    )  # fmt: skip
    return assessment


@transaction.atomic
def assessment_reopen(*, actor: Any, assessment: Assessment) -> Assessment:
    """A new draft revision with the answers and evidence files of the submitted `assessment`
    (the latest revision; the files are shared, not copied), re-scored against today's
    indicators; the submitted one stays unchanged."""
    submitted = _load(assessment)
    _check_edit(actor, submitted)
    if submitted.status != AssessmentStatus.SUBMITTED:
        raise ApplicationError(_("Only a submitted self-assessment can be reopened."))
    refusal = reopen_refusal(submitted)
    if refusal:
        raise ApplicationError(refusal)
    latest = (
        Assessment.objects.select_for_update()
        .filter(community_id=submitted.community_id, standard_id=submitted.standard_id,
                year=submitted.year)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )  # fmt: skip
    if latest != submitted.revision:
        raise ApplicationError(
            _("Revision %(revision)d exists already: work on the latest revision.")
            % {"revision": latest},
            {"revision": latest},
        )
    draft = Assessment.objects.create(
        community_id=submitted.community_id, standard_id=submitted.standard_id,
        year=submitted.year, revision=submitted.revision + 1, created_by=_user(actor),
    )  # fmt: skip
    AssessmentAnswer.objects.bulk_create(
        [
            AssessmentAnswer(
                assessment=draft,
                criterion_id=a.criterion_id,
                met=a.met,
                points=a.points,
                ticked=a.ticked,
                notes=a.notes,
                source=a.source,
                indicator_value=a.indicator_value,
            )
            for a in submitted.answers.all()
        ]
    )
    evidence_copy(source=submitted, target=draft)
    draft = _load(draft, lock=False)
    assessment_rescore(assessment=draft)
    audit_record(
        actor=actor, verb="assessment.reopen", target=draft,
        region_code=draft.community.region.code,
        before={"revision": submitted.revision, "status": submitted.status},
        after={"revision": draft.revision, "status": draft.status, **_score_summary(draft)},
    )  # fmt: skip
    return draft
