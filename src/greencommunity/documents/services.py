"""Create jobs, run them, and record their progress."""

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError

from .models import Job, JobStatus
from .registry import job_kind

log = logging.getLogger(__name__)


@transaction.atomic
def job_create(
    *,
    actor: Any,
    kind: str,
    params: dict[str, Any] | None = None,
    region_code: str = "",
    upload: UploadedFile | None = None,
) -> Job:
    """Record a job and enqueue it once the transaction commits."""
    job_kind(kind)  # unknown kinds fail here, not in the worker
    job = Job(kind=kind, created_by=actor, params=params or {}, region_code=region_code)
    if upload is not None:
        job.input_name = upload.name or ""
        job.input_file.save(upload.name or "upload", upload, save=False)
    job.save()
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job_id=str(job.pk)))
    return job


def can_confirm_job(actor: Any, job: Job) -> bool:
    """A successful preview (dry run) of a confirmable kind, by its creator, not yet confirmed."""
    return (
        job.created_by_id == getattr(actor, "pk", None)
        and job.status == JobStatus.SUCCEEDED
        and bool(job.params.get("dry_run"))
        and job_kind(job.kind).confirmable
        and not job.result.get("confirmed_by")
    )


@transaction.atomic
def job_confirm(*, actor: Any, job: Job) -> Job:
    """Run a previewed file for real: a new job on the same stored input, not a dry run."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not can_confirm_job(actor, job):
        raise ApplicationError(_("This import cannot be confirmed (again)."))
    real = Job(
        kind=job.kind,
        created_by=actor,
        params={**job.params, "dry_run": False, "preview": str(job.pk)},
        region_code=job.region_code,
        input_name=job.input_name,
    )
    real.input_file.name = job.input_file.name  # the same stored file
    real.save()
    job.result = {**job.result, "confirmed_by": str(real.pk)}
    job.save(update_fields=["result"])
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job_id=str(real.pk)))
    return real


def job_progress(job: Job, done: int, total: int, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message[:500])
    job.done, job.total, job.message = done, total, message


def job_run(job_id: str) -> Job:
    """Run a queued job's handler (idempotent: a finished or running job is left alone)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job
        job.status, job.started_at = JobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    try:
        result = job_kind(job.kind).handler(
            job, lambda done, total, message="": job_progress(job, done, total, message)
        )
    except ApplicationError as exc:
        job.status, job.message = JobStatus.FAILED, exc.message[:500]
        job.errors = exc.extra.get("errors", [])
    except Exception:
        log.exception("job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.message = _(
            "The job failed because of an internal error; the administrator can "
            "find it in the log (job %(id)s)."
        ) % {"id": job.pk}
        job.errors = []  # the traceback is in the log, never shown to users
    else:
        job.status, job.result = JobStatus.SUCCEEDED, result or {}
        job.done = job.total or job.done
    job.finished_at = timezone.now()
    job.save()
    return job


def job_attach_result(job: Job, name: str, content: bytes) -> None:
    """Store the job's result file (through Django storage, so S3 can replace disk)."""
    job.result_name = name
    job.result_file.save(name, ContentFile(content), save=False)
    job.save(update_fields=["result_name", "result_file"])
