"""The score sheet (评分表) as xlsx and PDF, in the layout of Huantai's table: the rows, the
total and the conclusion; the PDF's text (pdftotext) and a PNG of it for a look."""

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest

from greencommunity.assessments.models import AnswerSource
from greencommunity.assessments.score_sheet import (
    HEADERS,
    score_sheet_pdf,
    score_sheet_rows,
    score_sheet_xlsx,
)
from greencommunity.assessments.services import answer_set, assessment_start, assessment_submit
from greencommunity.documents.xlsx import read_xlsx_values

YEAR = 2024
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def huantai_submitted(community, standards, committee, indicator_set):
    """Huantai, submitted at 90 of 100: 15 full from the indicator, 1, 7, 12 and 20 short."""
    indicator_set(community, "property_management_coverage", "100")
    huantai = standards["huantai"]
    assessment = assessment_start(actor=committee, community=community, standard=huantai,
                                  year=YEAR)  # fmt: skip
    points = {1: "4.5", 7: "0", 12: "3", 20: "2.5"}
    for a in assessment.answers.select_related("criterion").order_by("criterion__number"):
        if a.source == AnswerSource.SELF:
            answer_set(actor=committee, assessment=assessment, criterion=a.criterion,
                       points=points.get(a.criterion.number, "5"))  # fmt: skip
    return assessment_submit(actor=committee, assessment=assessment)


@pytest.fixture
def national_draft(community, standards, committee, indicator_set):
    indicator_set(community, "property_management_coverage", "45")
    national = standards["national"]
    assessment = assessment_start(actor=committee, community=community, standard=national,
                                  year=YEAR)  # fmt: skip
    for a in assessment.answers.select_related("criterion").order_by("criterion__number"):
        if a.source == AnswerSource.SELF and a.criterion.number != 16:
            answer_set(actor=committee, assessment=assessment, criterion=a.criterion,
                       met=a.criterion.number != 5)  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def _table(values):
    """The rows from the header row (内容 / 创建标准 / 标准分 / 得分) on."""
    start = next(i for i, row in enumerate(values) if tuple(row[:4]) == HEADERS)
    return values[:start], values[start:]


def test_huantai_rows_carry_areas_points_and_scores(huantai_submitted):
    sheet = score_sheet_rows(huantai_submitted)
    assert sheet.title.endswith(" 绿色社区创建评分表") and sheet.points_mode
    assert [r.number for r in sheet.rows] == list(range(1, 21))
    assert [r.area_rows for r in sheet.rows if r.area_rows] == [4, 5, 4, 3, 4]
    assert sum(r.area_rows for r in sheet.rows) == 20
    first = sheet.rows[0]
    assert (first.standard, first.score, first.score_text) == (D(5), D("4.5"), "4.5")
    assert sheet.rows[14].score == D(5)  # criterion 15, from the indicator
    assert (sheet.total_standard, sheet.total_score) == (D(100), D(90))
    assert sheet.passed is True and sheet.conclusion == "通过"
    assert sheet.pass_rule == "总分 ≥ 80" and sheet.status == "已提交" and sheet.submitted


def test_huantai_xlsx_has_the_four_columns_20_criteria_and_the_total(huantai_submitted):
    values = read_xlsx_values(score_sheet_xlsx(huantai_submitted))
    head, table = _table(values)
    assert head[0][0].endswith("绿色社区创建评分表")
    assert any("桓台县绿色社区创建标准" in (row[0] or "") for row in head)
    criteria, total, conclusion = table[1:21], table[21], table[22]
    assert [row[1].split(".")[0] for row in criteria] == [str(n) for n in range(1, 21)]
    # the area cell is merged over its criteria: only its first row holds the name
    assert sum(1 for row in criteria if row[0]) == 5
    assert criteria[0][2:] == [5, 4.5]
    assert total[0] == "总分" and total[2:] == [100, 90]
    assert conclusion[0].startswith("结论：通过") and "总分 ≥ 80" in conclusion[0]


def test_national_met_mode_sheet_says_met_and_not_met(national_draft):
    sheet = score_sheet_rows(national_draft)
    assert not sheet.points_mode and len(sheet.rows) == 16
    assert {r.standard for r in sheet.rows} == {"达标"}
    scores = {r.number: r.score for r in sheet.rows}
    assert (scores[5], scores[12], scores[16], scores[1]) == ("未达标", "达标", "未评", "达标")
    assert (sheet.total_label, sheet.total_standard, sheet.total_score) == (
        "总分（达标条数）",
        D(16),
        D(14),
    )
    assert sheet.conclusion == "未通过（草稿，暂评）" and sheet.status == "草稿"
    values = read_xlsx_values(score_sheet_xlsx(national_draft))
    _, table = _table(values)
    assert table[5][3] == "未达标" and table[17] == ["总分（达标条数）", None, 16, 14]


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _png(pdf: bytes, tmp_path: Path, name: str) -> list[Path]:
    """Render the PDF to test-artifacts/<name>-<page>.png (60 dpi) to look at."""
    if not shutil.which("pdftoppm"):
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / name)],
                   check=True)  # fmt: skip
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.mark.parametrize("which", ["huantai_submitted", "national_draft"])
def test_score_sheet_pdf_renders_chinese_text(db, which, request, tmp_path):
    assessment = request.getfixturevalue(which)
    pdf = score_sheet_pdf(assessment)
    assert pdf.startswith(b"%PDF")
    pages = _png(pdf, tmp_path, f"score-sheet-{which.split('_')[0]}")
    assert pages == [] or all(p.stat().st_size > 0 for p in pages)
    text = _pdf_text(pdf, tmp_path)
    compact = "".join(text.split())
    community = assessment.community.region.name
    assert f"{community}绿色社区创建评分表" in compact
    assert "内容" in compact and "创建标准" in compact and "标准分" in compact
    assert "总分" in compact and "结论：" in compact
    assert assessment.standard.name in compact
    if which == "huantai_submitted":
        assert "总分10090" in compact and "结论：通过（通过线：总分≥80）" in compact
    else:
        assert "未达标" in compact and "总分（达标条数）1614" in compact
