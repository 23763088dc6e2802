from typing import Any

from django.db.models import QuerySet

from .models import Job


def can_view_job(actor: Any, job: Job) -> bool:
    """A job and its result file belong to the user who started it."""
    return bool(getattr(actor, "is_authenticated", False) and job.created_by_id == actor.pk)


def scope_jobs(actor: Any, queryset: QuerySet[Job]) -> QuerySet[Job]:
    if not getattr(actor, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(created_by_id=actor.pk)
