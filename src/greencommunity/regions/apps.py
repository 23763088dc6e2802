from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RegionsConfig(AppConfig):
    name = "greencommunity.regions"
    label = "regions"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels

        from .jobs import register_registry_jobs

        register_registry_jobs()
        register_verb_labels(VERB_LABELS)


VERB_LABELS = {
    "region.create": pgettext_lazy("audit action", "Region created"),
    "community.update_profile": pgettext_lazy("audit action", "Community profile changed"),
    "compound.create": pgettext_lazy("audit action", "Compound added"),
    "compound.update": pgettext_lazy("audit action", "Compound changed"),
    "compound.delete": pgettext_lazy("audit action", "Compound removed"),
    "indicator_value.set": pgettext_lazy("audit action", "Indicator value entered"),
    "indicator_value.delete": pgettext_lazy("audit action", "Indicator value removed"),
    "registry.import_regions": pgettext_lazy("audit action", "Regions imported"),
    "registry.import_compounds": pgettext_lazy("audit action", "Compounds imported"),
    "registry.import_indicators": pgettext_lazy("audit action", "Indicators imported"),
    "division.*": pgettext_lazy("audit action", "Division change recorded"),
}
