from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "greencommunity.standards"
    label = "standards"
