"""Reads of the batch steps: sampling draws and their candidates, public notices and their
candidates, objections (with or without the objector's contact details), the working-day
calendar, and what the public notice page shows (places and titles, never people)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.access.grants import grants, scope_q, subtree_q
from greencommunity.core.errors import NotFound
from greencommunity.regions.codes import Level, code_prefix
from greencommunity.regions.models import Region

from .models import (
    Application,
    ApplicationStatus,
    Holiday,
    NamingDecision,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
    SamplingDraw,
    SamplingItem,
    SamplingStatus,
    StepKind,
)
from .policies import decider_region, scope_applications
from .policies_batches import (
    BATCH_ROLES,
    can_resolve_objection,
    can_view_batches_of,
    scope_notices,
    scope_sampling_draws,
)

RELATED = ("community__region__parent__parent__parent", "current_step", "chain")
OBJECTION_RELATED = ("notice__region", "application__community__region", "resolved_by")
RATE_WINDOW = timedelta(hours=1)


def waiting_at(kind: str, region_code: str, level: str) -> list[Application]:
    """The applications in review at a step of `kind` that the region `region_code` (of
    `level`) decides, by community code."""
    queryset = (
        Application.objects.filter(
            subtree_q("community__region__code", code_prefix(region_code, level)),
            status=ApplicationStatus.IN_REVIEW,
            current_step__kind=kind,
        )
        .select_related(*RELATED)
        .order_by("community__region__code", "pk")
    )
    return [
        a
        for a in queryset
        if a.current_step is not None
        and decider_region(a.current_step.level, a.community.region.code)[0] == region_code
    ]


# ---------------------------------------------------------------------------- sampling


def access_sampling_draw(actor: Any, draw_id: Any) -> SamplingDraw:
    queryset = scope_sampling_draws(actor, SamplingDraw.objects.select_related("region"))
    try:
        return queryset.get(pk=draw_id)
    except (SamplingDraw.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Sampling draw not found.")) from None


def sampling_draw_list(actor: Any) -> QuerySet[SamplingDraw]:
    return scope_sampling_draws(actor, SamplingDraw.objects.select_related("region")).order_by(
        "-created_at", "-pk"
    )


def sampling_candidates(draw: SamplingDraw) -> list[Application]:
    """The applications of the draw's province waiting at a sampling step, less those in
    another draw not decided yet."""
    return sampling_waiting(draw.region, exclude_draw_id=draw.pk)


def sampling_waiting(province: Region, *, exclude_draw_id: int | None = None) -> list[Application]:
    """The province's applications at a sampling step and in no undecided draw."""
    busy = set(
        SamplingItem.objects.filter(draw__status__in=[SamplingStatus.OPEN, SamplingStatus.DRAWN])
        .exclude(draw_id=exclude_draw_id)
        .values_list("application_id", flat=True)
    )
    waiting = waiting_at(StepKind.SAMPLING, province.code, Level.PROVINCE)
    return [a for a in waiting if a.pk not in busy]


def sampling_items(draw: SamplingDraw) -> QuerySet[SamplingItem]:
    return SamplingItem.objects.filter(draw=draw).select_related(
        "application__community__region", "application__current_step", "inspected_by"
    )


# ---------------------------------------------------------------------------- notices


def access_notice(actor: Any, notice_id: Any) -> PublicNotice:
    queryset = scope_notices(actor, PublicNotice.objects.select_related("region"))
    try:
        return queryset.get(pk=notice_id)
    except (PublicNotice.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Public notice not found.")) from None


def notice_list(actor: Any) -> QuerySet[PublicNotice]:
    return scope_notices(actor, PublicNotice.objects.select_related("region")).order_by(
        "-starts_on", "-pk"
    )


def notice_candidates(region_code: str, level: str) -> list[Application]:
    """The applications waiting at a notice step `region_code` decides, in no open notice."""
    listed = set(
        NoticeEntry.objects.filter(notice__status=NoticeStatus.OPEN).values_list(
            "application_id", flat=True
        )
    )
    return [a for a in waiting_at(StepKind.NOTICE, region_code, level) if a.pk not in listed]


def naming_candidates(region_code: str, level: str, title_kind: str = "") -> list[Application]:
    waiting = waiting_at(StepKind.NAMING, region_code, level)
    return [a for a in waiting if not title_kind or a.title_kind == title_kind]


def day_calendar(start: date) -> tuple[set[date], set[date]]:
    """The holidays and the make-up working days (调休) from `start` on."""
    rows = Holiday.objects.filter(day__gte=start).values_list("day", "is_workday")
    holidays = {day for day, workday in rows if not workday}
    workdays = {day for day, workday in rows if workday}
    return holidays, workdays


def open_objections(application_ids: Iterable[int]) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(
            application_id__in=list(application_ids), status=ObjectionStatus.OPEN
        )
        .select_related(*OBJECTION_RELATED)
        .order_by("application__community__region__code", "submitted_at", "pk")
    )


def objections_from_client(client_hash: str, *, now: datetime | None = None) -> int:
    """Objections sent from the client in the last hour (the rate limit's count)."""
    since = (now or timezone.now()) - RATE_WINDOW
    return Objection.objects.filter(client_hash=client_hash, submitted_at__gte=since).count()


@dataclass(frozen=True)
class ObjectionView:
    """An objection as the actor may see it: contact details and the attachment only for those
    who resolve it (`can_resolve_objection`), blank for everyone else."""

    objection: Objection
    with_contact: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    has_attachment: bool


def objection_view(actor: Any, objection: Objection) -> ObjectionView:
    shown = can_resolve_objection(actor, objection)
    return ObjectionView(
        objection=objection, with_contact=shown,
        contact_name=objection.contact_name if shown else "",
        contact_phone=objection.contact_phone if shown else "",
        contact_email=objection.contact_email if shown else "",
        has_attachment=shown and bool(objection.attachment),
    )  # fmt: skip


def objection_list(
    actor: Any,
    *,
    notice: PublicNotice | None = None,
    application: Application | None = None,
    status: str = "",
) -> list[ObjectionView]:
    """The objections on applications the actor may see, oldest first."""
    visible = scope_applications(actor, Application.objects.all()).values("pk")
    queryset = Objection.objects.filter(application__in=visible).select_related(*OBJECTION_RELATED)
    if notice is not None:
        queryset = queryset.filter(notice=notice)
    if application is not None:
        queryset = queryset.filter(application=application)
    if status:
        queryset = queryset.filter(status=status)
    return [objection_view(actor, o) for o in queryset.order_by("submitted_at", "pk")]


def access_objection(actor: Any, objection_id: Any) -> Objection:
    visible = scope_applications(actor, Application.objects.all()).values("pk")
    try:
        return Objection.objects.select_related(*OBJECTION_RELATED).get(
            pk=objection_id, application__in=visible
        )
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Objection not found.")) from None


# ---------------------------------------------------------------------------- public page


@dataclass(frozen=True)
class PublicCandidate:
    """One line of a public notice: where the community is and the title proposed."""

    application_id: int
    community: str
    street: str
    county: str
    city: str
    title: str
    under_notice: bool  # still on notice (objections accepted against it)


def public_notice_list(today: date | None = None) -> QuerySet[PublicNotice]:
    """Open notices that have started, the latest first."""
    today = today or timezone.localdate()
    return (
        PublicNotice.objects.filter(status=NoticeStatus.OPEN, starts_on__lte=today)
        .select_related("region")
        .order_by("-starts_on", "-pk")
    )


def public_notice(public_id: UUID, today: date | None = None) -> PublicNotice:
    """A notice that has started (open or closed); NotFound before it starts."""
    today = today or timezone.localdate()
    notice = (
        PublicNotice.objects.select_related("region")
        .filter(public_id=public_id, starts_on__lte=today)
        .first()
    )
    if notice is None:
        raise NotFound(_("Public notice not found."))
    return notice


def accepts_objections(notice: PublicNotice, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.status == NoticeStatus.OPEN and notice.starts_on <= today <= notice.ends_on


def public_candidates(notice: PublicNotice) -> list[PublicCandidate]:
    """The notice's candidates by division code, in one query."""
    entries = (
        NoticeEntry.objects.filter(notice=notice)
        .select_related(*(f"application__{r}" for r in RELATED))
        .order_by("application__community__region__code", "pk")
    )
    rows = []
    for entry in entries:
        application = entry.application
        names: dict[str, str] = {}
        region: Any = application.community.region
        while region is not None:
            names[region.level] = region.name
            region = region.parent if region.level != Level.CITY else None
        step = application.current_step
        rows.append(
            PublicCandidate(
                application_id=application.pk, community=names.get(Level.COMMUNITY, ""),
                street=names.get(Level.STREET, ""), county=names.get(Level.COUNTY, ""),
                city=names.get(Level.CITY, ""), title=application.get_title_kind_display(),
                under_notice=application.status == ApplicationStatus.IN_REVIEW
                and step is not None and step.kind == StepKind.NOTICE,
            )
        )  # fmt: skip
    return rows


# ---------------------------------------------------------------------------- batch pages


@dataclass(frozen=True)
class BatchRegion:
    """A region whose batches the actor runs, with what waits there."""

    region: Region
    sampling: int  # applications waiting for a draw (provinces)
    notice: int  # waiting for a public notice
    naming: int  # waiting for naming


def batch_regions(actor: Any) -> list[BatchRegion]:
    """The regions where the actor holds a batch role (housing, administrator), top first."""
    codes = {g.code for g in grants(actor) if g.role in BATCH_ROLES}
    rows = []
    for region in Region.objects.filter(code__in=codes).order_by("code"):
        province = region.level == Level.PROVINCE
        rows.append(
            BatchRegion(
                region=region,
                sampling=len(sampling_waiting(region)) if province else 0,
                notice=len(notice_candidates(region.code, region.level)),
                naming=len(naming_candidates(region.code, region.level)),
            )
        )
    return rows


def access_batch_region(actor: Any, region_id: Any) -> Region:
    """A region the actor may see the batches of; NotFound else."""
    region = Region.objects.filter(pk=region_id).first() if str(region_id).isdigit() else None
    if region is None or not can_view_batches_of(actor, region):
        raise NotFound(_("Region not found."))
    return region


def naming_decision_list(actor: Any) -> QuerySet[NamingDecision]:
    return (
        NamingDecision.objects.filter(scope_q(actor, "region__code"))
        .select_related("region")
        .order_by("-decided_on", "-pk")
    )


def access_naming_decision(actor: Any, decision_id: Any) -> NamingDecision:
    try:
        return naming_decision_list(actor).get(pk=decision_id)
    except (NamingDecision.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Naming decision not found.")) from None
