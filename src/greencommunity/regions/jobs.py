"""Registry imports as jobs: first a preview (dry run) showing the errors or what would
change, then, once the user confirms, the same file for real (documents' confirmable kinds)."""

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greencommunity.core.errors import ApplicationError
from greencommunity.documents.commands import MAX_IMPORT_ROWS
from greencommunity.documents.registry import register_job_kind
from greencommunity.documents.xlsx import read_table

from .services.data_import import (
    COMPOUND_ALIASES,
    compounds_import,
    indicator_aliases,
    indicators_import,
)
from .services.registry_import import ALIASES, regions_import

# kind name → (label, aliases, importer)
IMPORTS: dict[str, tuple[Any, Callable[[], Mapping[str, Any]], Callable[..., Any]]] = {
    "registry.regions": (gettext_lazy("Regions and communities import"), lambda: ALIASES,
                         regions_import),
    "registry.compounds": (gettext_lazy("Residential compounds import"),
                           lambda: COMPOUND_ALIASES, compounds_import),
    "registry.indicators": (gettext_lazy("Yearly indicators import"), indicator_aliases,
                            indicators_import),
}  # fmt: skip


def _handler(kind: str) -> Callable[[Any, Callable[..., None]], dict[str, Any]]:
    _label, aliases, importer = IMPORTS[kind]

    def run(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
        if not job.input_file:
            raise ApplicationError(_("The job has no file to import."))
        with job.input_file.open("rb") as f:
            rows = read_table(f, aliases=aliases(), name=job.input_name, max_rows=MAX_IMPORT_ROWS)
        progress(0, len(rows), _("Checking rows"))
        summary = importer(
            actor=job.created_by, rows=rows, dry_run=bool(job.params.get("dry_run")),
            progress=progress,
        )  # fmt: skip
        progress(len(rows), len(rows), _("Checked") if summary.dry_run else _("Imported"))
        return dict(summary.as_dict())

    return run


def register_registry_jobs() -> None:
    for kind, (label, _aliases, _importer) in IMPORTS.items():
        register_job_kind(kind, _handler(kind), label=label, confirmable=True)
