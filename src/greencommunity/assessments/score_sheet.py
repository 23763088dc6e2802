"""The score sheet (评分表) of a self-assessment, as xlsx and PDF, in the layout of Huantai's
table: 内容 (the area, one cell over its criteria) / 创建标准 (number and text) / 标准分 (the
points, or 达标 in met mode) / 得分 (the points awarded, or 达标 / 未达标), then the total and
the conclusion against the standard's pass rule.

The sheet is a Chinese document: its labels are Chinese whatever the interface language.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from greencommunity.documents.pdf import html_to_pdf
from greencommunity.documents.xlsx import quote_for_export
from greencommunity.standards.models import Criterion, ScoringMode
from greencommunity.standards.selectors import pass_rule_text

from .models import Assessment, AssessmentStatus

HEADERS = ("内容", "创建标准", "标准分", "得分")
MET, NOT_MET, OPEN = "达标", "未达标", "未评"
STATUS_LABELS = {AssessmentStatus.DRAFT: "草稿", AssessmentStatus.SUBMITTED: "已提交"}
FONT_NAME = "仿宋"  # what Windows offices have; other machines substitute their own
BODY_PT = 12  # 小四


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _text(value: Decimal | str) -> str:
    return _number(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class SheetRow:
    area: str
    area_rows: int  # on an area's first row, the number of rows it spans; 0 on the others
    number: int
    text: str
    standard: Decimal | str  # the points, or 达标 in met mode
    score: Decimal | str  # the points awarded, 达标 / 未达标, or 未评 when not answered

    @property
    def standard_text(self) -> str:
        return _text(self.standard)

    @property
    def score_text(self) -> str:
        return _text(self.score)


@dataclass(frozen=True)
class ScoreSheet:
    title: str
    community: str
    region_code: str
    standard: str
    version: int
    year: int
    revision: int
    status: str
    submitted: str  # YYYY-MM-DD, "" while a draft
    points_mode: bool
    rows: tuple[SheetRow, ...]
    total_label: str  # 总分, or 总分（达标条数） in met mode
    total_standard: Decimal  # the maximum, or the number of criteria in met mode
    total_score: Decimal  # the total, or the number of criteria met
    passed: bool | None
    conclusion: str  # 通过 / 未通过 / 暂无通过线 (a draft's is provisional)
    pass_rule: str

    @property
    def total_standard_text(self) -> str:
        return _text(self.total_standard)

    @property
    def total_score_text(self) -> str:
        return _text(self.total_score)


def score_sheet_rows(assessment: Assessment) -> ScoreSheet:
    """The content of the score sheet: one row per criterion in area order (two queries)."""
    standard = assessment.standard
    points_mode = standard.scoring_mode == ScoringMode.POINTS
    answers = {a.criterion_id: a for a in assessment.answers.all()}
    criteria = list(
        Criterion.objects.filter(standard=standard)
        .select_related("area")
        .order_by("area__number", "number")
    )
    area_sizes: dict[int, int] = {}
    for c in criteria:
        area_sizes[c.area_id] = area_sizes.get(c.area_id, 0) + 1
    rows, seen_areas = [], set()
    for c in criteria:
        answer = answers.get(c.pk)
        met = answer.met if answer else None
        score: Decimal | str
        standard_value: Decimal | str
        if points_mode:
            maximum = c.points or Decimal(0)
            standard_value = maximum
            if answer is not None and answer.points is not None:
                score = min(answer.points, maximum)
            elif met is not None:
                score = maximum if met else Decimal(0)
            else:
                score = OPEN
        else:
            standard_value = MET
            score = OPEN if met is None else (MET if met else NOT_MET)
        first = c.area_id not in seen_areas
        seen_areas.add(c.area_id)
        rows.append(
            SheetRow(
                area=c.area.name, area_rows=area_sizes[c.area_id] if first else 0,
                number=c.number, text=c.text, standard=standard_value, score=score,
            )
        )  # fmt: skip
    if points_mode:
        total_label, total_standard, total_score = "总分", assessment.maximum, assessment.total
    else:
        total_label = "总分（达标条数）"
        total_standard, total_score = Decimal(len(criteria)), Decimal(assessment.met_count)
    if assessment.passed is None:
        conclusion = "暂无通过线"
    else:
        conclusion = "通过" if assessment.passed else "未通过"
    if assessment.is_draft:
        conclusion += "（草稿，暂评）"
    submitted = ""
    if assessment.submitted_at is not None:
        submitted = timezone.localtime(assessment.submitted_at).date().isoformat()
    community = assessment.community.region.name
    return ScoreSheet(
        title=f"{community} 绿色社区创建评分表", community=community,
        region_code=assessment.community.region.code, standard=standard.name,
        version=standard.version, year=assessment.year, revision=assessment.revision,
        status=STATUS_LABELS.get(AssessmentStatus(assessment.status), assessment.status),
        submitted=submitted, points_mode=points_mode, rows=tuple(rows),
        total_label=total_label, total_standard=total_standard, total_score=total_score,
        passed=assessment.passed,
        conclusion=conclusion, pass_rule=pass_rule_text(standard),
    )  # fmt: skip


def _header_lines(sheet: ScoreSheet) -> list[str]:
    submitted = f"    提交日期：{sheet.submitted}" if sheet.submitted else ""
    return [
        f"社区：{sheet.community}    年度：{sheet.year}    第 {sheet.revision} 次自评",
        f"评分标准：{sheet.standard}（第 {sheet.version} 版）",
        f"状态：{sheet.status}{submitted}",
    ]


def score_sheet_xlsx(assessment: Assessment) -> bytes:
    """The score sheet as an xlsx workbook: title, header lines, the four-column table with
    each area merged over its criteria, the total and the conclusion; A4 portrait."""
    sheet = score_sheet_rows(assessment)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "评分表"
    body = Font(name=FONT_NAME, size=BODY_PT)
    bold = Font(name=FONT_NAME, size=BODY_PT, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    def line(text: str, font: Font, height: float | None = None) -> None:
        ws.append([quote_for_export(text)])
        row = ws.max_row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.cell(row, 1).font = font
        ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="center")
        if height:
            ws.row_dimensions[row].height = height

    line(sheet.title, Font(name=FONT_NAME, size=18, bold=True), 32)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    for text in _header_lines(sheet):
        line(text, body)
    ws.append(list(HEADERS))
    header_row = ws.max_row
    for col in range(1, 5):
        cell = ws.cell(header_row, col)
        cell.font, cell.alignment, cell.border = bold, centre, border
    area_spans: list[tuple[int, int]] = []
    for r in sheet.rows:
        ws.append(
            [
                quote_for_export(r.area) if r.area_rows else None,
                quote_for_export(f"{r.number}. {r.text}"),
                r.standard,
                r.score,
            ]
        )
        row = ws.max_row
        for col, align in ((1, centre), (2, left), (3, centre), (4, centre)):
            cell = ws.cell(row, col)
            cell.font, cell.alignment, cell.border = body, align, border
        if r.area_rows > 1:
            area_spans.append((row, row + r.area_rows - 1))
    for first, last in area_spans:  # merged once written: a merged range takes its rows
        ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    ws.append([sheet.total_label, None, sheet.total_standard, sheet.total_score])
    total_row = ws.max_row
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    ws.append([f"结论：{sheet.conclusion}（通过线：{sheet.pass_rule}）"])
    conclusion_row = ws.max_row
    ws.merge_cells(start_row=conclusion_row, start_column=1, end_row=conclusion_row, end_column=4)
    for row in (total_row, conclusion_row):
        for col in range(1, 5):
            cell = ws.cell(row, col)
            cell.font, cell.border = bold, border
            cell.alignment = centre if row == total_row else left
    for letter, width in zip("ABCD", (20, 62, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    _page_setup(ws, header_row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _page_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True


def score_sheet_html(assessment: Assessment) -> str:
    context: dict[str, Any] = {
        "sheet": score_sheet_rows(assessment),
        "headers": HEADERS,
    }
    return render_to_string("assessments/score_sheet.html", context)


def score_sheet_pdf(assessment: Assessment) -> bytes:
    """The score sheet as an A4 portrait PDF in 仿宋 (or the nearest CJK serif installed)."""
    return html_to_pdf(score_sheet_html(assessment))
