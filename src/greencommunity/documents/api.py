"""Jobs API: poll a job's progress and download its result. A job belongs to the user who
started it; anyone else gets 404. The actor is `request.user` (set by every authentication
method of greencommunity.api)."""

from pathlib import PurePath
from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from greencommunity.core.errors import NotFound

from .models import Job, JobStatus
from .schemas import JobOut
from .selectors import access_job

router = Router(tags=["jobs"])


def _result_url(request: HttpRequest, job: Job) -> str | None:
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        return None
    return request.build_absolute_uri(reverse("api:job_result", kwargs={"job_id": job.pk}))


@router.get("/{job_id}", response=JobOut, url_name="job_detail")
def job_detail_endpoint(request: HttpRequest, job_id: UUID) -> object:
    """Status and progress of one of the caller's jobs, its row errors and its result."""
    job = access_job(request.user, str(job_id))
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": job.percent,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "errors": job.errors,
        "result": job.result,
        "result_name": job.result_name,
        "result_url": _result_url(request, job),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get(
    "/{job_id}/result",
    url_name="job_result",
    openapi_extra={
        "responses": {
            200: {
                "description": "The result file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def job_result_endpoint(request: HttpRequest, job_id: UUID) -> FileResponse:
    """Download the result file of one of the caller's finished jobs."""
    job = access_job(request.user, str(job_id))
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        raise NotFound(_("This job has no result file."))
    name = job.result_name or PurePath(job.result_file.name or "result").name
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
