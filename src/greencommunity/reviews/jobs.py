"""The titles import as a job: first a preview (dry run) showing the errors or what would be
imported, then, once the user confirms, the same file for real (documents' confirmable kinds),
exactly as the registry imports run."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greencommunity.core.errors import ApplicationError
from greencommunity.documents.commands import MAX_IMPORT_ROWS
from greencommunity.documents.registry import register_job_kind
from greencommunity.documents.xlsx import read_table

from .services.titles_import import ALIASES, titles_import

TITLES_IMPORT = "titles.import"
LABEL: Any = gettext_lazy("Titles import")  # translated when shown


def run_titles_import(job: Any, progress: Callable[..., None]) -> dict[str, Any]:
    if not job.input_file:
        raise ApplicationError(_("The job has no file to import."))
    with job.input_file.open("rb") as f:
        rows = read_table(f, aliases=ALIASES, name=job.input_name, max_rows=MAX_IMPORT_ROWS)
    progress(0, len(rows), _("Checking rows"))
    summary = titles_import(
        actor=job.created_by, rows=rows, dry_run=bool(job.params.get("dry_run")),
        progress=progress,
    )  # fmt: skip
    progress(len(rows), len(rows), _("Checked") if summary.dry_run else _("Imported"))
    return dict(summary.as_dict())


def register_title_jobs() -> None:
    register_job_kind(TITLES_IMPORT, run_titles_import, label=LABEL, confirmable=True)
