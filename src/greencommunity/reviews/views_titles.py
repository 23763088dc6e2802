"""Title pages for signed-in users: the list of their regions' titles, a title with its status
form, history and plaque, and the import of existing titles (upload → preview → confirm, as a
job like the registry imports).

Thin adapters: reads through `selectors_titles`, writes through `services.titles`, who may
through `policies_titles`. A title outside the actor's scope is a 404; a change the actor may
not make is a 403. With htmx, the list answers only its results part.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from greencommunity.audit.selectors import event_list
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest, signed_in_view
from greencommunity.documents.models import Job
from greencommunity.documents.pdf import PDF_CONTENT_TYPE
from greencommunity.documents.policies import scope_jobs
from greencommunity.documents.services import job_create
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE

from .forms_titles import TitleFilterForm, TitleStatusForm, TitleUploadForm
from .jobs import TITLES_IMPORT
from .models import Title
from .plaque import plaque_pdf
from .policies_titles import can_change_title, can_import_titles
from .selectors_titles import access_title, title_list, title_region_path
from .services.titles import title_set_status
from .templates_xlsx import titles_template

PAGE_SIZE = 25
DETAIL = "reviews/pages/titles_detail.html"
View = Callable[..., HttpResponse]


titles_view = signed_in_view  # signed in; NotFound → 404, PermissionDenied → 403


def _crumbs(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Titles"), "url": reverse("titles:title_list")},
        *extra,
    ]


@vary_on_headers("HX-Request")
@require_GET
@titles_view
def title_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Titles of communities in the actor's regions: filters, 25 a page."""
    form = TitleFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(title_list(request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page,
        "titles": page.object_list,
        "filtered": any(v not in ("", None) for v in filters.values()),
        "can_import": can_import_titles(request.user),
        "crumbs": [
            {"label": _("Home"), "url": reverse("core:home")},
            {"label": _("Titles"), "url": ""},
        ],
    }
    template = "reviews/pages/titles_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


def _detail_context(
    request: HtmxHttpRequest, title: Title, form: TitleStatusForm | None = None
) -> dict[str, Any]:
    can_change = can_change_title(request.user, title)
    history = event_list(request.user, target_type="reviews.title", target_id=str(title.pk))
    return {
        "title": title,
        "region_path": title_region_path(title),
        "can_change": can_change and title.status != "revoked",
        "status_form": form or (TitleStatusForm(title=title) if can_change else None),
        "history": list(history[:20]),
        "crumbs": _crumbs({"label": title.certificate_number, "url": ""}),
    }


@require_GET
@titles_view
def title_detail_view(request: HtmxHttpRequest, title_id: int) -> HttpResponse:
    title = access_title(request.user, title_id)
    return render(request, DETAIL, _detail_context(request, title))


@require_POST
@titles_view
def title_status_view(request: HtmxHttpRequest, title_id: int) -> HttpResponse:
    """Change the status: back to the title on success, the page with the form's errors else."""
    title = access_title(request.user, title_id)
    if not can_change_title(request.user, title):
        raise HttpPermissionDenied(_("You may not change the status of this title."))
    form = TitleStatusForm(request.POST, title=title)
    if form.is_valid():
        try:
            title_set_status(actor=request.user, title=title, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The status of the title was changed."))
            return redirect("titles:title_detail", title_id=title.pk)
    return render(request, DETAIL, _detail_context(request, title, form))


@require_GET
@titles_view
def title_plaque_view(request: HtmxHttpRequest, title_id: int) -> HttpResponse:
    """The plaque PDF, for anyone who may see the title."""
    title = access_title(request.user, title_id)
    response = HttpResponse(plaque_pdf(title), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"标识牌-{title.certificate_number}.pdf"
    )
    return response


@require_http_methods(["GET", "POST"])
@titles_view
def title_import_view(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a file of existing titles: a preview job (dry run) first, confirmed on its page."""
    if not can_import_titles(request.user):
        raise Http404
    form = TitleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(
            actor=request.user,
            kind=TITLES_IMPORT,
            params={"dry_run": True, "return_url": reverse("titles:title_import")},
            upload=form.cleaned_data["file"],
        )
        return redirect("documents:job_detail", job_id=job.pk)
    jobs = scope_jobs(request.user, Job.objects.filter(kind=TITLES_IMPORT)).order_by("-created_at")
    context = {
        "form": form,
        "jobs": jobs[:10],
        "crumbs": _crumbs({"label": _("Import existing titles"), "url": ""}),
    }
    return render(request, "reviews/pages/titles_import.html", context)


@require_GET
@titles_view
def title_template_view(request: HtmxHttpRequest) -> HttpResponse:
    if not can_import_titles(request.user):
        raise Http404
    response = HttpResponse(titles_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="称号导入模板.xlsx"
    )
    return response
