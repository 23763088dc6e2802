"""Background work of applications: the e-mail after a transition. Enqueued after commit by
the services (`services.common.notify_after_commit`); each task takes ids and the version the
transition left, and sends nothing once the application has moved on."""

from django.tasks import task

from .notifications import notify_community, notify_step_deciders


@task()
def notify_step(*, application_id: int, step_id: int, version: int) -> int:
    return notify_step_deciders(application_id=application_id, step_id=step_id, version=version)


@task()
def notify_committee(*, application_id: int, version: int) -> int:
    return notify_community(application_id=application_id, version=version)
