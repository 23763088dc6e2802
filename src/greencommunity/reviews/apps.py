from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ReviewsConfig(AppConfig):
    name = "greencommunity.reviews"
    label = "reviews"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels

        register_verb_labels(VERB_LABELS)

        from .jobs import register_title_jobs

        register_title_jobs()
        register_verb_labels(TITLE_VERB_LABELS)

        from greencommunity.assessments.guards import register_reopen_guard

        from .selectors import assessment_lock_reason

        register_reopen_guard(assessment_lock_reason)


VERB_LABELS = {
    "application.create": pgettext_lazy("audit action", "Application created"),
    "application.update": pgettext_lazy("audit action", "Application form changed"),
    "application.submit": pgettext_lazy("audit action", "Application submitted"),
    "application.withdraw": pgettext_lazy("audit action", "Application withdrawn"),
    "application.approve": pgettext_lazy("audit action", "Application step approved"),
    "application.return": pgettext_lazy("audit action", "Application returned for revision"),
    "application.reject": pgettext_lazy("audit action", "Application rejected"),
    "application.joint_opinion": pgettext_lazy("audit action", "Joint opinion given"),
    "application.score": pgettext_lazy("audit action", "Reviewer's score changed"),
    "application.attachment_add": pgettext_lazy("audit action", "Application attachment added"),
    "application.attachment_delete": pgettext_lazy(
        "audit action", "Application attachment deleted"
    ),
}

TITLE_VERB_LABELS = {
    "title.grant": pgettext_lazy("audit action", "Title granted"),
    "title.status": pgettext_lazy("audit action", "Title status changed"),
    "title.import": pgettext_lazy("audit action", "Titles imported"),
}
