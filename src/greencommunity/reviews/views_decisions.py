"""Deciding an application's review step, the joint opinions a step asks for, the reviewer's
score beside the community's (saved per criterion with htmx, the totals swapped in out of
band), the 审批表 that records every level's opinion (DOCX, PDF, a zip of many), the seal images
of decisions, and the inbox of what waits for the user.

A decision carries the version the page showed (`expected_version`): when someone else
decided meanwhile, the service's message is shown and nothing is written.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.pdf import PDF_CONTENT_TYPE

from .approval_form import (
    approval_form_docx,
    approval_form_filename,
    approval_form_pdf,
    approval_forms_zip,
)
from .forms_applications import (
    ApplicationFilterForm,
    DecisionForm,
    JointOpinionForm,
    ReviewerAnswerForm,
)
from .models import Application, ApplicationStatus, ReviewStep, Verdict
from .policies import can_add_joint_opinion, can_decide_application, can_score_application
from .selectors import CriterionRow, access_application, inbox, joint_departments, side_by_side
from .selectors_pages import (
    SelfFacts,
    access_decision,
    application_page_list,
    scoring_step,
    self_facts,
    step_choices,
)
from .services import application_decide, joint_opinion_add, reviewer_answer_set
from .services.common import stale
from .views_applications import PAGE, application_view, crumbs, detail_url, page_context

ZIP_LIMIT = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCORE = "reviews/pages/application_score.html"
INBOX = "reviews/pages/inbox.html"
SEAL_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip


# ---------------------------------------------------------------------------- decide


def _decided_message(application: Application, verdict: str) -> str:
    if verdict == Verdict.APPROVE:
        step = application.current_step
        return _("Approved: the application moves on to “%(step)s”.") % {
            "step": step.name if step else "—"
        }
    if verdict == Verdict.RETURN:
        return _("Returned to the community for revision.")
    return _("Rejected: the application is closed.")


@require_POST
@application_view
def application_decide_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Approve, return or reject the review step the application waits at."""
    application = access_application(request.user, pk)
    posted_version = request.POST.get("expected_version", "")
    if not can_decide_application(request.user, application):
        if posted_version != str(application.version):  # decided by someone else meanwhile
            messages.error(request, stale().message)
            return redirect(detail_url(application))
        raise PermissionDenied(_("This step is not yours to decide."))
    step = application.current_step
    assert step is not None
    form = DecisionForm(request.POST, request.FILES, step=step, version=application.version)
    if form.is_valid():
        try:
            application_decide(actor=request.user, application=application, **form.decision())
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            if exc.extra.get("reason") == "stale":
                return _stale_decision(request, pk, exc)
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _decided_message(application, form.cleaned_data["verdict"]))
            return redirect(detail_url(application))
    return render(request, PAGE, page_context(request, application, decision_form=form))


def _stale_decision(request: HtmxHttpRequest, pk: int, exc: ApplicationError) -> HttpResponse:
    """The page as it is now, with the service's message; the opinion typed is kept when the
    user may still decide (the form then carries the current version)."""
    application = access_application(request.user, pk)
    step = application.current_step
    if step is None or not can_decide_application(request.user, application):
        messages.error(request, exc.message)
        return redirect(detail_url(application))
    data = request.POST.copy()
    data["expected_version"] = str(application.version)
    form = DecisionForm(data, step=step, version=application.version)
    form.is_valid()
    form.add_error(None, exc.message)
    return render(request, PAGE, page_context(request, application, decision_form=form))


# ---------------------------------------------------------------------------- joint opinions


@require_POST
@application_view
def joint_opinion_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A department's joint opinion on the step the application waits at."""
    application = access_application(request.user, pk)
    step = application.current_step
    departments = (
        [d for d in joint_departments(step) if can_add_joint_opinion(request.user, application,
                                                                      step, d)]
        if step is not None and application.status == ApplicationStatus.IN_REVIEW
        else []
    )  # fmt: skip
    if not departments:
        raise PermissionDenied(_("You may not give a joint opinion on this application."))
    form = JointOpinionForm(request.POST, departments=departments)
    if form.is_valid():
        try:
            joint_opinion_add(actor=request.user, application=application, **form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("The opinion of %(department)s is recorded.")
                % {"department": form.cleaned_data["department"]},
            )
            return redirect(detail_url(application, "joint-opinions"))
    return render(request, PAGE, page_context(request, application, joint_form=form))


# ---------------------------------------------------------------------------- the score


@dataclass(frozen=True)
class ScoreRow:
    row: CriterionRow
    facts: SelfFacts | None
    save_url: str
    error: str = ""


def _score_context(
    request: HtmxHttpRequest, application: Application, step: ReviewStep
) -> dict[str, Any]:
    view = side_by_side(application, step)
    facts = self_facts(application)
    base = reverse("reviews:reviewer_answer", args=[application.pk, 0]).removesuffix("0/")
    rows = [ScoreRow(r, facts.get(r.criterion_id), f"{base}{r.criterion_id}/") for r in view.rows]
    editable = (
        can_score_application(request.user, application) and application.current_step_id == step.pk
    )
    return {
        "application": application,
        "step": step,
        "view": view,
        "rows": rows,
        "points_mode": application.assessment.standard.scoring_mode == "points",
        "editable": editable,
        "crumbs": crumbs(application, _("Reviewer's score")),
    }


@require_GET
@application_view
def application_score_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Per criterion the community's answer and the reviewer's own at the scoring step (the
    current one, else the last one scored), both totals and pass or fail."""
    application = access_application(request.user, pk)
    step = scoring_step(application)
    if step is None:
        raise NotFound(_("No step of this application's chain has scored it yet."))
    return render(request, SCORE, _score_context(request, application, step))


@require_POST
@application_view
def reviewer_answer_view(request: HtmxHttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """Save the reviewer's answer to one criterion. With htmx: the criterion's reviewer state
    and, out of band, both totals; without: back to the row."""
    application = access_application(request.user, pk)
    if not can_score_application(request.user, application):
        raise PermissionDenied(_("The step is not yours to score."))
    form = ReviewerAnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            reviewer_answer_set(
                actor=request.user, application=application, criterion_id=criterion_id,
                **form.answer(),
            )  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            error = exc.message
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    url = reverse("reviews:application_score", args=[application.pk])
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{url}#criterion-{criterion_id}")
    step = application.current_step
    assert step is not None
    context = _score_context(request, application, step)
    found = [r for r in context["rows"] if r.row.criterion_id == criterion_id]
    if not found:
        raise NotFound(_("This criterion is not part of the assessment's standard."))
    mine = {**context, "item": ScoreRow(found[0].row, found[0].facts, found[0].save_url, error)}
    html = render_to_string(f"{SCORE}#reviewer_state", mine, request)
    html += render_to_string(f"{SCORE}#totals", {**context, "oob": True}, request)
    return HttpResponse(html)


# ---------------------------------------------------------------------------- the 审批表


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@application_view
def approval_form_docx_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    filename = approval_form_filename(application, "docx")
    return download(approval_form_docx(application), DOCX, filename)


@require_GET
@application_view
def approval_form_pdf_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    filename = approval_form_filename(application, "pdf")
    return download(approval_form_pdf(application), PDF_CONTENT_TYPE, filename)


def _ids(request: HtmxHttpRequest) -> list[int]:
    values = [v for raw in request.GET.getlist("ids") for v in raw.split(",")]
    return [int(v) for v in values if v.strip().isdigit()]


@require_GET
@application_view
def approval_forms_zip_view(request: HtmxHttpRequest) -> HttpResponse:
    """The forms of the applications chosen (`ids`) or, without ids, of those the list's
    filters match, as one zip; only applications the actor may see, at most 50."""
    form = ApplicationFilterForm(request.GET or None, steps=step_choices())
    applications = application_page_list(actor=request.user, **form.filters())
    ids = _ids(request)
    if ids or request.GET.get("selected"):
        applications = applications.filter(pk__in=ids)
    chosen = list(applications[: ZIP_LIMIT + 1])
    back = reverse("reviews:application_list")
    if not chosen:
        messages.error(request, _("No application to download."))
        return redirect(back)
    if len(chosen) > ZIP_LIMIT:
        messages.error(
            request,
            _("At most %(max)d forms at once: choose fewer applications or filter the list.")
            % {"max": ZIP_LIMIT},
        )
        return redirect(f"{back}?{request.GET.urlencode()}")
    filename = f"审批表-{timezone.localdate():%Y%m%d}.zip"
    return download(approval_forms_zip(chosen), "application/zip", filename)


# ---------------------------------------------------------------------------- seals, inbox


@require_GET
@application_view
def decision_seal_view(request: HtmxHttpRequest, decision_id: int) -> FileResponse:
    """A decision's seal image, for readers of the application only."""
    decision = access_decision(request.user, decision_id)
    name = str(decision.seal.name or "")
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in SEAL_TYPES:
        raise Http404(_("Seal not found."))
    try:
        handle = decision.seal.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Seal not found.")) from None
    response = FileResponse(handle, content_type=SEAL_TYPES[suffix], filename=f"seal{suffix}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@application_view
def inbox_view(request: HtmxHttpRequest) -> HttpResponse:
    """What waits for the user: steps to decide (oldest due first, overdue marked) and, for a
    community committee, applications returned for revision."""
    items = inbox(request.user)
    context = {
        "decide": [i for i in items if i.action == "decide"],
        "revise": [i for i in items if i.action == "revise"],
        "crumbs": [
            {"label": _("Home"), "url": reverse("core:home")},
            {"label": _("Inbox"), "url": ""},
        ],
    }
    return render(request, INBOX, context)
