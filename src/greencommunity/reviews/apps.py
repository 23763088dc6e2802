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
        register_verb_labels(BATCH_VERB_LABELS)

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

BATCH_VERB_LABELS = {
    "sampling.create": pgettext_lazy("audit action", "Sampling seed fixed"),
    "sampling.draw": pgettext_lazy("audit action", "Sample drawn"),
    "sampling.inspect": pgettext_lazy("audit action", "Sampled application inspected"),
    "sampling.decide": pgettext_lazy("audit action", "Sampling batch decided"),
    "notice.create": pgettext_lazy("audit action", "Public notice published"),
    "notice.close": pgettext_lazy("audit action", "Public notice closed"),
    "objection.submit": pgettext_lazy("audit action", "Objection received"),
    "objection.resolve": pgettext_lazy("audit action", "Objection resolved"),
    "naming.decide": pgettext_lazy("audit action", "Naming decision issued"),
}
