"""Application pages (申报): the list, making one from a self-assessment, its page with the 审批表
fields, attachments, the chain as a timeline and the decisions, submitting and withdrawing.
Deciding, joint opinions, the reviewer's score, the 审批表 downloads and the inbox are in
`views_decisions`.

Thin adapters: reads through `selectors` / `selectors_pages`, writes through the services, who
may through `policies`. An application outside the actor's scope is a 404; an action the actor
may not take is a 403; writes are POST only; a refusal is shown at the field the service names.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from greencommunity.assessments.selectors import access_assessment
from greencommunity.audit.policies import can_view_audit_for_region
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest, signed_in_view
from greencommunity.regions.forms import add_service_errors

from .forms_applications import (
    ApplicationFieldsForm,
    ApplicationFilterForm,
    ApplicationStartForm,
    DecisionForm,
    JointOpinionForm,
)
from .models import Application
from .policies import (
    can_add_joint_opinion,
    can_create_application,
    can_decide_application,
    can_edit_application,
    can_score_application,
    can_withdraw_application,
)
from .selectors import access_application
from .selectors_pages import (
    access_attachment,
    application_page,
    application_page_list,
    apply_candidates,
    step_choices,
)
from .services import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_delete,
)
from .services.applications import FORM_FIELDS

PAGE = "reviews/pages/application_detail.html"
LIST = "reviews/pages/application_list.html"
PAGE_SIZE = 25
ATTACHMENT_ACCEPT = "image/*,.pdf,.doc,.docx"
FIELDS = {f: f for f in FORM_FIELDS}
View = Callable[..., HttpResponseBase]


application_view = signed_in_view  # signed in; NotFound → 404, PermissionDenied → 403


def crumbs(application: Application | None = None, *extra: str) -> list[dict[str, str]]:
    """Home > Applications (> the application (> extra)); the last one is the current page."""
    trail = [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Applications"), "url": reverse("reviews:application_list")},
    ]
    if application is not None:
        label = f"{application.community.region.name} · {application.get_title_kind_display()}"
        trail.append({"label": label, "url": detail_url(application)})
    trail += [{"label": label, "url": ""} for label in extra]
    trail[-1]["url"] = ""
    return trail


def detail_url(application: Application, anchor: str = "") -> str:
    url = reverse("reviews:application_detail", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def fields_form_of(application: Application) -> ApplicationFieldsForm:
    return ApplicationFieldsForm(initial={f: getattr(application, f) for f in FORM_FIELDS})


def page_context(
    request: HtmxHttpRequest,
    application: Application,
    *,
    fields_form: ApplicationFieldsForm | None = None,
    decision_form: DecisionForm | None = None,
    joint_form: JointOpinionForm | None = None,
    attachment_errors: list[str] | None = None,
) -> dict[str, Any]:
    actor = request.user
    page = application_page(application)
    step = application.current_step
    can_edit = can_edit_application(actor, application)
    can_decide = can_decide_application(actor, application)
    departments = [
        d for d in page.asked_departments
        if step is not None and can_add_joint_opinion(actor, application, step, d)
    ] if application.status == "in_review" else []  # fmt: skip
    if can_decide and decision_form is None and step is not None:
        decision_form = DecisionForm(step=step, version=application.version)
    if departments and joint_form is None:
        joint_form = JointOpinionForm(departments=departments)
    return {
        "application": application,
        "community": application.community,
        "page": page,
        "can_edit": can_edit,
        "can_withdraw": can_withdraw_application(actor, application),
        "can_decide": can_decide,
        "can_score": can_score_application(actor, application),
        "can_view_audit": can_view_audit_for_region(actor, application.community.region.code),
        "fields_form": fields_form or (fields_form_of(application) if can_edit else None),
        "decision_form": decision_form if can_decide else None,
        "joint_form": joint_form if departments else None,
        "attachment_errors": attachment_errors or [],
        "attachment_accept": ATTACHMENT_ACCEPT,
        "crumbs": crumbs(application),
    }


# ---------------------------------------------------------------------------- list, start


@vary_on_headers("HX-Request")
@require_GET
@application_view
def application_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """The applications the actor may see: filters by status, title, year and step, 25 a
    page; a committee also sees the self-assessments it may apply with."""
    form = ApplicationFilterForm(request.GET or None, steps=step_choices())
    filters = form.filters()
    applications = application_page_list(actor=request.user, **filters)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "applications": page.object_list,
        "filtered": any(v not in ("", None) for v in filters.values()),
        "start_form": ApplicationStartForm(),
        "today": timezone.localdate(),
        "crumbs": crumbs(),
    }
    template = LIST
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    else:
        context["candidates"] = apply_candidates(request.user)
    return render(request, template, context)


@require_POST
@application_view
def application_start_view(request: HtmxHttpRequest) -> HttpResponse:
    """Make a draft application from a submitted, passing self-assessment (posted by the
    self-assessment page and the list); a refusal is shown where the form came from."""
    form = ApplicationStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reviews:application_list")
    assessment = access_assessment(request.user, form.cleaned_data["assessment"])
    if not can_create_application(request.user, assessment.community):
        raise PermissionDenied(_("Only the community committee applies for its community."))
    try:
        application = application_create(
            actor=request.user, assessment=assessment, title_kind=form.cleaned_data["title_kind"]
        )
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if request.POST.get("back") == "list":
            return redirect("reviews:application_list")
        return redirect("assessments:detail", pk=assessment.pk)
    messages.success(
        request, _("The application is made: check the form, add attachments and submit it.")
    )
    return redirect(detail_url(application))


# ---------------------------------------------------------------------------- the page


def _fields_response(
    request: HtmxHttpRequest, application: Application, form: ApplicationFieldsForm
) -> HttpResponse:
    context = page_context(request, application, fields_form=form)
    if request.htmx:
        return render(request, f"{PAGE}#fields", {**context, "saved": not form.errors})
    return render(request, PAGE, context)


@require_http_methods(["GET", "POST"])
@application_view
def application_detail_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The application; a POST saves the 审批表 fields (with htmx: the form's card)."""
    application = access_application(request.user, pk)
    if request.method == "GET":
        return render(request, PAGE, page_context(request, application))
    form = ApplicationFieldsForm(request.POST)
    if form.is_valid():
        try:
            application = application_update(
                actor=request.user, application=application, **form.values()
            )
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc, FIELDS)
        else:
            if not request.htmx:
                messages.success(request, _("The form is saved."))
                return redirect(detail_url(application, "application-fields"))
            form = fields_form_of(application)
    return _fields_response(request, application, form)


@require_POST
@application_view
def application_submit_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save the posted 审批表 fields (when the form's submit button posted them), then send the
    application to its chain, or back to the step that returned it. A refusal is shown at the
    form: the missing fields at theirs, the rest on top."""
    application = access_application(request.user, pk)
    posted = any(f in request.POST for f in FORM_FIELDS)
    form = ApplicationFieldsForm(request.POST if posted else
                                 {f: getattr(application, f) for f in FORM_FIELDS})  # fmt: skip
    try:
        if posted and form.is_valid():
            application = application_update(
                actor=request.user, application=application, **form.values()
            )
        application = application_submit(actor=request.user, application=application)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        form.is_valid()
        add_service_errors(form, exc, FIELDS)
        return _fields_response(request, application, form)
    step = application.current_step
    messages.success(
        request,
        _("The application is submitted to “%(step)s”.") % {"step": step.name if step else "—"},
    )
    if request.htmx:
        return HttpResponseClientRedirect(detail_url(application))
    return redirect(detail_url(application))


@require_POST
@application_view
def application_withdraw_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    if not can_withdraw_application(request.user, application):
        raise PermissionDenied(_("Only the community committee withdraws its application."))
    try:
        application_withdraw(actor=request.user, application=application)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect(detail_url(application))


# ---------------------------------------------------------------------------- attachments


def _attachments_response(
    request: HtmxHttpRequest, application: Application, errors: list[str]
) -> HttpResponse:
    if not request.htmx and not errors:
        return redirect(detail_url(application, "attachments"))
    context = page_context(request, application, attachment_errors=errors)
    return render(request, f"{PAGE}#attachments" if request.htmx else PAGE, context)


@require_POST
@application_view
def attachment_upload_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Attach the posted files (`files`, one or more), each checked on its own."""
    application = access_application(request.user, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied(_("Only the community committee changes its application."))
    uploads = request.FILES.getlist("files")
    errors = [] if uploads else [_("Choose one or more files to upload.")]
    for upload in uploads:
        try:
            attachment_add(actor=request.user, application=application, upload=upload)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            errors.append(exc.message)
    return _attachments_response(request, application, errors)


@require_POST
@application_view
def attachment_delete_view(request: HtmxHttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    application = access_application(request.user, attachment.application_id)
    errors = []
    try:
        attachment_delete(actor=request.user, attachment=attachment)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        errors.append(exc.message)
    return _attachments_response(request, application, errors)


@require_GET
@application_view
def attachment_file_view(request: HtmxHttpRequest, attachment_id: int) -> FileResponse:
    """The file, for readers of the application only, always as a download."""
    attachment = access_attachment(request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404(_("Attachment not found.")) from None
    response = FileResponse(
        handle, content_type=attachment.content_type, as_attachment=True,
        filename=attachment.original_name,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
