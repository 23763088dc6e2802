from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "greencommunity.access"
    label = "access"
