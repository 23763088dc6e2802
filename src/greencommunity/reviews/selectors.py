"""Reads of applications: access by id within the actor's scope, lists, the inbox of what waits
for the actor, who decides a step, the reviewer's score beside the self-score, and whether an
application locks the self-assessment it was made from."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.access.grants import scope_q
from greencommunity.access.roles import Role
from greencommunity.assessments.models import Assessment, AssessmentAnswer
from greencommunity.core.errors import NotFound
from greencommunity.standards.scoring import Answer, Score, score
from greencommunity.standards.selectors import standard_spec

from .models import (
    Application,
    ApplicationStatus,
    JointOpinion,
    ReviewerAnswer,
    ReviewStep,
    StepKind,
    Verdict,
)
from .policies import decidable_q, decider_region, decider_roles, scope_applications

INBOX_LIMIT = 200
RELATED = ("community__region", "assessment__standard", "chain", "current_step", "returned_from")


def access_application(actor: Any, application_id: Any) -> Application:
    """The application, or NotFound when it is missing or outside the actor's scope."""
    queryset = scope_applications(actor, Application.objects.select_related(*RELATED))
    try:
        return queryset.get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Application not found.")) from None


def application_list(
    *,
    actor: Any,
    status: str | None = None,
    title_kind: str | None = None,
    community_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Application]:
    """The applications the actor may see, newest first."""
    queryset = scope_applications(actor, Application.objects.select_related(*RELATED))
    if status:
        queryset = queryset.filter(status=status)
    if title_kind:
        queryset = queryset.filter(title_kind=title_kind)
    if community_id is not None:
        queryset = queryset.filter(community_id=community_id)
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "-pk")


# ---------------------------------------------------------------------------- inbox


@dataclass(frozen=True)
class InboxItem:
    application: Application
    action: str  # "decide": the actor decides its step; "revise": returned to the community
    step: ReviewStep | None  # the step waiting (decide) or the step that returned it (revise)
    due_on: date | None
    overdue: bool


def inbox(actor: Any, *, today: date | None = None, limit: int = INBOX_LIMIT) -> list[InboxItem]:
    """What waits for the actor, in two queries: the applications in review at a step the
    actor decides (oldest due first, review steps only: batches have their own pages), then,
    for a community committee, its applications returned for revision."""
    today = today or timezone.localdate()
    waiting = (
        Application.objects.filter(
            decidable_q(actor),
            status=ApplicationStatus.IN_REVIEW,
            current_step__kind=StepKind.REVIEW,
        )
        .select_related(*RELATED)
        .order_by(F("due_on").asc(nulls_last=True), "step_entered_at", "pk")[:limit]
    )
    items = [
        InboxItem(
            application=a,
            action="decide",
            step=a.current_step,
            due_on=a.due_on,
            overdue=a.due_on is not None and a.due_on < today,
        )
        for a in waiting
    ]
    returned = (
        scope_applications(actor, Application.objects.select_related(*RELATED))
        .filter(_committee_q(actor), status=ApplicationStatus.RETURNED)
        .order_by("step_entered_at", "pk")[:limit]
    )
    items += [
        InboxItem(application=a, action="revise", step=a.returned_from, due_on=None, overdue=False)
        for a in returned
    ]
    return items


def _committee_q(actor: Any) -> Q:
    return scope_q(actor, "community__region__code", roles=[Role.COMMUNITY])


# ---------------------------------------------------------------------------- people


def step_deciders(step: ReviewStep, community_code: str) -> QuerySet[Any]:
    """The active users who decide `step` for the community (as `policies.can_decide_step`)."""
    code, level = decider_region(step.level, community_code)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__region__code=code,
            roles__region__level=level,
            roles__role__in=sorted(decider_roles(step)),
        )
        .distinct()
        .order_by("username")
    )


def community_members(application: Application) -> QuerySet[Any]:
    """The active users of the community committee."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__region_id=application.community_id,
            roles__role=Role.COMMUNITY,
        )
        .distinct()
        .order_by("username")
    )


# ---------------------------------------------------------------------------- locks, opinions


def assessment_is_locked_by_application(assessment: Assessment) -> bool:
    """Whether an application made from this self-assessment has had a step approved and is
    in review or named: the assessment may then not be reopened. A returned application
    releases it (the community may revise its self-assessment; resubmitting the application
    takes the latest submitted revision), and so do rejected and withdrawn ones."""
    return Application.objects.filter(
        assessment_id=assessment.pk,
        decisions__verdict=Verdict.APPROVE,
        status__in=[ApplicationStatus.IN_REVIEW, ApplicationStatus.NAMED],
    ).exists()


def assessment_lock_reason(assessment: Assessment) -> str | None:
    """Why the self-assessment may not be reopened (None: it may), for the reopen service."""
    if not assessment_is_locked_by_application(assessment):
        return None
    return _(
        "An application made from this self-assessment has been approved at a step: it cannot "
        "be reopened while the application is under way or named."
    )


def joint_departments(step: ReviewStep) -> list[str]:
    """The departments whose joint opinion the step asks for, in the order listed."""
    seen: list[str] = []
    for line in step.joint_departments.splitlines():
        name = line.strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def missing_joint_opinions(application: Application, step: ReviewStep) -> list[str]:
    asked = joint_departments(step)
    if not asked:
        return []
    given = set(
        JointOpinion.objects.filter(application=application, step=step).values_list(
            "department", flat=True
        )
    )
    return [d for d in asked if d not in given]


# ---------------------------------------------------------------------------- side by side


@dataclass(frozen=True)
class CriterionRow:
    criterion_id: int
    number: int
    text: str
    points: Decimal | None  # the criterion's points (None in met mode)
    self_met: bool | None
    self_points: Decimal | None
    reviewer_met: bool | None
    reviewer_points: Decimal | None
    reviewer_notes: str
    differs: bool  # the reviewer answered differently from the community


@dataclass(frozen=True)
class SideBySide:
    rows: list[CriterionRow]
    self_score: Score
    reviewer_score: Score
    reviewed: int  # criteria the reviewer answered


def side_by_side(application: Application, step: ReviewStep) -> SideBySide:
    """Per criterion the community's answer and the reviewer's at `step`, and both scores by
    the standard's scoring engine (three queries)."""
    standard = application.assessment.standard
    spec = standard_spec(standard)
    own = {
        a.criterion_id: a
        for a in AssessmentAnswer.objects.filter(
            assessment_id=application.assessment_id
        ).select_related("criterion")
    }
    theirs = {
        r.criterion_id: r for r in ReviewerAnswer.objects.filter(application=application, step=step)
    }
    rows = []
    for c in spec.criteria:
        mine, reviewer = own.get(c.id), theirs.get(c.id)
        self_answer = (mine.met, mine.points) if mine else (None, None)
        reviewer_answer = (reviewer.met, reviewer.points) if reviewer else (None, None)
        rows.append(
            CriterionRow(
                criterion_id=c.id, number=c.number,
                text=mine.criterion.text if mine else "", points=c.points,
                self_met=self_answer[0], self_points=self_answer[1],
                reviewer_met=reviewer_answer[0], reviewer_points=reviewer_answer[1],
                reviewer_notes=reviewer.notes if reviewer else "",
                differs=reviewer is not None and reviewer_answer != self_answer,
            )
        )  # fmt: skip
    return SideBySide(
        rows=rows,
        self_score=score(spec, {k: Answer(met=a.met, points=a.points) for k, a in own.items()}),
        reviewer_score=score(
            spec, {k: Answer(met=r.met, points=r.points) for k, r in theirs.items()}
        ),
        reviewed=sum(1 for r in theirs.values() if r.met is not None or r.points is not None),
    )
