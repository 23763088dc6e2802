"""Spreadsheet adapters: header aliases, CSV and xlsx alike, and formula-injection safety."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import (
    QuotedText,
    is_formula_like,
    quote_for_export,
    read_table,
    read_xlsx_values,
    unquote_import,
    write_xlsx,
)

ALIASES = {"username": ["用户名", "User name"], "code": ["区划代码"], "note": ["备注"]}


def _workbook(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_formula_characters_are_quoted_on_export_and_unquoted_on_import():
    # given text that a spreadsheet would run as formulas, and harmless text
    dangerous = ["=1+1", "+86 138", "-2", "@SUM(A1)", '=HYPERLINK("http://evil","x")']
    data = write_xlsx(["备注"], [[v] for v in dangerous] + [["plain"], [12]])
    # when written, no cell of the workbook is a formula: each carries a leading quote
    ws = load_workbook(io.BytesIO(data)).active
    cells = [ws.cell(row=i, column=1) for i in range(2, 2 + len(dangerous))]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + v for v in dangerous]
    # and read back, every value is exactly the original text, accepted as text
    rows = read_table(data, aliases=ALIASES)
    values = [r["note"] for _n, r in rows]
    assert values == [*dangerous, "plain", "12"]
    assert not any(is_formula_like(v) for v in values)


def test_an_unquoted_formula_is_flagged_on_import():
    data = _workbook([["用户名", "备注"], ["a", "=cmd|' /C calc'!A0"], ["b", "-1"], ["c", "ok"]])
    rows = read_table(data, aliases=ALIASES)
    flagged = [r["username"] for _n, r in rows if is_formula_like(r["note"])]
    assert flagged == ["a", "b"]


def test_a_cell_typed_with_a_quote_prefix_in_a_spreadsheet_is_text():
    # given a cell a user typed as '=x in Excel: value "=x" with the quotePrefix style
    wb = Workbook()
    wb.active.append(["备注"])
    wb.active["A2"] = "=x"
    wb.active["A2"].data_type = "s"
    wb.active["A2"].quotePrefix = True
    out = io.BytesIO()
    wb.save(out)
    [(_n, row)] = read_table(out.getvalue(), aliases=ALIASES)
    assert row["note"] == "=x" and isinstance(row["note"], QuotedText)
    assert not is_formula_like(row["note"])


def test_only_one_quote_before_a_formula_character_is_stripped():
    assert unquote_import("'=a") == "=a"
    assert unquote_import("''=a") == "''=a"
    assert unquote_import("'abc") == "'abc"
    assert quote_for_export("=a") == "'=a"
    assert quote_for_export(5) == 5


def test_headers_match_aliases_whatever_the_case_and_spaces_and_rows_keep_their_numbers():
    data = _workbook(
        [
            [" USER  name ", "区划代码*", "unknown column"],
            ["zhang", 370321001002, "x"],
            [None, None, None],
            ["li", "370321001003", "y"],
        ]
    )
    rows = read_table(data, aliases=ALIASES)
    assert rows == [
        (2, {"username": "zhang", "code": "370321001002"}),
        (4, {"username": "li", "code": "370321001003"}),
    ]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_in_utf8_with_or_without_bom(bom):
    data = bom + "用户名,区划代码,备注\nzhang,370321001002,'=1\n".encode()
    rows = read_table(data, aliases=ALIASES, name="accounts.csv")
    assert rows == [(2, {"username": "zhang", "code": "370321001002", "note": "=1"})]
    assert isinstance(rows[0][1]["note"], QuotedText)


def test_a_broken_xlsx_is_a_row_error():
    with pytest.raises(RowError):
        read_table(b"PK\x03\x04 not really a zip", aliases=ALIASES, name="x.xlsx")


def test_too_many_rows_are_refused():
    data = "用户名\n" + "\n".join(f"u{i}" for i in range(5))
    with pytest.raises(RowError):
        read_table(data.encode(), aliases=ALIASES, name="x.csv", max_rows=3)


def test_write_xlsx_with_more_sheets():
    data = write_xlsx(["a"], [[1]], title="一", more_sheets=[("二", ["b"], [["@x"]])])
    assert read_xlsx_values(data) == [["a"], [1]]
    assert read_xlsx_values(data, sheet=1) == [["b"], ["'@x"]]
