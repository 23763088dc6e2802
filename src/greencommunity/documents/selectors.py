from typing import Any

from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound

from .models import Job
from .policies import scope_jobs


def access_job(actor: Any, job_id: str) -> Job:
    job = scope_jobs(actor, Job.objects.all()).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Job not found."))
    return job
