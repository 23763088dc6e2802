"""命名: a naming decision (命名决定) with its document number (文号) names a batch of the
applications waiting at a naming step ("成熟一批、命名一批").

The housing department (or administrator) of the region that takes the naming step issues it
for applications of one title, none with an open objection. For the demonstration title each
city's quota is checked again (the batch's own applications count as what is added, not as
pending). Each application gets its title with the next certificate number of the naming
jurisdiction's pattern (`titles.title_grant`, in division-code order, e.g. SC-LSSQ-2024-0001
onwards), an approving decision at the naming step, and is closed as named; the committee is
e-mailed after commit. The decision's PDF (`naming_document`) is stored with it. A document
number is used once per region.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.models import Region

from ..models import (
    Application,
    ApplicationStatus,
    Decision,
    NamingDecision,
    StepKind,
    TitleKind,
    Verdict,
)
from ..naming_document import naming_decision_pdf
from ..policies import decider_region
from ..policies_batches import can_name, can_view_batches_of
from ..selectors import access_application
from ..selectors_batches import open_objections
from ..selectors_quota import city_code_of, city_of, quota_check
from .batches import clean_day, clean_text, community_names, move_or_refuse, refuse_undecidable
from .common import load_application, user_or_none
from .titles import title_grant

MAX_DOCUMENT_NUMBER = 60  # NamingDecision.document_number's length
YEARS = range(2000, 2101)


def _number_taken(region: Region, document_number: str) -> ApplicationError:
    return ApplicationError(
        _("The document number %(number)s is already used by a naming decision of %(region)s.")
        % {"number": document_number, "region": region.name},
        {"field": "document_number"},
    )


def _clean(
    region: Region, title_kind: str, year: int, document_number: str, heading: str, body: str
) -> tuple[str, str, str]:
    if title_kind not in TitleKind.values:
        raise ApplicationError(_("Choose the title."), {"field": "title_kind"})
    if not isinstance(year, int) or year not in YEARS:
        raise ApplicationError(_("Give the year of the titles."), {"field": "year"})
    number = clean_text(
        document_number, "document_number", required=_("Give the document number."),
        max_length=MAX_DOCUMENT_NUMBER,
    )  # fmt: skip
    if NamingDecision.objects.filter(region=region, document_number=number).exists():
        raise _number_taken(region, number)
    heading = clean_text(heading, "heading", required=_("Write the heading."), max_length=200)
    return number, heading, clean_text(body, "body", max_length=20000)


def _load(actor: Any, ids: list[int]) -> list[Application]:
    """The applications, locked, in division-code order; NotFound outside the actor's scope."""
    for pk in ids:  # the same not-found for a missing one and one the actor may not see
        if actor is not None:
            access_application(actor, pk)
    applications = [load_application(pk, lock=True) for pk in ids]
    return sorted(applications, key=lambda a: (a.community.region.code, a.pk))


def _check(applications: list[Application], region: Region, title_kind: str) -> None:
    def waiting(a: Application) -> bool:
        step = a.current_step
        return (
            a.status == ApplicationStatus.IN_REVIEW
            and step is not None
            and step.kind == StepKind.NAMING
            and decider_region(step.level, a.community.region.code)[0] == region.code
        )

    wrong = [a for a in applications if not waiting(a)]
    if wrong:
        raise ApplicationError(
            _("The applications of %(communities)s do not wait for naming by %(region)s.")
            % {"communities": community_names(wrong), "region": region.name},
            {"field": "applications"},
        )
    other_title = [a for a in applications if a.title_kind != title_kind]
    if other_title:
        raise ApplicationError(
            _("The applications of %(communities)s are for another title.")
            % {"communities": community_names(other_title)},
            {"field": "applications"},
        )
    objected = list(open_objections(a.pk for a in applications))
    if objected:
        raise ApplicationError(
            _("Resolve the open objections to %(communities)s first.")
            % {"communities": community_names([o.application for o in objected])},
            {"field": "applications", "objections": [o.pk for o in objected]},
        )


def _check_quota(applications: list[Application], decided_on: date) -> None:
    """Each city's demonstration quota with the batch's applications added."""
    by_city: dict[str, list[Application]] = {}
    for application in applications:
        by_city.setdefault(city_code_of(application.community.region.code), []).append(application)
    for city_applications in by_city.values():
        ids = [a.pk for a in city_applications]
        quota_check(
            city_of(city_applications[0].community), adding=len(ids), exclude=ids, on=decided_on
        )


def naming_decide(
    *,
    actor: Any,
    region: Region,
    title_kind: str,
    year: int,
    document_number: str,
    heading: str,
    body: str,
    decided_on: date,
    application_ids: Iterable[int],
) -> NamingDecision:
    """Name the applications (see the module's text); the decision with its stored PDF."""
    if actor is not None:
        if not can_view_batches_of(actor, region):
            raise NotFound(_("Region not found."))
        if not can_name(actor, region):
            raise PermissionDenied(
                _("The naming decisions of %(region)s are not yours.") % {"region": region.name}
            )
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise ApplicationError(_("Choose the applications to name."), {"field": "applications"})
    decided_on = clean_day(decided_on)
    stored: list[str] = []
    try:
        with transaction.atomic():
            decision = _name(actor, region, title_kind, year, document_number, heading, body,
                             decided_on, ids, stored)  # fmt: skip
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return decision


def _name(
    actor: Any,
    region: Region,
    title_kind: str,
    year: int,
    document_number: str,
    heading: str,
    body: str,
    decided_on: date,
    ids: list[int],
    stored: list[str],
) -> NamingDecision:
    number, heading, body = _clean(region, title_kind, year, document_number, heading, body)
    applications = _load(actor, ids)
    _check(applications, region, title_kind)
    refuse_undecidable(actor, applications)
    if title_kind == TitleKind.DEMONSTRATION:
        _check_quota(applications, decided_on)
    user = user_or_none(actor)
    try:
        with transaction.atomic():  # a savepoint: the unique number is checked by the database
            decision = NamingDecision.objects.create(
                region=region, title_kind=title_kind, year=year, document_number=number,
                heading=heading, body=body, decided_on=decided_on, created_by=user,
            )  # fmt: skip
    except IntegrityError:
        raise _number_taken(region, number) from None
    opinion = f"{heading}（{number}）"
    decisions = []
    for application in applications:
        step = application.current_step
        assert step is not None  # checked above
        title_grant(
            actor=actor, community=application.community, kind=title_kind, year=year,
            named_on=decided_on, decision=decision, application=application,
        )  # fmt: skip
        move_or_refuse(application, from_step=step, status=ApplicationStatus.NAMED)
        decisions.append(
            Decision(
                application=application,
                step=step,
                verdict=Verdict.APPROVE,
                opinion=opinion,
                decided_on=decided_on,
                actor=user,
            )
        )
    Decision.objects.bulk_create(decisions)
    decision.document.save(f"{uuid.uuid4().hex}.pdf", ContentFile(naming_decision_pdf(decision)),
                           save=False)  # fmt: skip
    stored.append(str(decision.document.name))
    decision.save(update_fields=["document", "updated_at"])
    audit_record(
        actor=actor, verb="naming.decide", target=decision, region_code=region.code,
        summary=_("%(number)s names %(count)d communities: %(heading)s")
        % {"number": number, "count": len(applications), "heading": heading},
        after={"document_number": number, "title_kind": title_kind, "year": year,
               "decided_on": decided_on, "applications": [a.pk for a in applications],
               "document": decision.document.name},
    )  # fmt: skip
    return decision
