"""异议: objections from the public to a running public notice, and their resolution.

- `objection_submit`: anyone, without signing in, while the notice runs (starts_on..ends_on,
  both included), against a candidate still on notice: the reason, a name and a phone number or
  an e-mail address, optionally a photo, PDF or Word file (sniffed, at most
  `settings.EVIDENCE_MAX_BYTES`). At most `settings.OBJECTION_RATE_LIMIT` (default 5) an hour
  from one client, keyed by HMAC-SHA256(SECRET_KEY, client address): no address is stored.
- `objection_resolve`: the notice's deciders uphold an objection — the application goes back
  to the community, or is rejected — or dismiss it, always with the reason. A returned
  application re-enters, when resubmitted, at the last review step before the notice step:
  re-entering at the notice itself would skip the review the objection calls for. Upholding one
  objection settles the application's other open objections of the same notice alike.
"""

import hashlib
import hmac
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.assessments.services.evidence import clean_name
from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    NoticeEntry,
    Objection,
    ObjectionStatus,
    PublicNotice,
    ReviewStep,
    StepKind,
    Verdict,
)
from ..policies_batches import can_resolve_objection, can_view_objection
from ..selectors_batches import OBJECTION_RELATED, accepts_objections, objections_from_client
from .attachments import read_upload, store
from .batches import clean_text, move_or_refuse, refuse_undecidable
from .common import load_application, refuse, state, user_or_none
from .notices import under_notice

DEFAULT_RATE_LIMIT = 5
MAX_REASON = 2000
OUTCOMES = (Verdict.RETURN, Verdict.REJECT)


def client_hash(client_ip: str) -> str:
    """HMAC-SHA256 of the client address under SECRET_KEY: counts per client, stores none."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, (client_ip or "").encode("utf-8"), hashlib.sha256).hexdigest()


def _clean_objection(
    reason: str, contact_name: str, contact_phone: str, contact_email: str
) -> tuple[str, str, str, str]:
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field, value, max_length, required in (
        ("reason", reason, MAX_REASON, _("Say what the objection is.")),
        ("contact_name", contact_name, 50, _("Give your name.")),
        ("contact_phone", contact_phone, 30, ""),
        ("contact_email", contact_email, 254, ""),
    ):
        try:
            values[field] = clean_text(value, field, required=required, max_length=max_length)
        except ApplicationError as exc:
            errors[field] = exc.message
    email = values.get("contact_email", "")
    if email and "contact_email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if not errors and not values["contact_phone"] and not email:
        errors["contact_phone"] = _("Give a phone number or an e-mail address.")
    if errors:
        refuse(errors)
    return values["reason"], values["contact_name"], values["contact_phone"], email


def objection_submit(
    *,
    notice: PublicNotice,
    application: Application | int,
    reason: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    attachment: Any = None,
    client_ip: str,
) -> Objection:
    """An objection from the public against one candidate of a running notice. A stored
    attachment is removed again when the transaction fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _submit(notice, application, reason, contact_name, contact_phone,
                           contact_email, attachment, client_ip, stored)  # fmt: skip
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _submit(
    notice: PublicNotice,
    application: Application | int,
    reason: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    attachment: Any,
    client_ip: str,
    stored: list[str],
) -> Objection:
    try:  # locked: closing the notice waits for an objection being sent, and the reverse
        current = (
            PublicNotice.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=notice.pk)
        )
    except PublicNotice.DoesNotExist:
        raise NotFound(_("Public notice not found.")) from None
    if not accepts_objections(current):
        raise ApplicationError(
            _("Objections to this notice are accepted from %(start)s to %(end)s.")
            % {"start": current.starts_on.isoformat(), "end": current.ends_on.isoformat()},
            {"reason": "closed"},
        )
    pk = application.pk if isinstance(application, Application) else application
    entry = NoticeEntry.objects.filter(notice=current, application_id=pk).first()
    if entry is None:
        raise NotFound(_("Application not found."), {"field": "application"})
    candidate = load_application(entry.application_id)
    if not under_notice(candidate, current.region.code):
        raise ApplicationError(
            _("%(community)s is no longer on this notice.")
            % {"community": candidate.community.region.name},
            {"field": "application"},
        )
    key = client_hash(client_ip)
    limit = int(getattr(settings, "OBJECTION_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    if objections_from_client(key) >= limit:
        raise ApplicationError(
            _("At most %(limit)d objections an hour may be sent from one connection; please "
              "try again later.") % {"limit": limit},
            {"reason": "rate_limited", "limit": limit},
        )  # fmt: skip
    texts = _clean_objection(reason, contact_name, contact_phone, contact_email)
    objection = Objection(
        notice=current, application=candidate, reason=texts[0], contact_name=texts[1],
        contact_phone=texts[2], contact_email=texts[3], client_hash=key,
    )  # fmt: skip
    if attachment is not None:
        name = clean_name(getattr(attachment, "name", "") or "") or "attachment"
        try:
            content, _size, kind = read_upload(attachment, name)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, {**exc.extra, "field": "attachment"}) from exc
        try:
            stored.append(store(objection.attachment, uuid.uuid4().hex, content, kind))
        finally:
            content.close()
        objection.attachment_name = name
    objection.save()
    audit_record(
        actor=None, verb="objection.submit", target=objection,
        region_code=candidate.community.region.code,
        summary=_("Objection from the public to %(community)s on “%(notice)s”.")
        % {"community": candidate.community.region.name, "notice": current.heading},
        after={"notice": current.pk, "application": candidate.pk,
               "attachment": bool(objection.attachment)},
    )  # fmt: skip
    return objection


def review_step_before(step: ReviewStep) -> ReviewStep:
    """Where an application an upheld objection returns re-enters: the last review step
    before the notice step (the notice step itself when the chain has none)."""
    previous = (
        ReviewStep.objects.filter(
            chain_id=step.chain_id, kind=StepKind.REVIEW, position__lt=step.position
        )
        .order_by("-position")
        .first()
    )
    return previous or step


@transaction.atomic
def objection_resolve(
    *, actor: Any, objection: Objection, upheld: bool, resolution: str, outcome: str | None = None
) -> Objection:
    """Uphold (`outcome` "return" or "reject") or dismiss an open objection, with the reason."""
    try:
        current = Objection.objects.select_for_update(of=("self",)).select_related(
            *OBJECTION_RELATED
        ).get(pk=objection.pk)  # fmt: skip
    except Objection.DoesNotExist:
        raise NotFound(_("Objection not found.")) from None
    if actor is not None:
        if not can_view_objection(actor, current):
            raise NotFound(_("Objection not found."))
        if not can_resolve_objection(actor, current):
            raise PermissionDenied(_("This objection is decided by the notice's publishers."))
    if current.status != ObjectionStatus.OPEN:
        raise ApplicationError(_("This objection has been resolved already."), {"reason": "stale"})
    if not isinstance(upheld, bool):
        raise ApplicationError(_("Choose upheld or dismissed."), {"field": "upheld"})
    outcome = outcome or None
    if upheld and outcome not in OUTCOMES:
        raise ApplicationError(
            _("Choose whether the application goes back to the community or is rejected."),
            {"field": "outcome"},
        )
    if not upheld and outcome is not None:
        raise ApplicationError(_("A dismissed objection changes nothing."), {"field": "outcome"})
    required = _("Give the reason.") if upheld else _("Give the reason for dismissing it.")
    resolution = clean_text(resolution, "resolution", required=required)
    now, user = timezone.now(), user_or_none(actor)
    application = load_application(current.application_id, lock=True)
    before = state(application)
    settled: list[int] = []
    if upheld:
        assert outcome is not None
        _uphold(actor, current, application, outcome, resolution)
        others = Objection.objects.filter(
            notice_id=current.notice_id, application=application, status=ObjectionStatus.OPEN
        ).exclude(pk=current.pk)
        settled = list(others.values_list("pk", flat=True))
        others.update(
            status=ObjectionStatus.UPHELD, outcome=outcome, resolved_by=user, resolved_at=now,
            resolution=_("Settled with objection %(id)s: %(resolution)s")
            % {"id": current.pk, "resolution": resolution},
        )  # fmt: skip
    current.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    current.outcome, current.resolution = outcome or "", resolution
    current.resolved_by, current.resolved_at = user, now
    current.save(update_fields=["status", "outcome", "resolution", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor, verb="objection.resolve", target=current,
        region_code=application.community.region.code,
        summary=f"{current.get_status_display()}: {resolution}"[:300],
        before={"status": ObjectionStatus.OPEN, "application": before},
        after={"status": current.status, "outcome": current.outcome, "resolution": resolution,
               "application": state(application), "settled": settled},
    )  # fmt: skip
    objection.status, objection.outcome = current.status, current.outcome
    objection.resolution = current.resolution
    return current


def _uphold(
    actor: Any, objection: Objection, application: Application, outcome: str, resolution: str
) -> None:
    if not under_notice(application, objection.notice.region.code):
        raise ApplicationError(
            _("%(community)s is no longer on notice (%(status)s): dismiss the objection, "
              "saying why.") % {"community": application.community.region.name,
                                "status": application.get_status_display()},
            {"field": "upheld"},
        )  # fmt: skip
    refuse_undecidable(actor, [application])
    step = application.current_step
    assert step is not None
    if outcome == Verdict.RETURN:
        move_or_refuse(application, from_step=step, status=ApplicationStatus.RETURNED,
                       returned_from=review_step_before(step))  # fmt: skip
    else:
        move_or_refuse(application, from_step=step, status=ApplicationStatus.REJECTED)
    Decision.objects.create(
        application=application, step=step, verdict=outcome, opinion=resolution,
        decided_on=timezone.localdate(), actor=user_or_none(actor),
    )  # fmt: skip
