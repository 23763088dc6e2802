"""Job pages: status and progress (polled with htmx), errors, and the result file.

A job belongs to the user who started it (`access_job`); anyone else gets a 404.
"""

import mimetypes
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.core.http import HtmxHttpRequest

from .models import Job
from .registry import job_kind
from .selectors import access_job
from .services import can_confirm_job, job_confirm
from .xlsx import XLSX_CONTENT_TYPE

POLL_SECONDS = 2
CONTENT_TYPES = {
    ".xlsx": XLSX_CONTENT_TYPE,
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".zip": "application/zip",
}


def _job(request: HtmxHttpRequest, job_id: UUID) -> Job:
    try:
        return access_job(request.user, str(job_id))
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _kind_label(job: Job) -> str:
    try:
        return str(job_kind(job.kind).label)
    except KeyError:
        return job.kind


def _return_url(request: HtmxHttpRequest, job: Job) -> str:
    url = str(job.params.get("return_url") or "")
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if url and ok else ""


@never_cache
@require_GET
@login_required
def job_detail_view(request: HtmxHttpRequest, job_id: UUID) -> HttpResponse:
    """The job's status; an htmx request (the page polling itself) gets only the status part."""
    job = _job(request, job_id)
    return_url = _return_url(request, job)
    context: dict[str, Any] = {
        "job": job,
        "kind_label": _kind_label(job),
        "row_errors": [e for e in job.errors if isinstance(e, dict) and "row" in e],
        "poll_seconds": POLL_SECONDS,
        "return_url": return_url,
        "can_confirm": can_confirm_job(request.user, job),
        "crumbs": [
            {"label": _("Home"), "url": reverse("core:home")},
            {"label": _kind_label(job), "url": ""},
        ],
    }
    template = "documents/pages/job_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#status"
    return render(request, template, context)


@never_cache
@require_GET
@login_required
def job_download_view(request: HtmxHttpRequest, job_id: UUID) -> FileResponse:
    """The job's result file, to the user who started the job."""
    job = _job(request, job_id)
    if not job.result_file:
        raise Http404(_("This job has no result file."))
    name = job.result_name or (job.result_file.name or "").rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0]
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The result file is missing.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )


@require_POST
@login_required
def job_confirm_view(request: HtmxHttpRequest, job_id: UUID) -> HttpResponse:
    """Confirm a previewed import: the same file runs for real as a new job."""
    job = _job(request, job_id)
    try:
        real = job_confirm(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("documents:job_detail", job_id=job.pk)
    return redirect("documents:job_detail", job_id=real.pk)
