from django.tasks import task

from .services import job_run


@task()
def run_job(*, job_id: str) -> str:
    return job_run(job_id).status
