from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "greencommunity.access"
    label = "access"

    def ready(self) -> None:
        from greencommunity.documents.registry import register_job_kind

        from .services.bulk import JOB_KIND
        from .services.bulk_files import accounts_import_job

        # A lazy label: the job page shows it in the reader's language.
        label = cast(str, _("Account import"))
        register_job_kind(JOB_KIND, accounts_import_job, label=label)
