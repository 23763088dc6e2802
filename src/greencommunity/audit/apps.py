from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "greencommunity.audit"
    label = "audit"
