"""公示: a batch of candidates on a public page for a period, and closing it.

- `notice_create`: the housing department (or administrator) of the region that takes the
  notice step publishes the applications waiting there; the period ends `period_days` working
  days (weekends and `Holiday` rows skipped, make-up working days counted) or calendar days
  from `starts_on` (today or later). An application is on one open notice at a time.
- `notice_close`: after the period, the applications still on notice move on to naming with an
  approving decision at the notice step ("公示期满，无异议。", or the number of objections
  dismissed); an open objection blocks closing. The naming step's deciders are the officials
  closing the notice: they are not e-mailed about each application.

Objections (`objections.py`) are sent by the public while the notice runs and resolved by its
deciders.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.models import Region

from .. import calendar
from ..models import (
    Application,
    ApplicationStatus,
    DayBasis,
    Decision,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
    StepKind,
    Verdict,
)
from ..models.notices import DEFAULT_NOTICE_DAYS
from ..policies import decider_region
from ..policies_batches import can_close_notice, can_create_notice, can_view_batches_of
from ..selectors import access_application
from ..selectors_batches import day_calendar, open_objections
from .batches import clean_text, community_names, move_or_refuse, refuse_undecidable
from .chains import next_step
from .common import load_application, user_or_none

MAX_PERIOD_DAYS = 60
# The approving opinion at the notice step (Chinese: it is the 审批表's language).
NO_OBJECTION = "公示期满，无异议。"
DISMISSED_OBJECTIONS = "公示期满，收到异议{count}件，经核查不成立。"


def under_notice(application: Application, region_code: str) -> bool:
    step = application.current_step
    return (
        application.status == ApplicationStatus.IN_REVIEW
        and step is not None
        and step.kind == StepKind.NOTICE
        and decider_region(step.level, application.community.region.code)[0] == region_code
    )


@transaction.atomic
def notice_create(
    *,
    actor: Any,
    region: Region,
    heading: str,
    body: str,
    application_ids: list[int],
    starts_on: date,
    period_days: int = DEFAULT_NOTICE_DAYS,
    day_basis: str = DayBasis.WORKING,
) -> PublicNotice:
    """Publish the applications waiting at `region`'s notice step for the period."""
    if actor is not None:
        if not can_view_batches_of(actor, region):
            raise NotFound(_("Region not found."))
        if not can_create_notice(actor, region):
            raise PermissionDenied(_("The public notices of %(region)s are not yours.")
                                   % {"region": region.name})  # fmt: skip
    heading = clean_text(heading, "heading", required=_("Write the heading."), max_length=200)
    body = clean_text(body, "body", max_length=20000)
    if day_basis not in DayBasis.values:
        raise ApplicationError(_("Choose working days or calendar days."), {"field": "day_basis"})
    if not isinstance(period_days, int) or not 1 <= period_days <= MAX_PERIOD_DAYS:
        raise ApplicationError(
            _("The period is 1 to %(max)d days.") % {"max": MAX_PERIOD_DAYS},
            {"field": "period_days"},
        )
    if starts_on < timezone.localdate():
        raise ApplicationError(_("The notice cannot start in the past."), {"field": "starts_on"})
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise ApplicationError(_("Choose the applications to publish."), {"field": "applications"})
    applications = [
        access_application(actor, pk) if actor is not None else load_application(pk) for pk in ids
    ]
    wrong = [a for a in applications if not under_notice(a, region.code)]
    if wrong:
        raise ApplicationError(
            _("The applications of %(communities)s do not wait for a public notice of "
              "%(region)s.") % {"communities": community_names(wrong), "region": region.name},
            {"field": "applications"},
        )  # fmt: skip
    refuse_undecidable(actor, applications)
    listed = list(
        NoticeEntry.objects.filter(
            application__in=applications, notice__status=NoticeStatus.OPEN
        ).select_related("application__community__region")
    )
    if listed:
        raise ApplicationError(
            _("%(communities)s are already on an open public notice.")
            % {"communities": community_names([e.application for e in listed])},
            {"field": "applications"},
        )
    holidays, workdays = day_calendar(starts_on)
    ends_on = calendar.period_end(
        starts_on, period_days, working=day_basis == DayBasis.WORKING, holidays=holidays,
        workdays=workdays,
    )  # fmt: skip
    notice = PublicNotice.objects.create(
        region=region, heading=heading, body=body, day_basis=day_basis, period_days=period_days,
        starts_on=starts_on, ends_on=ends_on, created_by=user_or_none(actor),
    )  # fmt: skip
    NoticeEntry.objects.bulk_create(
        [NoticeEntry(notice=notice, application=a) for a in applications]
    )
    audit_record(
        actor=actor, verb="notice.create", target=notice, region_code=region.code,
        summary=_("%(count)d candidates on notice from %(start)s to %(end)s.")
        % {"count": len(applications), "start": starts_on, "end": ends_on},
        after={"heading": heading, "starts_on": starts_on, "ends_on": ends_on,
               "period_days": period_days, "day_basis": day_basis, "applications": ids},
    )  # fmt: skip
    return notice


@transaction.atomic
def notice_close(*, actor: Any, notice: PublicNotice) -> PublicNotice:
    """Close a notice whose period is over: its applications still on notice move on to the
    naming step. Refused while any of them has an open objection."""
    try:
        current = (
            PublicNotice.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=notice.pk)
        )
    except PublicNotice.DoesNotExist:
        raise NotFound(_("Public notice not found.")) from None
    if actor is not None:
        if not can_view_batches_of(actor, current.region):
            raise NotFound(_("Public notice not found."))
        if not can_close_notice(actor, current):
            raise PermissionDenied(_("The public notices of %(region)s are not yours.")
                                   % {"region": current.region.name})  # fmt: skip
    if current.status != NoticeStatus.OPEN:
        raise ApplicationError(_("This notice is closed already."), {"reason": "stale"})
    today = timezone.localdate()
    if today <= current.ends_on:
        raise ApplicationError(
            _("The notice runs until %(end)s: it can be closed from the day after.")
            % {"end": current.ends_on.isoformat()}
        )
    entries = NoticeEntry.objects.filter(notice=current).values_list("application_id", flat=True)
    applications = [load_application(pk, lock=True) for pk in entries]
    on_notice = [a for a in applications if under_notice(a, current.region.code)]
    blocking = list(open_objections(a.pk for a in on_notice))
    if blocking:
        raise ApplicationError(
            _("Resolve the open objections first: %(objections)s.")
            % {"objections": "、".join(
                f"{o.application.community.region.name} #{o.pk}" for o in blocking)},
            {"objections": [o.pk for o in blocking]},
        )  # fmt: skip
    refuse_undecidable(actor, on_notice)
    dismissed: dict[int, int] = {}
    for application_id in Objection.objects.filter(
        notice=current, status=ObjectionStatus.DISMISSED
    ).values_list("application_id", flat=True):
        dismissed[application_id] = dismissed.get(application_id, 0) + 1
    decisions = []
    for application in on_notice:
        step = application.current_step
        assert step is not None
        following = next_step(step)
        if following is None:
            raise ApplicationError(
                _("The review chain ends at this step: ask the administrator to add naming.")
            )
        move_or_refuse(application, from_step=step, to_step=following, notify=False)
        count = dismissed.get(application.pk, 0)
        opinion = DISMISSED_OBJECTIONS.format(count=count) if count else NO_OBJECTION
        decisions.append(
            Decision(
                application=application,
                step=step,
                verdict=Verdict.APPROVE,
                opinion=opinion,
                decided_on=today,
                actor=user_or_none(actor),
            )
        )
    Decision.objects.bulk_create(decisions)
    current.status = NoticeStatus.CLOSED
    current.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, verb="notice.close", target=current, region_code=current.region.code,
        summary=_("Notice closed: %(count)d candidates on to naming.") % {"count": len(on_notice)},
        before={"status": NoticeStatus.OPEN},
        after={"status": NoticeStatus.CLOSED, "approved": [a.pk for a in on_notice],
               "left_before": [a.pk for a in applications if a not in on_notice]},
    )  # fmt: skip
    notice.status = current.status
    return current
