from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessConfig(AppConfig):
    name = "greencommunity.access"
    label = "access"

    def ready(self) -> None:
        from greencommunity.audit.labels import register_verb_labels
        from greencommunity.documents.registry import register_job_kind

        from .services.bulk import JOB_KIND
        from .services.bulk_files import accounts_import_job

        # A lazy label: the job page shows it in the reader's language.
        label = cast(str, _("Account import"))
        register_job_kind(JOB_KIND, accounts_import_job, label=label)
        register_verb_labels(VERB_LABELS)


VERB_LABELS = {
    "user.bootstrap_admin": pgettext_lazy("audit action", "First administrator created"),
    "user.create": pgettext_lazy("audit action", "Account created"),
    "user.update": pgettext_lazy("audit action", "Account changed"),
    "user.password_change": pgettext_lazy("audit action", "Password changed"),
    "user.password_reset": pgettext_lazy("audit action", "Password reset"),
    "user.activate": pgettext_lazy("audit action", "Account enabled"),
    "user.deactivate": pgettext_lazy("audit action", "Account disabled"),
    "role.grant": pgettext_lazy("audit action", "Role granted"),
    "role.revoke": pgettext_lazy("audit action", "Role revoked"),
    "token.create": pgettext_lazy("audit action", "API token created"),
    "token.revoke": pgettext_lazy("audit action", "API token revoked"),
    "user.bulk_import": pgettext_lazy("audit action", "Accounts imported"),
}
