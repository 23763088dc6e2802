from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "greencommunity.regions"
    label = "regions"

    def ready(self) -> None:
        from .jobs import register_registry_jobs

        register_registry_jobs()
