"""Export a standard as JSON (the built-in data format, so it loads back through
`standards.loader`) or as xlsx (one row per criterion plus a sheet 标准信息), and import either.

Imports are all or nothing: the whole file is checked first, every problem becomes one
{row, column, value, reason, reason_en} of a RowError, and nothing is written. A good file
becomes a new draft: the next version of its key when the key exists (max + 1), otherwise the
file's version (default 1). A key has one draft at a time (as `versions.standard_new_version`
keeps it): while a draft exists, its key takes no import. Who may import is who may edit a
standard of the issuing region (`policies.can_edit_standard`): its admin or housing department,
or one of a region above it; a national standard (no issuing code) only a platform superuser.

In a spreadsheet, blank area cells (内容编号, 考核内容, 国家考核内容) repeat the row above, so a
table whose area cells are merged, as the seeds print them, reads as intended.

Spreadsheet files are checked for text that would run as a formula (= + - @ unquoted); JSON
is not a spreadsheet, and an xlsx export quotes such text again, so JSON skips that check.
"""

from .export import standard_export_json, standard_export_xlsx, standard_template_xlsx
from .importing import standard_by_reference
from .layout import StandardImport
from .reading import standard_import_json, standard_import_xlsx

__all__ = [
    "StandardImport",
    "standard_by_reference",
    "standard_export_json",
    "standard_export_xlsx",
    "standard_import_json",
    "standard_import_xlsx",
    "standard_template_xlsx",
]
