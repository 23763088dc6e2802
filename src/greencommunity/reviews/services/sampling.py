"""省级抽验: the province decides, in one batch, the applications its cities passed.

1. `sampling_draw_create` fixes the seed (given, or a random one) and the share, and records
   them in the audit trail before anything is drawn: the seed is published first.
2. `sampling_draw_run` takes the candidates — the applications of the province waiting at a
   sampling step and in no other undecided draw — ranks each city's (the city of the
   community's code) with `sampling_rules.draw` and writes one item per candidate. Anyone can
   recompute the sample from the seed (docs/sampling.md).
3. `sampling_inspect` records the inspection of a sampled application: passed, or failed with
   notes.
4. `sampling_decide` decides the batch once every sampled application is inspected: a failed
   one goes back to its chain's city re-check step (the last review step at city level before
   the sampling step) with a return decision carrying the inspection notes; every other one is
   approved with the batch opinion, date and seal — the province row of its 审批表 — and moves
   on to the next step (the public notice). Each move is the conditional update of
   `application_move` on the version read in this transaction; an application that moved since
   the draw, or moves meanwhile, refuses the whole batch and nothing is written.

The deciders of the notice step are the province officials deciding this batch: they are not
e-mailed about each application; the city is e-mailed about a failed one.
"""

import secrets
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    InspectionResult,
    ReviewStep,
    SamplingDraw,
    SamplingItem,
    SamplingStatus,
    StepKind,
    Verdict,
)
from ..policies_batches import (
    can_create_sampling_draw,
    can_manage_sampling_draw,
    can_view_batches_of,
    can_view_sampling_draw,
)
from ..sampling_rules import draw as draw_sample
from ..selectors_batches import sampling_candidates
from ..selectors_quota import city_code_of
from .attachments import seal_read, store
from .batches import clean_day, clean_text, community_names, move_or_refuse, refuse_undecidable
from .chains import next_step
from .common import user_or_none

MAX_SEED = 64
ITEM_RELATED = ("application__community__region", "application__current_step")


# ---------------------------------------------------------------------------- draws


def _clean_share(share: Decimal | str | float) -> Decimal:
    try:
        value = Decimal(str(share).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 < value <= 1 or value != value.quantize(Decimal("0.001")):
        raise ApplicationError(
            _("The share sampled is a number above 0 and at most 1, with at most 3 decimals."),
            {"field": "share"},
        )
    return value.quantize(Decimal("0.001"))


def _clean_seed(seed: str | None) -> str:
    if seed is None:
        return f"{timezone.localdate():%Y%m%d}-{secrets.token_hex(8)}"
    seed = seed.strip()
    if not seed or len(seed) > MAX_SEED or not seed.isprintable():
        raise ApplicationError(
            _("The seed is 1 to %(max)d printable characters.") % {"max": MAX_SEED},
            {"field": "seed"},
        )
    return seed


def _load_draw(draw: SamplingDraw, actor: Any) -> SamplingDraw:
    """The draw, locked, for an actor who manages it."""
    queryset = SamplingDraw.objects.select_for_update(of=("self",)).select_related("region")
    try:
        current = queryset.get(pk=draw.pk)
    except SamplingDraw.DoesNotExist:
        raise NotFound(_("Sampling draw not found.")) from None
    if actor is not None:
        if not can_view_sampling_draw(actor, current):
            raise NotFound(_("Sampling draw not found."))
        if not can_manage_sampling_draw(actor, current):
            raise PermissionDenied(_("The sampling inspection of this province is not yours."))
    return current


def _sync(draw: SamplingDraw, current: SamplingDraw) -> SamplingDraw:
    for field in ("status", "drawn_at", "decided_at", "opinion", "decided_on", "seal"):
        setattr(draw, field, getattr(current, field))
    return current


@transaction.atomic
def sampling_draw_create(
    *, actor: Any, province: Region, share: Decimal | str, seed: str | None = None
) -> SamplingDraw:
    """Fix the seed and share of a province's next draw, before anything is drawn."""
    if actor is not None:
        if not can_view_batches_of(actor, province):
            raise NotFound(_("Region not found."))
        if not can_create_sampling_draw(actor, province):
            raise PermissionDenied(_("The sampling inspection of this province is not yours."))
    if province.level != Level.PROVINCE:
        raise ApplicationError(_("The sampling inspection is a province's."), {"field": "region"})
    value, seed = _clean_share(share), _clean_seed(seed)
    draw = SamplingDraw.objects.create(
        region=province, seed=seed, share=value, created_by=user_or_none(actor)
    )
    audit_record(
        actor=actor, verb="sampling.create", target=draw, region_code=province.code,
        summary=_("Seed %(seed)s fixed, share %(share)s.") % {"seed": seed, "share": value},
        after={"seed": seed, "share": value},
    )  # fmt: skip
    return draw


@transaction.atomic
def sampling_draw_run(*, actor: Any, draw: SamplingDraw) -> SamplingDraw:
    """Rank the candidates of each city and mark the sample."""
    current = _load_draw(draw, actor)
    if current.status != SamplingStatus.OPEN:
        raise ApplicationError(_("The sample of this draw has been drawn already."))
    candidates = sampling_candidates(current)
    if not candidates:
        raise ApplicationError(
            _("No application of %(region)s waits for the sampling inspection.")
            % {"region": current.region.name}
        )
    refuse_undecidable(actor, candidates)
    by_code: dict[str, list[Application]] = {}
    for application in candidates:  # by pk within a community (never two, in practice)
        by_code.setdefault(application.community.region.code, []).append(application)
    pairs = [(city_code_of(code), code) for code, apps in by_code.items() for _a in apps]
    items = [
        SamplingItem(
            draw=current,
            application=by_code[r.community_code].pop(0),
            city_code=r.city_code,
            rank_key=r.rank_key,
            rank=r.rank,
            sampled=r.sampled,
        )
        for r in draw_sample(current.seed, current.share, pairs)
    ]
    SamplingItem.objects.bulk_create(items)
    current.status, current.drawn_at = SamplingStatus.DRAWN, timezone.now()
    current.save(update_fields=["status", "drawn_at", "updated_at"])
    sampled = [i for i in items if i.sampled]
    audit_record(
        actor=actor, verb="sampling.draw", target=current, region_code=current.region.code,
        summary=_("%(sampled)d of %(total)d applications sampled with seed %(seed)s.")
        % {"sampled": len(sampled), "total": len(items), "seed": current.seed},
        after={"seed": current.seed, "share": current.share, "candidates": len(items),
               "sampled": [i.application.community.region.code for i in sampled]},
    )  # fmt: skip
    return _sync(draw, current)


@transaction.atomic
def sampling_inspect(*, actor: Any, item: SamplingItem, result: str, notes: str) -> SamplingItem:
    """Record (or correct, until the batch is decided) the inspection of a sampled
    application: passed, or failed with the notes saying why."""
    try:
        current = SamplingItem.objects.select_related(*ITEM_RELATED).get(pk=item.pk)
    except SamplingItem.DoesNotExist:
        raise NotFound(_("Sampled application not found.")) from None
    draw = _load_draw(current.draw, actor)
    if draw.status != SamplingStatus.DRAWN:
        raise ApplicationError(_("Inspections are recorded between the draw and the decision."))
    if not current.sampled:
        raise ApplicationError(_("This application was not sampled."))
    if result not in (InspectionResult.PASSED, InspectionResult.FAILED):
        raise ApplicationError(_("Choose passed or failed."), {"field": "result"})
    required = _("Say what failed.") if result == InspectionResult.FAILED else ""
    notes = clean_text(notes, "notes", required=required)
    before = {"result": current.result, "notes": current.notes}
    current.result, current.notes = result, notes
    current.inspected_by, current.inspected_at = user_or_none(actor), timezone.now()
    current.save(update_fields=["result", "notes", "inspected_by", "inspected_at"])
    application = current.application
    audit_record(
        actor=actor, verb="sampling.inspect", target=application,
        region_code=application.community.region.code,
        summary=f"{InspectionResult(result).label}: {notes}"[:300],
        before=before, after={"draw": draw.pk, "result": result, "notes": notes},
    )  # fmt: skip
    item.result, item.notes = current.result, current.notes
    return current


def recheck_step(step: ReviewStep) -> ReviewStep | None:
    """Where a failed sample goes back to: the last review step at city level before `step`."""
    return (
        ReviewStep.objects.filter(
            chain_id=step.chain_id,
            level=Level.CITY,
            kind=StepKind.REVIEW,
            position__lt=step.position,
        )
        .order_by("-position")
        .first()
    )


def _check_batch(draw: SamplingDraw, items: list[SamplingItem]) -> None:
    pending = [i.application for i in items if i.sampled and i.result == InspectionResult.PENDING]
    if pending:
        raise ApplicationError(
            _("The sampled applications of %(communities)s are not inspected yet.")
            % {"communities": community_names(pending)},
            {"pending": [a.pk for a in pending]},
        )
    moved = [
        i.application
        for i in items
        if i.application.status != ApplicationStatus.IN_REVIEW
        or i.application.current_step is None
        or i.application.current_step.kind != StepKind.SAMPLING
        or (draw.drawn_at and i.application.step_entered_at
            and i.application.step_entered_at > draw.drawn_at)
    ]  # fmt: skip
    if moved:
        raise ApplicationError(
            _(
                "The applications of %(communities)s are no longer where the draw found them; "
                "nothing was decided. Reload the page."
            )
            % {"communities": community_names(moved)},
            {"reason": "stale", "moved": [a.pk for a in moved]},
        )


def sampling_decide(
    *,
    actor: Any,
    draw: SamplingDraw,
    opinion: str,
    decided_on: date | None = None,
    seal: Any = None,
) -> SamplingDraw:
    """Decide the batch (see the module's text). The batch opinion, date and seal fill the
    province row of each approved application's 审批表."""
    opinion = clean_text(opinion, "opinion", required=_("Write the batch opinion."))
    decided_on = clean_day(decided_on)
    seal_file = seal_read(seal) if seal is not None else None
    stored: list[str] = []
    try:
        with transaction.atomic():
            current = _load_draw(draw, actor)
            if current.status != SamplingStatus.DRAWN:
                raise ApplicationError(
                    _("This batch has been decided already.")
                    if current.status == SamplingStatus.DECIDED
                    else _("Draw the sample first.")
                )
            if seal_file is not None:
                stored.append(store(current.seal, uuid.uuid4().hex, *seal_file))
            _decide(actor, current, opinion, decided_on)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    finally:
        if seal_file is not None:
            seal_file[0].close()
    return _sync(draw, current)


def _decide(actor: Any, draw: SamplingDraw, opinion: str, decided_on: date) -> None:
    # The conditional update makes a second officer deciding at the same moment fail.
    if not SamplingDraw.objects.filter(pk=draw.pk, status=SamplingStatus.DRAWN).update(
        status=SamplingStatus.DECIDED, updated_at=timezone.now()
    ):
        raise ApplicationError(_("This batch has been decided already."), {"reason": "stale"})
    items = list(SamplingItem.objects.filter(draw=draw).select_related(*ITEM_RELATED))
    _check_batch(draw, items)
    refuse_undecidable(actor, [i.application for i in items])
    decisions, approved, returned = [], [], []
    user = user_or_none(actor)
    for item in items:
        application = item.application
        step = application.current_step
        assert step is not None  # checked by _check_batch
        if item.result == InspectionResult.FAILED:
            target = recheck_step(step)
            if target is None:
                raise ApplicationError(
                    _("The chain of %(community)s has no city re-check step to return to.")
                    % {"community": application.community.region.name}
                )
            move_or_refuse(application, from_step=step, to_step=target)
            verdict, text, seal_name = Verdict.RETURN, item.notes, ""
            returned.append(application.pk)
        else:
            following = next_step(step)
            if following is None:
                raise ApplicationError(
                    _("The review chain ends at this step: ask the administrator to add naming.")
                )
            move_or_refuse(application, from_step=step, to_step=following, notify=False)
            verdict, text, seal_name = Verdict.APPROVE, opinion, draw.seal.name or ""
            approved.append(application.pk)
        decisions.append(
            Decision(
                application=application,
                step=step,
                verdict=verdict,
                opinion=text,
                seal=seal_name,
                decided_on=decided_on,
                actor=user,
                sampling_draw=draw,
            )
        )
    Decision.objects.bulk_create(decisions)
    draw.status, draw.decided_at = SamplingStatus.DECIDED, timezone.now()
    draw.opinion, draw.decided_on = opinion, decided_on
    draw.save(update_fields=["status", "decided_at", "opinion", "decided_on", "seal",
                             "updated_at"])  # fmt: skip
    audit_record(
        actor=actor, verb="sampling.decide", target=draw, region_code=draw.region.code,
        summary=_("%(approved)d approved, %(returned)d back to the city re-check: %(opinion)s")
        % {"approved": len(approved), "returned": len(returned), "opinion": opinion[:200]},
        before={"status": SamplingStatus.DRAWN},
        after={"status": SamplingStatus.DECIDED, "approved": approved, "returned": returned,
               "opinion": opinion, "decided_on": decided_on},
    )  # fmt: skip
