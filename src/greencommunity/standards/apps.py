from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class StandardsConfig(AppConfig):
    name = "greencommunity.standards"
    label = "standards"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels

        register_verb_labels(VERB_LABELS)


VERB_LABELS = {
    "standard.adopt": pgettext_lazy("audit action", "Standard adopted"),
    "standard.area_update": pgettext_lazy("audit action", "Standard area changed"),
    "standard.criterion_create": pgettext_lazy("audit action", "Criterion added"),
    "standard.criterion_update": pgettext_lazy("audit action", "Criterion changed"),
    "standard.criterion_delete": pgettext_lazy("audit action", "Criterion removed"),
    "standard.derive": pgettext_lazy("audit action", "Standard refined"),
    "standard.import": pgettext_lazy("audit action", "Standard imported"),
    "standard.new_version": pgettext_lazy("audit action", "New standard version"),
    "standard.publish": pgettext_lazy("audit action", "Standard published"),
    "standard.update_draft": pgettext_lazy("audit action", "Standard draft changed"),
}
