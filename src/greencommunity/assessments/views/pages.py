"""The list of self-assessments, a community's card with the start form, the assessment page
with its answers saved in place (htmx), submitting, reopening and the score sheet downloads.

A self-assessment outside the actor's scope is a 404; a change the actor may not make is a
403; writes are POST only. With htmx, saving an answer answers the criterion's row and, out of
band, the summary and the gap list; without, it redirects back to the page.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.regions.selectors_communities import access_community
from greencommunity.standards.models import ScoringMode

from ..forms import AnswerForm, AssessmentFilterForm, AssessmentStartForm
from ..policies import can_edit_assessment, can_start_assessment
from ..score_sheet import score_sheet_pdf, score_sheet_xlsx
from ..selectors import access_assessment
from ..selectors_page import (
    assessment_criterion,
    assessment_filtered_list,
    community_assessments,
    start_standards,
)
from ..services import answer_set, assessment_reopen, assessment_start, assessment_submit
from .common import PAGE, answer_response, assessment_view, page_context, page_url

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------- list


@vary_on_headers("HX-Request")
@require_GET
@assessment_view
def assessment_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """The assessments the actor may see: filters by year, status and result, 25 a page."""
    form = AssessmentFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(assessment_filtered_list(actor=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page,
        "assessments": page.object_list,
        "filtered": any(v not in ("", None) for v in filters.values()),
        "crumbs": [
            {"label": _("Home"), "url": reverse("core:home")},
            {"label": _("Self-assessments"), "url": ""},
        ],
    }
    template = "assessments/pages/assessment_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@vary_on_headers("HX-Request")
@require_GET
@assessment_view
def community_card_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """A community's self-assessments and the start form, as a card of the community page
    (loaded by htmx); without htmx, the list filtered to the community."""
    community = access_community(request.user, code)
    if not request.htmx:
        return redirect(f"{reverse('assessments:list')}?community={community.region.code}")
    form = None
    if community.is_urban and can_start_assessment(request.user, community):
        standards, default = start_standards(community)
        form = AssessmentStartForm(
            standards=standards, default=default, initial={"community": community.region.code}
        )
    return render(
        request,
        "assessments/partials/community_card.html",
        {
            "community": community,
            "assessments": community_assessments(request.user, community),
            "start_form": form,
        },
    )


# ---------------------------------------------------------------------------- start


@require_POST
@assessment_view
def assessment_start_view(request: HtmxHttpRequest) -> HttpResponse:
    """Start the draft (or open the one that exists); a refusal is shown on the community."""
    community = access_community(request.user, str(request.POST.get("community", "")))
    standards, default = start_standards(community)
    form = AssessmentStartForm(request.POST, standards=standards, default=default)
    back = redirect("regions:community_detail", code=community.region.code)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return back
    try:
        assessment = assessment_start(
            actor=request.user, community=community, standard=form.cleaned_data["standard"],
            year=form.cleaned_data["year"],
        )  # fmt: skip
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return back
    return redirect(page_url(assessment))


# ---------------------------------------------------------------------------- the page


@require_GET
@assessment_view
def assessment_detail_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(request.user, pk)
    return render(request, PAGE, page_context(request, assessment))


def _posted(request: HtmxHttpRequest) -> dict[str, Any]:
    """The answer as posted, to show again at a refused field."""
    ticked = {int(v) for v in request.POST.getlist("ticked") if v.isdigit()}
    return {
        "met": request.POST.get("met", ""),
        "points": request.POST.get("points", ""),
        "ticked": ticked,
        "notes": request.POST.get("notes", ""),
    }


@require_POST
@assessment_view
def answer_view(request: HtmxHttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """Save one criterion's answer (the whole answer: what is not posted is cleared)."""
    assessment = access_assessment(request.user, pk)
    criterion = assessment_criterion(assessment, criterion_id)
    if not can_edit_assessment(request.user, assessment):
        raise PermissionDenied(_("You may not change the self-assessment of this community."))
    subs = [s.number for s in criterion.sub_conditions.all()]
    form = AnswerForm(request.POST, sub_numbers=subs)
    errors: dict[str, str] = {}
    if form.is_valid():
        points_mode = assessment.standard.scoring_mode == ScoringMode.POINTS
        try:
            answer_set(
                actor=request.user, assessment=assessment, criterion=criterion,
                **form.answer(points_mode=points_mode, has_sub_conditions=bool(subs)),
            )  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            errors[str(exc.extra.get("field") or "form")] = exc.message
    else:
        errors = {name: " ".join(str(m) for m in found) for name, found in form.errors.items()}
    return answer_response(
        request, assessment, criterion.pk, posted=_posted(request), errors=errors
    )


@require_POST
@assessment_view
def assessment_submit_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Lock the draft; refused while criteria are open, which the page then lists."""
    assessment = access_assessment(request.user, pk)
    try:
        assessment_submit(actor=request.user, assessment=assessment)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        context = page_context(
            request, assessment, submit_error=exc.message,
            open_criteria=list(exc.extra.get("criteria", [])),
        )  # fmt: skip
        return render(request, PAGE, context)
    messages.success(request, _("The self-assessment is submitted and locked."))
    return redirect(page_url(assessment))


@require_POST
@assessment_view
def assessment_reopen_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A new draft revision of the latest submitted one."""
    assessment = access_assessment(request.user, pk)
    try:
        draft = assessment_reopen(actor=request.user, assessment=assessment)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(page_url(assessment))
    messages.success(
        request,
        _("Revision %(revision)d is open for changes.") % {"revision": draft.revision},
    )
    return redirect(page_url(draft))


# ---------------------------------------------------------------------------- score sheet


def _sheet_name(assessment: Any, suffix: str) -> str:
    region = assessment.community.region
    name = slugify(f"{region.name}-{assessment.year}-r{assessment.revision}", allow_unicode=True)
    return f"评分表-{name}.{suffix}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@assessment_view
def score_sheet_xlsx_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(request.user, pk)
    return _download(score_sheet_xlsx(assessment), XLSX, _sheet_name(assessment, "xlsx"))


@require_GET
@assessment_view
def score_sheet_pdf_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(request.user, pk)
    return _download(score_sheet_pdf(assessment), "application/pdf", _sheet_name(assessment, "pdf"))
