"""Small adapters over openpyxl: read an uploaded table, write a workbook, and keep both safe
from formula injection.

Reading gives `(row_number, {canonical_field: text})` pairs, the row number being the one a
spreadsheet shows (the header is row 1). Headers are matched through an alias table after
normalising case, spaces and a required-marker `*`, so `用户名`, `Username` and `user name`
may all name the field `username`.

Formula injection: a cell whose text starts with `= + - @` runs as a formula when a
spreadsheet opens it. On export such text is written with a leading single quote; on import
that one quote is stripped again (the value comes back as `QuotedText`), and text that starts
with such a character without the quote is refused by the importer (`is_formula_like`).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from greencommunity.core.errors import RowError

FORMULA_CHARS = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000

Row = tuple[int, dict[str, str]]


class QuotedText(str):
    """Imported text that was quoted (`'=...`) in the file: data, not a formula."""

    __slots__ = ()


def is_formula_like(value: Any) -> bool:
    """Text that would run as a formula in a spreadsheet and was not quoted in the file."""
    return (
        isinstance(value, str)
        and not isinstance(value, QuotedText)
        and value.startswith(FORMULA_CHARS)
    )


def clean_text(value: str) -> str:
    """Text without surrounding spaces, still marked as quoted if it was (`str.strip` would
    lose the mark and make quoted data look like a formula)."""
    stripped = value.strip()
    return QuotedText(stripped) if isinstance(value, QuotedText) else stripped


def quote_for_export(value: Any) -> Any:
    """The value to write into a cell: text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_CHARS):
        return "'" + value
    return value


def unquote_import(text: str) -> str:
    """Strip the one leading quote that protects a formula character (`'=1` → `=1`)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_CHARS:
        return QuotedText(text[1:])
    return text


def normalise_header(text: Any) -> str:
    """Header text for matching: no spaces (ASCII or full-width), no `*`, case-folded."""
    return "".join(str(text or "").split()).replace("*", "").replace("_", "").casefold()


def alias_table(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """{field: [header, ...]} → {normalised header: field}; the field name is an alias too."""
    table: dict[str, str] = {}
    for field, names in aliases.items():
        for name in [field, *names]:
            table[normalise_header(name)] = field
    return table


def _cell_text(value: Any) -> str:
    """A cell value as text: whole numbers without `.0` (division codes, phone numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_bytes(source: Any) -> tuple[bytes, str]:
    """The content and the file name of a path, an uploaded/stored file, bytes or a stream."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), ""
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), path.name
    name = str(getattr(source, "name", "") or "")
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    return (data.encode() if isinstance(data, str) else bytes(data)), name


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise RowError(
            _("The file is not a readable xlsx workbook."),
            [row_error(0, "", "", "文件不是可读取的 xlsx 工作簿", "not a readable xlsx workbook")],
        ) from exc
    try:
        ws = wb.worksheets[0]
        for row_number, cells in enumerate(ws.iter_rows(), start=1):
            texts = []
            for cell in cells:
                text = _cell_text(cell.value)
                if text and getattr(cell, "data_type", "") == "s" and _quote_prefixed(cell):
                    text = QuotedText(text)  # typed as '=... in the spreadsheet
                texts.append(text)
            yield row_number, texts
    finally:
        wb.close()


def _quote_prefixed(cell: Any) -> bool:
    style = getattr(cell, "style_array", None) or getattr(cell, "_style", None)
    return bool(getattr(style, "quotePrefix", 0))


def _csv_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # what a Chinese-locale spreadsheet saves as CSV
        except UnicodeDecodeError as exc:
            raise RowError(
                _("The CSV file is not UTF-8 text."),
                [row_error(0, "", "", "CSV 文件应为 UTF-8 编码", "the CSV file must be UTF-8")],
            ) from exc
    for row_number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        yield row_number, [c.strip() for c in cells]


def row_error(
    row: int, column: str, value: Any, reason: str, reason_en: str, field: str = ""
) -> dict[str, Any]:
    """One import error as every importer reports it (reason in Chinese and English)."""
    return {
        "row": row,
        "column": column,
        "field": field,
        "value": "" if value is None else str(value),
        "reason": reason,
        "reason_en": reason_en,
    }


def read_table(
    source: Any, *, aliases: Mapping[str, Iterable[str]], name: str = "", max_rows: int = MAX_ROWS
) -> list[Row]:
    """Rows of the first sheet of an xlsx file, or of a CSV file, keyed by canonical field.

    The first row holds the headers; columns whose header is not an alias are ignored, empty
    rows are skipped. Each value is text, with a protecting quote removed (`unquote_import`).
    """
    data, source_name = _read_bytes(source)
    name = name or source_name
    is_xlsx = data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))
    cells = _xlsx_cells(data) if is_xlsx else _csv_cells(data)
    table = alias_table(aliases)
    columns: dict[int, str] = {}
    rows: list[Row] = []
    for row_number, texts in cells:
        if row_number == 1:
            for index, header in enumerate(texts):
                field = table.get(normalise_header(header))
                if field and field not in columns.values():
                    columns[index] = field
            continue
        if not any(texts):
            continue
        if len(rows) >= max_rows:
            raise RowError(
                _("The file has more than %(max)d rows.") % {"max": max_rows},
                [
                    row_error(
                        row_number,
                        "",
                        "",
                        f"文件超过 {max_rows} 行，请分批导入",
                        f"more than {max_rows} rows: split the file",
                    )
                ],
            )
        values = {
            field: unquote_import(texts[index]) if index < len(texts) else ""
            for index, field in columns.items()
        }
        rows.append((row_number, values))
    return rows


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    more_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
    text_columns: Sequence[int] = (),
) -> bytes:
    """A workbook (bytes) of one sheet of `headers` + `rows`, plus optional further sheets.

    Text that would run as a formula is quoted. `text_columns` (0-based) of the first sheet
    are formatted as text, so that codes typed into a template stay 12-digit text.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _fill_sheet(ws, title, headers, rows, text_columns)
    for sheet_title, sheet_headers, sheet_rows in more_sheets:
        _fill_sheet(wb.create_sheet(), sheet_title, sheet_headers, sheet_rows, ())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fill_sheet(
    ws: Any,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Sequence[int],
) -> None:
    ws.title = title[:31]
    ws.append([quote_for_export(h) for h in headers])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E2EFDA")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    widths = [max(8, _display_width(h)) for h in headers]
    for row in rows:
        values = [quote_for_export(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = max(widths[i], min(60, _display_width(v)))
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width + 2
    for i in text_columns:
        letter = get_column_letter(i + 1)
        for (cell,) in ws.iter_rows(
            min_row=2, max_row=max(ws.max_row, 200), min_col=i + 1, max_col=i + 1
        ):
            cell.number_format = "@"
        ws.column_dimensions[letter].number_format = "@"
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _display_width(value: Any) -> int:
    """Approximate column width: CJK characters count double."""
    text = "" if value is None else str(value).split("\n")[0]
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def read_xlsx_values(data: bytes | IO[bytes], sheet: int = 0) -> list[list[Any]]:
    """Every row of a sheet as raw cell values (for tests and checks of produced files)."""
    content = data if isinstance(data, bytes) else data.read()
    wb = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
