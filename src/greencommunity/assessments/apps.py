from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "greencommunity.assessments"
    label = "assessments"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels

        register_verb_labels(VERB_LABELS)


VERB_LABELS = {
    "assessment.start": pgettext_lazy("audit action", "Self-assessment started"),
    "assessment.answer": pgettext_lazy("audit action", "Self-assessment answer changed"),
    "assessment.submit": pgettext_lazy("audit action", "Self-assessment submitted"),
    "assessment.reopen": pgettext_lazy("audit action", "Self-assessment reopened"),
}
