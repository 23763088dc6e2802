"""Reads shaped for the application pages, always through the actor's scope: the list with its
step filter, what a community may apply with, an application's page (the chain as a timeline,
decisions, joint opinions, attachments, the demonstration quota), attachments and seals by id,
the community's side of the reviewer's score, and the inbox count for the navigation."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.access.grants import grants, scope_q
from greencommunity.access.roles import Role
from greencommunity.assessments.models import Assessment, AssessmentAnswer, AssessmentStatus
from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.regions.codes import Level
from greencommunity.standards.models import Criterion

from .models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Decision,
    JointOpinion,
    ReviewerAnswer,
    ReviewStep,
    StepKind,
    TitleKind,
    Verdict,
)
from .policies import EDITABLE, STEP_LEVELS, decidable_q
from .selectors import application_list, joint_departments, missing_joint_opinions
from .selectors_quota import Quota, city_of, demonstration_quota

CANDIDATE_LIMIT = 20


def application_page_list(
    *,
    actor: Any,
    status: str | None = None,
    title_kind: str | None = None,
    year: int | None = None,
    step_key: str | None = None,
) -> QuerySet[Application]:
    """`application_list`, also filtered by the key of the step the applications wait at."""
    queryset = application_list(actor=actor, status=status, title_kind=title_kind, year=year)
    if step_key:
        queryset = queryset.filter(current_step__key=step_key)
    return queryset


def step_choices() -> list[tuple[str, str]]:
    """The step keys of every chain, in chain order, each with its names ("county": 县级初审 /
    县级审核)."""
    names: dict[str, list[str]] = {}
    for key, name in ReviewStep.objects.order_by("position", "key").values_list("key", "name"):
        listed = names.setdefault(key, [])
        if name not in listed:
            listed.append(name)
    return [(key, " / ".join(found)) for key, found in names.items()]


def apply_candidates(actor: Any) -> list[Assessment]:
    """The self-assessments the actor's committee may apply with: submitted, passing, the latest
    revision, of the communities where the actor is the committee, and no open application
    made from them yet."""
    newer = Assessment.objects.filter(
        community_id=OuterRef("community_id"), standard_id=OuterRef("standard_id"),
        year=OuterRef("year"), revision__gt=OuterRef("revision"),
    )  # fmt: skip
    open_application = Application.objects.filter(
        assessment_id=OuterRef("pk"), status__in=list(EDITABLE | {ApplicationStatus.IN_REVIEW})
    )
    queryset = (
        Assessment.objects.filter(
            scope_q(actor, "community__region__code", roles=[Role.COMMUNITY]),
            status=AssessmentStatus.SUBMITTED,
            passed=True,
        )
        .filter(~Exists(newer), ~Exists(open_application))
        .select_related("community__region", "standard")
        .order_by("-year", "community__region__code", "-revision")
    )
    return list(queryset[:CANDIDATE_LIMIT])


# ---------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class TimelineStep:
    step: ReviewStep
    state: str  # done, current, returned, rejected, upcoming
    decision: Decision | None  # the step's latest decision
    due_on: date | None  # the current step only
    overdue: bool


@dataclass(frozen=True)
class ApplicationPage:
    timeline: list[TimelineStep]
    decisions: list[Decision]
    joint_opinions: list[JointOpinion]
    attachments: list[ApplicationAttachment]
    asked_departments: list[str]  # the joint opinions the current step asks for
    missing_departments: list[str]  # ... and does not have yet
    quota: Quota | None  # the city's demonstration quota, for a demonstration application
    scoring_step: ReviewStep | None  # the step whose reviewer's score the page links to


def _state(application: Application, step: ReviewStep, last: dict[int, Decision]) -> str:
    status, current = application.status, application.current_step
    if status == ApplicationStatus.NAMED:
        return "done"
    marker: tuple[ReviewStep | None, str] = (None, "")
    if current is not None:
        marker = (current, "current")
    elif status == ApplicationStatus.RETURNED:
        marker = (application.returned_from, "returned")
    elif status == ApplicationStatus.REJECTED:
        rejected = [d for d in last.values() if d.verdict == Verdict.REJECT]
        marker = (max(rejected, key=lambda d: d.pk).step if rejected else None, "rejected")
    at, label = marker
    if at is not None:
        if step.pk == at.pk:
            return label
        return "done" if step.position < at.position else "upcoming"
    decided = last.get(step.pk)
    return "done" if decided is not None and decided.verdict == Verdict.APPROVE else "upcoming"


def _quota(application: Application) -> Quota | None:
    if application.title_kind != TitleKind.DEMONSTRATION:
        return None
    try:
        return demonstration_quota(city_of(application.community))
    except ApplicationError:  # the city is missing from the tree
        return None


def scoring_step(application: Application) -> ReviewStep | None:
    """The step the reviewer's score page shows: the current one when it scores, else the
    latest step a reviewer scored the application at (None: none)."""
    current = application.current_step
    if current is not None and current.scoring:
        return current
    scored = (
        ReviewerAnswer.objects.filter(application=application)
        .select_related("step")
        .order_by("-step__position")
        .first()
    )
    return scored.step if scored is not None else None


def application_page(application: Application, *, today: date | None = None) -> ApplicationPage:
    """What the application's page shows besides the application itself."""
    today = today or timezone.localdate()
    steps = list(ReviewStep.objects.filter(chain_id=application.chain_id).order_by("position"))
    decisions = list(
        Decision.objects.filter(application=application)
        .select_related("step", "actor")
        .order_by("created_at", "pk")
    )
    last = {d.step_id: d for d in decisions}
    current = application.current_step
    timeline = []
    for step in steps:
        is_current = current is not None and step.pk == current.pk
        due = application.due_on if is_current else None
        timeline.append(
            TimelineStep(
                step=step, state=_state(application, step, last), decision=last.get(step.pk),
                due_on=due, overdue=due is not None and due < today,
            )
        )  # fmt: skip
    asked = joint_departments(current) if current is not None else []
    return ApplicationPage(
        timeline=timeline,
        decisions=decisions,
        joint_opinions=list(
            JointOpinion.objects.filter(application=application)
            .select_related("step", "actor")
            .order_by("step__position", "department")
        ),
        attachments=list(application.attachments.order_by("uploaded_at", "pk")),
        asked_departments=asked,
        missing_departments=missing_joint_opinions(application, current) if asked and current
        else [],
        quota=_quota(application),
        scoring_step=scoring_step(application),
    )  # fmt: skip


# ---------------------------------------------------------------------------- files by id


def access_attachment(actor: Any, attachment_id: Any) -> ApplicationAttachment:
    """The attachment, or NotFound when missing or its application is outside the scope."""
    queryset = ApplicationAttachment.objects.select_related("application__community__region")
    try:
        return queryset.filter(scope_q(actor, "application__community__region__code")).get(
            pk=attachment_id
        )
    except (ApplicationAttachment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Attachment not found.")) from None


def access_decision(actor: Any, decision_id: Any) -> Decision:
    """The decision (for its seal image), or NotFound outside the actor's scope."""
    queryset = Decision.objects.select_related("application__community__region")
    try:
        return queryset.filter(scope_q(actor, "application__community__region__code")).get(
            pk=decision_id
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Decision not found.")) from None


# ---------------------------------------------------------------------------- the score page


@dataclass(frozen=True)
class SelfFacts:
    text: str
    notes: str
    evidence: int  # files attached to the community's answer


def self_facts(application: Application) -> dict[int, SelfFacts]:
    """Per criterion of the standard: its text, the community's notes and how many evidence
    files it attached (two queries)."""
    answers = {
        row["criterion_id"]: row
        for row in AssessmentAnswer.objects.filter(assessment_id=application.assessment_id)
        .annotate(files=Count("evidence"))
        .values("criterion_id", "notes", "files")
    }
    texts = Criterion.objects.filter(standard_id=application.assessment.standard_id)
    return {
        pk: SelfFacts(
            text=text,
            notes=answers[pk]["notes"] if pk in answers else "",
            evidence=answers[pk]["files"] if pk in answers else 0,
        )
        for pk, text in texts.values_list("pk", "text")
    }


# ---------------------------------------------------------------------------- inbox


def inbox_count(actor: Any) -> int:
    """How many items `selectors.inbox` lists for the actor, counted: review steps the actor
    decides, and the committee's returned applications. A COUNT query only for what the
    actor's roles can hold (none for a reader who decides nothing)."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    held = grants(actor)  # cached on the user for the request
    total = 0
    if any(Level(g.level) in STEP_LEVELS for g in held):
        total += Application.objects.filter(
            decidable_q(actor),
            status=ApplicationStatus.IN_REVIEW,
            current_step__kind=StepKind.REVIEW,
        ).count()
    if any(g.role == Role.COMMUNITY for g in held):
        total += Application.objects.filter(
            scope_q(actor, "community__region__code", roles=[Role.COMMUNITY]),
            status=ApplicationStatus.RETURNED,
        ).count()
    return total
