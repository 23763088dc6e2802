from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "greencommunity.core"
    label = "core"
