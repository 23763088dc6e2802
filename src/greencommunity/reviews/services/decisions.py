"""Deciding the review steps of an application, one at a time: approve (on to the next step),
return for revision (back to the community; resubmitted, it re-enters here) or reject (closed;
a new application may follow). Also the joint opinions a step asks for.

Every transition is a conditional UPDATE on the application's version, step and status
(`application_move`), which works on SQLite and PostgreSQL alike: of two reviewers deciding the
same step at once exactly one applies, and the other is told to reload. The `Decision` row,
its seal and the audit event are written only after the update succeeded, in the same
transaction; the next step's deciders (or the community) are e-mailed after commit.
"""

import uuid
from datetime import date, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError, PermissionDenied

from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    JointOpinion,
    ReviewStep,
    StepKind,
    Verdict,
)
from ..policies import can_add_joint_opinion, can_decide_step
from ..selectors import joint_departments, missing_joint_opinions
from .attachments import seal_read, store
from .chains import next_step
from .common import check_view, load_application, notify_after_commit, record, stale, state

MAX_OPINION = 2000
MOVES_TO = {
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RETURNED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.NAMED,
}


@transaction.atomic
def application_move(
    *,
    application: Application,
    from_step: ReviewStep,
    expected_version: int,
    to_step: ReviewStep | None = None,
    status: str = ApplicationStatus.IN_REVIEW,
    returned_from: ReviewStep | None = None,
    notify: bool = True,
) -> Application:
    """Move an application that is in review at `from_step` with version `expected_version`:

    - status IN_REVIEW: on to `to_step` (a step of its chain, earlier or later), which it
      entered now and is due `to_step.due_days` days from today;
    - RETURNED: back to the community; resubmitted it re-enters at `returned_from` (default
      `from_step`);
    - REJECTED or NAMED: closed now.

    One conditional UPDATE (pk, version, current step, status in review) sets the new state and
    bumps the version; when it changes no row (someone else moved the application meanwhile)
    ApplicationError is raised and nothing was written. The in-memory `application` is updated
    and returned. Checks no policy and writes neither a `Decision` nor an audit event: the
    caller (`application_decide`, the sampling, notice and naming services) does both after this
    succeeded, inside the same transaction. With `notify`, e-mails after commit the new step's
    deciders (in review) or the community (returned, rejected, named).
    """
    if status not in MOVES_TO:
        raise ValueError(f"cannot move an application to {status!r}")
    if status == ApplicationStatus.IN_REVIEW and (
        to_step is None or to_step.chain_id != application.chain_id
    ):
        raise ValueError("moving in review needs a step of the application's chain")
    now = timezone.now()
    changes: dict[str, Any] = {"status": status, "version": expected_version + 1,
                               "step_entered_at": now}  # fmt: skip
    if status == ApplicationStatus.IN_REVIEW:
        assert to_step is not None
        changes.update(
            current_step=to_step,
            due_on=timezone.localdate() + timedelta(days=to_step.due_days),
        )
    elif status == ApplicationStatus.RETURNED:
        changes.update(current_step=None, due_on=None, returned_from=returned_from or from_step)
    else:
        changes.update(current_step=None, due_on=None, closed_at=now)
    updated = Application.objects.filter(
        pk=application.pk, version=expected_version, current_step=from_step,
        status=ApplicationStatus.IN_REVIEW,
    ).update(**changes, updated_at=now)  # fmt: skip
    if not updated:
        raise stale()
    for field, value in changes.items():
        setattr(application, field, value)
    if notify:
        notify_after_commit(application)
    return application


def _clean_decision(
    step: ReviewStep, verdict: str, opinion: str, decided_on: date | None
) -> tuple[str, date]:
    if verdict not in Verdict.values:
        raise ApplicationError(_("Choose approve, return or reject."), {"field": "verdict"})
    if verdict == Verdict.RETURN and not step.allow_return:
        raise ApplicationError(_("This step cannot return applications."), {"field": "verdict"})
    if verdict == Verdict.REJECT and not step.allow_reject:
        raise ApplicationError(_("This step cannot reject applications."), {"field": "verdict"})
    opinion = (opinion or "").replace("\r\n", "\n").strip()
    if verdict != Verdict.APPROVE and not opinion:
        raise ApplicationError(
            _("Give the reason for returning or rejecting the application."),
            {"field": "opinion"},
        )
    if len(opinion) > MAX_OPINION:
        raise ApplicationError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": MAX_OPINION, "length": len(opinion)},
            {"field": "opinion"},
        )
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise ApplicationError(_("The date cannot be in the future."), {"field": "decided_on"})
    return opinion, decided_on


def application_decide(
    *,
    actor: Any,
    application: Application,
    verdict: str,
    opinion: str,
    decided_on: date | None = None,
    seal: Any = None,
    expected_version: int | None = None,
) -> Decision:
    """Decide the review step `application` waits at, as the actor saw it: the step and
    version of the object passed. `expected_version` (the version the page showed, from the
    form) must be that version, else the page was stale; the transition applies only if the
    stored application is still at that step and version. Approving needs every joint opinion
    the step asks for; returning and rejecting need a reason. The seal is an optional image for
    the 审批表. Sampling, notice and naming steps are decided in batches by their own services.
    The caller's `application` shows the new state afterwards."""
    if expected_version is not None and expected_version != application.version:
        raise stale()  # the page showed an earlier state than the one loaded now
    step = application.current_step
    if application.status != ApplicationStatus.IN_REVIEW or step is None:
        raise ApplicationError(_("This application is not waiting for a decision."))
    if step.kind != StepKind.REVIEW:
        raise ApplicationError(
            _("The step “%(step)s” is decided for a whole batch, not one by one.")
            % {"step": step.name}
        )
    expected = application.version
    opinion, decided_on = _clean_decision(step, verdict, opinion, decided_on)
    seal_file = seal_read(seal) if seal is not None else None
    stored: list[str] = []
    try:
        with transaction.atomic():
            decision = _decide(actor, application, step, expected, verdict, opinion, decided_on)
            if seal_file is not None:
                stored.append(store(decision.seal, uuid.uuid4().hex, *seal_file))
            decision.save()
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    finally:
        if seal_file is not None:
            seal_file[0].close()
    return decision


SYNCED = ("status", "current_step", "returned_from", "due_on", "version", "step_entered_at",
          "closed_at")  # fmt: skip


def _decide(
    actor: Any,
    application: Application,
    step: ReviewStep,
    expected: int,
    verdict: str,
    opinion: str,
    decided_on: date,
) -> Decision:
    """The transition and the audit event; the Decision returned is saved by the caller."""
    current = load_application(application)
    check_view(actor, current)
    if actor is not None and not can_decide_step(actor, step, current.community.region.code):
        raise PermissionDenied(
            _("The step “%(step)s” is not yours to decide.") % {"step": step.name}
        )
    before = {**state(current), "version": expected, "current_step": step.pk}
    if verdict == Verdict.APPROVE:
        missing = missing_joint_opinions(current, step)
        if missing:
            raise ApplicationError(
                _("The joint opinions of %(departments)s are still missing.")
                % {"departments": "、".join(missing)},
                {"field": "verdict", "missing": missing},
            )
        following = next_step(step)
        if following is None:
            raise ApplicationError(
                _("The review chain ends at this step: ask the administrator to add naming.")
            )
        application_move(
            application=current, from_step=step, expected_version=expected, to_step=following
        )
    elif verdict == Verdict.RETURN:
        application_move(
            application=current, from_step=step, expected_version=expected,
            status=ApplicationStatus.RETURNED, returned_from=step,
        )  # fmt: skip
    else:
        application_move(
            application=current, from_step=step, expected_version=expected,
            status=ApplicationStatus.REJECTED,
        )  # fmt: skip
    decision = Decision(
        application=current, step=step, verdict=verdict, opinion=opinion,
        decided_on=decided_on, actor=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    for field in SYNCED:  # the caller's object shows the new state too
        setattr(application, field, getattr(current, field))
    record(
        actor, str(verdict), current, summary=f"{step.name}: {opinion}"[:300],
        before=before, after={**state(current), "opinion": opinion, "decided_on": decided_on},
    )  # fmt: skip
    return decision


# ---------------------------------------------------------------------------- joint opinions


@transaction.atomic
def joint_opinion_add(
    *, actor: Any, application: Application, department: str, agrees: bool, opinion: str
) -> JointOpinion:
    """Record (or replace) a department's joint opinion on the step the application waits at,
    when that step asks for it."""
    current = load_application(application, lock=True)
    check_view(actor, current)
    step = current.current_step
    department = (department or "").strip()
    if current.status != ApplicationStatus.IN_REVIEW or step is None:
        raise ApplicationError(_("This application is not waiting for a decision."))
    if department not in joint_departments(step):
        raise ApplicationError(
            _("The step “%(step)s” asks no joint opinion of %(department)s.")
            % {"step": step.name, "department": department or "—"},
            {"field": "department"},
        )
    if actor is not None and not can_add_joint_opinion(actor, current, step, department):
        raise PermissionDenied(
            _("You may not give the opinion of %(department)s.") % {"department": department}
        )
    if not isinstance(agrees, bool):
        raise ApplicationError(_("Choose agree or disagree."), {"field": "agrees"})
    opinion = (opinion or "").strip()
    if not opinion or len(opinion) > MAX_OPINION:
        raise ApplicationError(
            _("Write the opinion (at most %(max)d characters).") % {"max": MAX_OPINION},
            {"field": "opinion"},
        )
    previous = JointOpinion.objects.filter(
        application=current, step=step, department=department
    ).first()
    before = {"agrees": previous.agrees, "opinion": previous.opinion} if previous else None
    joint, _created = JointOpinion.objects.update_or_create(
        application=current, step=step, department=department,
        defaults={"agrees": agrees, "opinion": opinion,
                  "actor": actor if getattr(actor, "is_authenticated", False) else None},
    )  # fmt: skip
    record(
        actor, "joint_opinion", current, summary=f"{department}: {opinion}"[:300],
        before=before, after={"step": step.key, "department": department, "agrees": agrees,
                              "opinion": opinion},
    )  # fmt: skip
    return joint
