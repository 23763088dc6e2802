"""Implementation plans (实施方案), their targets and phases.

Each write checks `policies.can_edit_plan` on the plan's region (housing department or
administrator over it; `actor=None` is the platform itself: the operator's commands and demo
data), runs in one transaction and records one audit event.

Target values: shares (of urban communities certified, of communities on the pilot list) lie
in (0, 1]; counts (communities certified, demonstration titles, pilots per street) are whole
numbers >= 0. Phases of a plan do not overlap (both ends inclusive); a phase without an end
runs on, so only the last phase may be open-ended.
"""

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.assessments.evidence_files import HEAD_BYTES, sniff
from greencommunity.assessments.models import EvidenceKind
from greencommunity.assessments.services.evidence import clean_name, max_bytes
from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from ..models import Phase, PhaseKind, Plan, Target, TargetKind
from ..policies import can_edit_plan

FIRST_YEAR, LAST_YEAR = 2000, 2100
SHARE_KINDS = {TargetKind.CERTIFIED_SHARE, TargetKind.PILOT_SHARE}
MAX_COUNT = Decimal(999_999)
PLAN_DOCUMENT_KINDS = {EvidenceKind.PDF.value, EvidenceKind.WORD.value}


def check_plan_keeper(actor: Any, region: Region) -> None:
    if actor is not None and not can_edit_plan(actor, region):
        raise PermissionDenied(
            _("Only the housing department or an administrator of %(region)s may change its plan.")
            % {"region": region.name}
        )


def _refuse(field: str, message: str, value: Any = "") -> ApplicationError:
    return ApplicationError(message, {"field": field, "value": str(value)})


def clean_year(year: Any) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise _refuse(
            "year", _("The year must lie between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}, year,
        )  # fmt: skip
    return year


def _plan_state(plan: Plan) -> dict[str, Any]:
    return {
        "name": plan.name, "due_on": plan.due_on, "submitted_on": plan.submitted_on,
        "document_name": plan.document_name,
    }  # fmt: skip


def _read_document(document: Any) -> tuple[Any, str, str]:
    """(content, display name, suffix) of an uploaded PDF or Word document, or refused."""
    name = clean_name(getattr(document, "name", "") or "") or "plan"
    limit = max_bytes()
    size = getattr(document, "size", None)
    if isinstance(size, int) and size > limit:
        raise _refuse("document", _("“%(name)s” is too large.") % {"name": name}, name)
    document.seek(0)
    head = document.read(HEAD_BYTES)
    if not head:
        raise _refuse("document", _("“%(name)s” is empty.") % {"name": name}, name)
    kind = sniff(head, document, name=name)
    if kind.kind not in PLAN_DOCUMENT_KINDS:
        raise _refuse(
            "document",
            _("“%(name)s” is not a PDF or Word document.") % {"name": name},
            name,
        )
    document.seek(0)
    return document, name, kind.suffix


def plan_save(
    *,
    actor: Any,
    region: Region,
    name: str,
    due_on: date | None = None,
    submitted_on: date | None = None,
    document: Any = None,
) -> Plan:
    """Create or update the region's plan (one per region). `document` (an uploaded PDF or
    Word file) replaces the stored one, which goes after commit; None keeps it. The new file
    is removed again when the transaction fails."""
    check_plan_keeper(actor, region)
    if region.level == Level.COMMUNITY:
        raise _refuse("region", _("A community has no implementation plan."), region.code)
    name = (name or "").strip()
    if not name:
        raise _refuse("name", _("Enter the plan's name."))
    if len(name) > 200:
        raise _refuse("name", _("The name has at most 200 characters."), name)
    if submitted_on is not None and submitted_on > timezone.localdate():
        raise _refuse("submitted_on", _("The plan cannot be submitted in the future."),
                      submitted_on)  # fmt: skip
    if due_on is not None and not isinstance(due_on, date):
        raise _refuse("due_on", _("Enter a date."), due_on)
    upload = _read_document(document) if document is not None else None
    stored: list[str] = []
    try:
        with transaction.atomic():
            plan = _plan_write(actor, region, name, due_on, submitted_on, upload, stored)
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    return plan


def _plan_write(
    actor: Any,
    region: Region,
    name: str,
    due_on: date | None,
    submitted_on: date | None,
    upload: tuple[Any, str, str] | None,
    stored: list[str],
) -> Plan:
    plan = Plan.objects.select_for_update().filter(region=region).first()
    created = plan is None
    if plan is None:
        plan = Plan(region=region, created_by=actor if getattr(actor, "pk", None) else None)
    before = None if created else _plan_state(plan)
    plan.name, plan.due_on, plan.submitted_on = name, due_on, submitted_on
    if upload is not None:
        old_file = plan.document.name if plan.document else ""
        content, display, suffix = upload
        plan.document.save(f"{uuid.uuid4().hex}{suffix}", File(content), save=False)
        stored.append(str(plan.document.name))
        plan.document_name = display
        if old_file:
            transaction.on_commit(lambda: default_storage.delete(old_file))
    plan.save()
    audit_record(
        actor=actor, verb="plan.create" if created else "plan.update", target=plan,
        region_code=region.code, before=before, after=_plan_state(plan),
    )  # fmt: skip
    return plan


def _value(kind: TargetKind, value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _refuse("value", _("Enter a number."), value) from None
    if not number.is_finite():
        raise _refuse("value", _("Enter a number."), value)
    if kind in SHARE_KINDS:
        if not Decimal(0) < number <= Decimal(1):
            raise _refuse(
                "value", _("A share lies above 0 and at most 1 (e.g. 0.6 for 60%)."), value
            )
        if number != number.quantize(Decimal("0.001")):
            raise _refuse("value", _("A share has at most three decimals."), value)
        return number.quantize(Decimal("0.001"))
    if number < 0 or number != number.to_integral_value() or number > MAX_COUNT:
        raise _refuse(
            "value", _("A count is a whole number from 0 to %(max)d.") % {"max": MAX_COUNT},
            value,
        )  # fmt: skip
    return number.quantize(Decimal(1))


@transaction.atomic
def target_set(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    kind: str,
    value: Decimal | int | float | str,
    due_on: date | None = None,
) -> Target:
    """Set the plan's target of `kind` for `year` (created or replaced)."""
    plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    check_plan_keeper(actor, plan.region)
    try:
        target_kind = TargetKind(kind)
    except ValueError:
        raise _refuse("kind", _("Choose a kind of target."), kind) from None
    year = clean_year(year)
    number = _value(target_kind, value)
    target = Target.objects.filter(plan=plan, year=year, kind=target_kind).first()
    before = None if target is None else {"value": target.value, "due_on": target.due_on}
    if target is None:
        target = Target(plan=plan, year=year, kind=target_kind)
    target.value, target.due_on = number, due_on
    target.save()
    audit_record(
        actor=actor, verb="plan.target_set", target=plan, region_code=plan.region.code,
        summary=f"{year} {target_kind.value}", before=before,
        after={"year": year, "kind": target_kind.value, "value": number, "due_on": due_on},
    )  # fmt: skip
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    plan = Plan.objects.select_for_update().select_related("region").get(pk=target.plan_id)
    check_plan_keeper(actor, plan.region)
    row = Target.objects.filter(pk=target.pk).first()
    if row is None:
        return
    before = {"year": row.year, "kind": row.kind, "value": row.value, "due_on": row.due_on}
    row.delete()
    audit_record(
        actor=actor, verb="plan.target_delete", target=plan, region_code=plan.region.code,
        summary=f"{before['year']} {before['kind']}", before=before,
    )  # fmt: skip


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


@transaction.atomic
def phase_set(
    *,
    actor: Any,
    plan: Plan,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    name: str = "",
) -> Phase:
    """Set the plan's phase of `kind` (one per kind): its dates and optional name."""
    plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    check_plan_keeper(actor, plan.region)
    try:
        phase_kind = PhaseKind(kind)
    except ValueError:
        raise _refuse("kind", _("Choose a phase."), kind) from None
    if starts_on is None:
        raise _refuse("starts_on", _("Enter the day the phase starts."))
    if ends_on is not None and ends_on < starts_on:
        raise _refuse("ends_on", _("A phase cannot end before it starts."), ends_on)
    name = (name or "").strip()
    if len(name) > 100:
        raise _refuse("name", _("The name has at most 100 characters."), name)
    others = plan.phases.exclude(kind=phase_kind)
    for other in others:
        if _overlaps(starts_on, ends_on, other.starts_on, other.ends_on):
            raise _refuse(
                "starts_on",
                _("The phase overlaps “%(other)s” (%(start)s to %(end)s).")
                % {
                    "other": other.name or other.get_kind_display(),
                    "start": other.starts_on.isoformat(),
                    "end": other.ends_on.isoformat() if other.ends_on else _("open-ended"),
                },
                starts_on,
            )
    phase = plan.phases.filter(kind=phase_kind).first()
    before = (
        None
        if phase is None
        else {"name": phase.name, "starts_on": phase.starts_on, "ends_on": phase.ends_on}
    )
    if phase is None:
        phase = Phase(plan=plan, kind=phase_kind)
    phase.name, phase.starts_on, phase.ends_on = name, starts_on, ends_on
    phase.save()
    audit_record(
        actor=actor, verb="plan.phase_set", target=plan, region_code=plan.region.code,
        summary=phase_kind.value, before=before,
        after={"kind": phase_kind.value, "name": name, "starts_on": starts_on, "ends_on": ends_on},
    )  # fmt: skip
    return phase


@transaction.atomic
def phase_delete(*, actor: Any, phase: Phase) -> None:
    plan = Plan.objects.select_for_update().select_related("region").get(pk=phase.plan_id)
    check_plan_keeper(actor, plan.region)
    row = Phase.objects.filter(pk=phase.pk).first()
    if row is None:
        return
    before = {"kind": row.kind, "name": row.name, "starts_on": row.starts_on,
              "ends_on": row.ends_on}  # fmt: skip
    row.delete()
    audit_record(
        actor=actor, verb="plan.phase_delete", target=plan, region_code=plan.region.code,
        summary=row.kind, before=before,
    )  # fmt: skip
