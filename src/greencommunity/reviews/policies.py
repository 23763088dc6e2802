"""Who may see, make and decide applications (申报).

- Everyone holding a role over the community sees its applications: the committee, its street
  office, departments, experts, housing departments and administrators above it.
- The community committee makes, fills in, submits and withdraws them; it changes one only while
  it is a draft or returned for revision.
- A step is decided by a holder of the step's role on the region of the step's level above the
  community (its street office, its county's housing department, ...) or by an administrator
  of that same region. A role held higher up does not take a lower step: the province's
  housing department does not recommend for a street. Where the community's code skips the
  step's level (a city without counties: 441900003001), the nearest level above decides.
- Joint opinions (联合审查) are given by departments over the community at the step's level or
  above (their own department only) and by the housing departments there (for any department
  the step lists, e.g. as agreed at a joint meeting).
"""

from typing import Any

from django.db.models import Q, QuerySet

from greencommunity.access.grants import Grant, covers, grants, scope_q, subtree_q
from greencommunity.access.roles import Role
from greencommunity.regions.codes import LEVEL_ORDER, PREFIX_LENGTH, Level, level_fits_code
from greencommunity.regions.models import Community

from .models import Application, ApplicationStatus, ReviewStep, StepKind

APPLICANTS = [Role.COMMUNITY]
JOINT_OPINION_ROLES = {Role.HOUSING, Role.DEPARTMENT}
EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}
WITHDRAWABLE = {ApplicationStatus.DRAFT, ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED}
STEP_LEVELS = LEVEL_ORDER[: LEVEL_ORDER.index(Level.STREET) + 1]


def _code(application: Application) -> str:
    return application.community.region.code


def decider_region(level: str, community_code: str) -> tuple[str, Level]:
    """The code and level of the region whose officials decide a step of `level` for the
    community with `community_code`: that level's ancestor, or, where the code skips the level,
    the nearest existing level above it."""
    index = LEVEL_ORDER.index(Level(level))
    for candidate_level in reversed(LEVEL_ORDER[: index + 1]):
        candidate = community_code[: PREFIX_LENGTH[candidate_level]].ljust(12, "0")
        if level_fits_code(candidate, candidate_level):
            return candidate, candidate_level
    return community_code[:2].ljust(12, "0"), Level.PROVINCE


def decider_roles(step: ReviewStep) -> set[str]:
    return {step.role, Role.ADMIN}


def can_decide_step(actor: Any, step: ReviewStep, community_code: str) -> bool:
    """Whether the actor takes `step` for the community: the step's role (or administrator) on
    exactly the deciding region."""
    code, level = decider_region(step.level, community_code)
    roles = decider_roles(step)
    return any(g.code == code and g.level == level and g.role in roles for g in grants(actor))


def scope_applications(actor: Any, queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.filter(scope_q(actor, "community__region__code"))


def can_view_application(actor: Any, application: Application) -> bool:
    return covers(actor, _code(application))


def can_view_applications_of(actor: Any, community: Community) -> bool:
    return covers(actor, community.region.code)


def can_create_application(actor: Any, community: Community) -> bool:
    return covers(actor, community.region.code, roles=APPLICANTS)


def can_edit_application(actor: Any, application: Application) -> bool:
    """Fill in the 审批表, add or remove attachments, submit: the community while the
    application is a draft or back with it."""
    return application.status in EDITABLE and covers(actor, _code(application), roles=APPLICANTS)


def can_withdraw_application(actor: Any, application: Application) -> bool:
    return application.status in WITHDRAWABLE and covers(
        actor, _code(application), roles=APPLICANTS
    )


def can_decide_application(actor: Any, application: Application) -> bool:
    """Approve, return or reject the review step the application waits at (sampling, notice
    and naming are decided in batches, not here)."""
    step = application.current_step
    return (
        application.status == ApplicationStatus.IN_REVIEW
        and step is not None
        and step.kind == StepKind.REVIEW
        and can_decide_step(actor, step, _code(application))
    )


def can_score_application(actor: Any, application: Application) -> bool:
    """The reviewer's own score against the standard, at a step that asks for one."""
    step = application.current_step
    return step is not None and step.scoring and can_decide_application(actor, application)


def _same_department(held: str, named: str) -> bool:
    """ "民政局" held gives opinions as "市民政局" (and the other way round)."""
    held, named = held.strip(), named.strip()
    return bool(held) and (named.endswith(held) or held.endswith(named))


def _joint_grant(g: Grant, code: str, step: ReviewStep, department: str) -> bool:
    if g.role not in JOINT_OPINION_ROLES or not code.startswith(g.prefix):
        return False
    if len(g.prefix) > PREFIX_LENGTH[Level(step.level)]:
        return False
    return g.role == Role.HOUSING or _same_department(g.department, department)


def can_add_joint_opinion(
    actor: Any, application: Application, step: ReviewStep, department: str
) -> bool:
    code = _code(application)
    return any(_joint_grant(g, code, step, department) for g in grants(actor))


def decidable_q(actor: Any, prefix: str = "") -> Q:
    """Applications whose current step the actor decides, by the same rule as
    `can_decide_step`, as a filter (`prefix` leads to the application, e.g. "application__")."""
    step, code = f"{prefix}current_step__", f"{prefix}community__region__code"
    q = Q(pk__in=[])
    for g in grants(actor):
        if Level(g.level) not in STEP_LEVELS:
            continue
        role_q = Q() if g.role == Role.ADMIN else Q(**{f"{step}role": g.role})
        # Steps of the grant's level, and of lower levels the community's code skips.
        for level in STEP_LEVELS[STEP_LEVELS.index(Level(g.level)) :]:
            padded = g.prefix + "0" * (PREFIX_LENGTH[level] - len(g.prefix))
            q |= role_q & Q(**{f"{step}level": level}) & subtree_q(code, padded)
    return q
