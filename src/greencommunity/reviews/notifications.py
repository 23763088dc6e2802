"""E-mail about applications, sent by the tasks in `tasks.py` after a transition commits: to the
users who decide the step an application has arrived at, and to the community committee when
its application is returned, rejected or named. Each message goes to one recipient (no one
sees the others' addresses), in the platform's language, through Django's default mailer
(`settings.MAILERS`, the console by default).

A notice is sent only while the application is still where the transition left it (same
version), so a task run late or twice after the application moved on sends nothing.
"""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Application, ApplicationStatus
from .selectors import community_members, step_deciders


def _messages(subject: str, body: str, addresses: list[str]) -> int:
    messages = [EmailMessage(subject=subject, body=body, to=[a]) for a in addresses]
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0


def _load(application_id: int, version: int) -> Application | None:
    application = (
        Application.objects.select_related("community__region", "current_step", "returned_from")
        .filter(pk=application_id, version=version)
        .first()
    )
    return application


def _facts(application: Application) -> dict[str, object]:
    return {
        "community": application.community.region.name,
        "code": application.community.region.code,
        "title": application.get_title_kind_display(),
        "year": application.year,
        "url": settings.PUBLIC_BASE_URL,
    }


def notify_step_deciders(*, application_id: int, step_id: int, version: int) -> int:
    """Tell the step's deciders an application waits for them; returns the messages sent."""
    application = _load(application_id, version)
    if (
        application is None
        or application.status != ApplicationStatus.IN_REVIEW
        or application.current_step_id != step_id
        or application.current_step is None
    ):
        return 0
    step = application.current_step
    addresses = [u.email for u in step_deciders(step, application.community.region.code) if u.email]
    with translation.override(settings.LANGUAGE_CODE):
        facts = {**_facts(application), "step": step.name, "due": application.due_on}
        subject = _("Application waiting for your decision: %(community)s") % facts
        body = (
            _(
                "The application of %(community)s (%(code)s) for the title “%(title)s” "
                "(%(year)s) waits at the step “%(step)s”. Please decide by %(due)s.\n\n%(url)s"
            )
            % facts
        )
    return _messages(subject, body, addresses)


def notify_community(*, application_id: int, version: int) -> int:
    """Tell the community committee its application was returned, rejected or named."""
    application = _load(application_id, version)
    if application is None or application.status not in (
        ApplicationStatus.RETURNED, ApplicationStatus.REJECTED, ApplicationStatus.NAMED,
    ):  # fmt: skip
        return 0
    addresses = [u.email for u in community_members(application) if u.email]
    with translation.override(settings.LANGUAGE_CODE):
        facts = {**_facts(application), "status": application.get_status_display()}
        subject = _("Your application: %(status)s") % facts
        body = (
            _(
                "The application of %(community)s for the title “%(title)s” (%(year)s) is now: "
                "%(status)s.\n\n%(url)s"
            )
            % facts
        )
    return _messages(subject, body, addresses)
