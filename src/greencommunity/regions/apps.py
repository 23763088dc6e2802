from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "greencommunity.regions"
    label = "regions"
