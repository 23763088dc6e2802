"""What the assessment views share: the 404/403 decorator, the page's context (with what its
rows repeat computed once), and the answers to a change of one criterion: after a save, out of
band, the parts of its form the server changed or refused plus the score summary, the area
subtotals and the gap list; after an upload or deletion, its evidence block."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from greencommunity.audit.policies import can_view_audit_for_region
from greencommunity.core.http import HtmxHttpRequest, signed_in_view
from greencommunity.regions.policies import can_view_community

from ..models import Assessment, EvidenceKind
from ..policies import can_edit_assessment, is_committee_of
from ..selectors import assessment_revisions, gap_list
from ..selectors_page import CriterionRow, assessment_page, latest_revision

PAGE = "assessments/pages/assessment_detail.html"
View = Callable[..., HttpResponseBase]


assessment_view = signed_in_view  # signed in; NotFound → 404, PermissionDenied → 403


def page_url(assessment: Assessment, criterion_id: int | None = None) -> str:
    url = reverse("assessments:detail", args=[assessment.pk])
    return f"{url}#criterion-{criterion_id}" if criterion_id else url


def crumbs(actor: Any, assessment: Assessment) -> list[dict[str, str]]:
    """Home > Self-assessments > community > this assessment."""
    region = assessment.community.region
    return [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Self-assessments"), "url": reverse("assessments:list")},
        {
            "label": region.name,
            "url": reverse("regions:community_detail", args=[region.code])
            if can_view_community(actor, assessment.community)
            else "",
        },
        {
            "label": _("%(year)d, revision %(revision)d")
            % {"year": assessment.year, "revision": assessment.revision},
            "url": "",
        },
    ]


@dataclass(frozen=True)
class FileLink:
    """An evidence file as its row links to it."""

    key: str
    name: str
    size: str
    icon: str  # a Bootstrap icon for files without a thumbnail
    file_url: str
    thumbnail_url: str  # "" without a thumbnail
    delete_url: str


ICONS = {
    EvidenceKind.PDF: "bi-file-earmark-pdf text-danger-emphasis",
    EvidenceKind.WORD: "bi-file-earmark-word text-primary-emphasis",
}


def url_maker(name: str, *args: Any) -> Callable[[int], str]:
    """The addresses of `name` for many last arguments, reversed once (a page links dozens
    of files and criteria)."""
    marker = 987654321
    head, _, tail = reverse(name, args=[*args, marker]).rpartition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _file_links(rows: Iterable[CriterionRow]) -> None:
    file_url = url_maker("assessments:evidence_file")
    thumbnail_url = url_maker("assessments:evidence_thumbnail")
    delete_url = url_maker("assessments:evidence_delete")
    for row in rows:
        row.files = [
            FileLink(
                key=str(e.pk),
                name=e.original_name,
                size=filesizeformat(e.size),
                icon=ICONS.get(EvidenceKind(e.kind), "bi-file-earmark-image"),
                file_url=file_url(e.pk),
                thumbnail_url=thumbnail_url(e.pk) if e.thumbnail else "",
                delete_url=delete_url(e.pk),
            )
            for e in row.evidence
        ]


def labels() -> dict[str, str]:
    """Words every criterion row repeats, translated once per page rather than per row."""
    return {
        "points": _("Points awarded"),
        "met_or_not": _("Met or not met"),
        "met": _("Met"),
        "not_met": _("Not met"),
        "notes": _("Notes"),
        "save": _("Save"),
        "ticked": _("ticked:"),
        "not_ticked": _("not ticked:"),
        "responsible": _("Responsible:"),
        "evidence_expected": _("Evidence expected:"),
        "evidence": _("Evidence"),
        "evidence_help": _("Photos, PDF or Word documents; several at once."),
        "upload": _("Upload"),
        "download": _("Download"),
        "delete": _("Delete"),
        "delete_confirm": _("Delete this file?"),
        "no_evidence": _("No evidence attached."),
    }


def page_context(
    request: HtmxHttpRequest,
    assessment: Assessment,
    *,
    submit_error: str = "",
    open_criteria: list[int] | None = None,
) -> dict[str, Any]:
    """The assessment page: a fixed number of queries whatever the number of criteria."""
    page = assessment_page(assessment)
    answer_url = url_maker("assessments:answer", assessment.pk)
    upload_url = url_maker("assessments:evidence_upload", assessment.pk)
    for row in page.rows.values():
        row.links = {"answer": answer_url(row.criterion.pk), "upload": upload_url(row.criterion.pk)}
    _file_links(page.rows.values())
    revisions = list(assessment_revisions(assessment))
    can_edit = can_edit_assessment(request.user, assessment)
    by_number = {row.criterion.number: row for row in page.rows.values()}
    code = assessment.community.region.code
    latest = bool(latest_revision(assessment, revisions))
    return {
        "assessment": assessment,
        "community": assessment.community,
        "region": assessment.community.region,
        "standard": assessment.standard,
        "page": page,
        "gaps": gap_list(assessment),
        "revisions": revisions,
        "editable": can_edit and assessment.is_draft,
        "can_reopen": can_edit and not assessment.is_draft and latest,
        # The application for a title is made from the latest passing submitted revision, by
        # the community committee (the reviews app's service checks again).
        "can_apply": not assessment.is_draft
        and assessment.passed is True
        and latest
        and is_committee_of(request.user, assessment),
        "can_view_audit": can_view_audit_for_region(request.user, code),
        "submit_error": submit_error,
        "open_rows": [by_number[n] for n in open_criteria or [] if n in by_number],
        "crumbs": crumbs(request.user, assessment),
        "labels": labels(),
    }


def _same_points(posted: str, stored: Decimal | None) -> bool:
    text = posted.strip()
    if not text:
        return stored is None
    try:
        return stored is not None and Decimal(text) == stored
    except InvalidOperation:
        return False


def _fields_to_swap(row: CriterionRow, posted: dict[str, Any], invalid: set[str]) -> list[str]:
    """The parts of a criterion's form to send back after a save: what the server refused or
    changed (suggested points, cleaned notes) or showed refused before, so that a field the
    user is typing in meanwhile is never replaced. The radios go back every time."""
    stale = set(row.errors) | invalid
    parts = ["criterion_state", "criterion_error"]
    scored = not row.from_indicator  # a criterion answered from an indicator takes notes only
    if scored and row.points_mode:
        if "points" in stale or not _same_points(str(posted.get("points", "")), row.answer.points):
            parts.append("points_field")
        if row.subs:
            parts.append("suggestion")
    elif scored:
        parts.append("met_field")
    if scored and row.subs and ("ticked" in stale or set(posted.get("ticked", ())) != row.ticked):
        parts.append("ticks_field")
    if "notes" in stale or str(posted.get("notes", "")) != row.answer.notes:
        parts.append("notes_field")
    return parts


def answer_response(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criterion_id: int,
    *,
    posted: dict[str, Any],
    errors: dict[str, str],
) -> HttpResponse:
    """After a save of one criterion's answer. With htmx: out of band, the parts of its form
    the server changed or refused, the score summary, the compact score, the area subtotals
    and the gap list. Without: back to the page at the row, or the whole page with the
    errors at their fields."""
    if not request.htmx and not errors:
        return redirect(page_url(assessment, criterion_id))
    assessment.refresh_from_db()
    context = page_context(request, assessment)
    row: CriterionRow = context["page"].rows[criterion_id]
    parts = _fields_to_swap(row, posted, set(request.POST.getlist("invalid")))
    if errors:
        row.show_refused(posted, errors)
    if not request.htmx:
        return render(request, PAGE, context)
    oob = {**context, "oob": True}
    mine = {**oob, "row": row, "c": row.criterion, "k": row.key}
    html = "".join(render_to_string(f"{PAGE}#{part}", mine, request) for part in parts)
    for part in ("summary", "score_compact", "gaps"):
        html += render_to_string(f"{PAGE}#{part}", oob, request)
    for block in context["page"].areas:
        html += render_to_string(f"{PAGE}#area_subtotal", {**oob, "block": block}, request)
    return HttpResponse(html)


def evidence_response(
    request: HtmxHttpRequest,
    assessment: Assessment,
    criterion_id: int,
    *,
    errors: list[str] | None = None,
) -> HttpResponse:
    """After an upload or a deletion: with htmx, the criterion's evidence block; without,
    back to the page at the row, or the whole page with the errors at the upload."""
    if not request.htmx and not errors:
        return redirect(page_url(assessment, criterion_id))
    context = page_context(request, assessment)
    row: CriterionRow = context["page"].rows[criterion_id]
    row.upload_errors = errors or []
    if not request.htmx:
        return render(request, PAGE, context)
    return render(
        request, f"{PAGE}#evidence", {**context, "row": row, "c": row.criterion, "k": row.key}
    )
