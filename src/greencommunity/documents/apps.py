from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "greencommunity.documents"
    label = "documents"
