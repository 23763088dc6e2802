"""What every application service shares: loading the application with what its policy,
audit label and checks need, the scope checks, the audit event, and the e-mail after commit."""

from functools import partial
from typing import Any, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

from ..models import Application, ApplicationStatus
from ..policies import can_edit_application, can_view_application
from ..tasks import notify_committee, notify_step

RELATED = ("community__region", "assessment__standard", "chain", "current_step", "returned_from")
STATE_FIELDS = ("status", "current_step_id", "returned_from_id", "due_on", "version")


def stale() -> ApplicationError:
    return ApplicationError(
        _("This step was decided by someone else meanwhile; reload the page."),
        {"reason": "stale"},
    )


def changed_meanwhile() -> ApplicationError:
    return ApplicationError(
        _("The application was changed by someone else meanwhile; reload the page."),
        {"reason": "stale"},
    )


def user_or_none(actor: Any) -> Any:
    """The actor to store on a row: None for the operator's own command."""
    return actor if getattr(actor, "is_authenticated", False) else None


def load_application(application: Application | int, *, lock: bool = False) -> Application:
    queryset = Application.objects.select_related(*RELATED)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    pk = application.pk if isinstance(application, Application) else application
    try:
        return queryset.get(pk=pk)
    except Application.DoesNotExist:
        raise NotFound(_("Application not found.")) from None


def check_view(actor: Any, application: Application) -> None:
    if actor is not None and not can_view_application(actor, application):
        raise NotFound(_("Application not found."))


def check_edit(actor: Any, application: Application) -> None:
    """NotFound outside the actor's scope; refused when the application is not with the
    community or the actor is not its committee. An actor of None (the operator) may."""
    check_view(actor, application)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise ApplicationError(
            _("The application is %(status)s: it can be changed only as a draft or when returned.")
            % {"status": application.get_status_display()},
            {"status": application.status},
        )
    if actor is not None and not can_edit_application(actor, application):
        raise PermissionDenied(_("Only the community committee changes its application."))


def refuse(errors: dict[str, str]) -> NoReturn:
    """All the problems at once: `extra["errors"]` maps each field to its message."""
    field, message = next(iter(errors.items()))
    if len(errors) > 1:
        message = _("Please correct the %(count)d errors.") % {"count": len(errors)}
    raise ApplicationError(message, {"field": field, "errors": errors})


def state(application: Application) -> dict[str, Any]:
    return {f.removesuffix("_id"): getattr(application, f) for f in STATE_FIELDS}


def record(
    actor: Any,
    verb: str,
    application: Application,
    *,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> None:
    audit_record(
        actor=actor, verb=f"application.{verb}", target=application,
        region_code=application.community.region.code, summary=summary, before=before,
        after=after,
    )  # fmt: skip


def notify_after_commit(application: Application) -> None:
    """E-mail, once the transaction commits: the deciders of the step the application has
    arrived at, or the committee when it was returned, rejected or named."""
    if application.status == ApplicationStatus.IN_REVIEW and application.current_step_id:
        transaction.on_commit(
            partial(
                notify_step.enqueue,
                application_id=application.pk,
                step_id=application.current_step_id,
                version=application.version,
            )
        )
    elif application.status in (
        ApplicationStatus.RETURNED, ApplicationStatus.REJECTED, ApplicationStatus.NAMED,
    ):  # fmt: skip
        transaction.on_commit(
            partial(
                notify_committee.enqueue,
                application_id=application.pk,
                version=application.version,
            )
        )
