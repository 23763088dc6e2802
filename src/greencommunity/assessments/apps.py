from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "greencommunity.assessments"
    label = "assessments"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels
        from greencommunity.regions.events import on_indicators_changed

        register_verb_labels(VERB_LABELS)
        on_indicators_changed(_rescore_drafts)


VERB_LABELS = {
    "assessment.start": pgettext_lazy("audit action", "Self-assessment started"),
    "assessment.answer": pgettext_lazy("audit action", "Self-assessment answer changed"),
    "assessment.submit": pgettext_lazy("audit action", "Self-assessment submitted"),
    "assessment.reopen": pgettext_lazy("audit action", "Self-assessment reopened"),
    "evidence.add": pgettext_lazy("audit action", "Evidence file added"),
    "evidence.delete": pgettext_lazy("audit action", "Evidence file deleted"),
}


def _rescore_drafts(community_ids: list[int]) -> None:
    """Indicators changed (after commit): re-score those communities' drafts in the worker."""
    from .tasks import rescore_drafts

    rescore_drafts.enqueue(community_ids=community_ids)
