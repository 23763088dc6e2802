from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "greencommunity.demo"
    label = "demo"
