"""The 审批表 (seed 001 attachment 2) of an application, as DOCX and PDF, in the seed's layout:
a cover (form name, 社区名称, 所在市（州）, 填报时间), the filling notes, and the table of the
community's fields with the opinion, seal and date of each level (街道, 县(市、区), 市(州), 省级).
A4, 仿宋 小四 (12 pt); Word substitutes 仿宋 where it is missing, the PDF falls back through a
font stack to the CJK serif installed. A batch of forms comes as one zip.

The form is a Chinese document: its labels are Chinese whatever the interface language. A
level's row holds the latest approving decision of the chain's step at that level; a level the
chain does not have, or has not reached, stays blank for a hand signature.
"""

import base64
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from greencommunity.documents.pdf import html_to_pdf
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from .models import Application, Decision, StepKind, TitleKind, Verdict

FONT_NAME = "仿宋"
BODY_PT = 12  # 小四
LEVEL_ROWS = (
    (Level.STREET, "街道"),
    (Level.COUNTY, "县(市、区)"),
    (Level.CITY, "市(州)"),
    (Level.PROVINCE, "省级"),
)
NOTES = (
    "一、本表是{province}绿色社区创建审批用表。",
    "二、本表以 A4 纸双面打印填写。",
    "三、本表使用仿宋 GB2312 小四号字填报，数字统一使用阿拉伯数字，填报内容较多的栏目，可视情况"
    "调整字号或另行附页。",
    "四、社区名称：各城市社区（包括县城人民政府所在地城关镇）居民委员会所辖空间区域的名称。",
    "五、拟创建称号：根据创建情况与申报意愿选填“{province}绿色社区”或“{province}省级示范绿色社区”。"
    "各市（州）连续三年累计创建“省级示范绿色社区”数量不超过所辖城市社区总数的 10%。",
    "六、所在行政区划：填写社区所在的市（州）、县（市、区）及街道（镇）全称。",
    "七、社区负责人姓名及联系方式：须完整准确填写社区居委会主要负责人对应信息。",
    "八、社区居委会地址：完整填写社区居委会所在具体地址。",
    "九、社区基本情况：力求简明，不超过 1000 字，其中绿色社区创建工作情况真实准确、重点突出。",
    "十、各级审核意见：由街道办事处及县（市、区）、市（州）、省级审核单位签署明确意见并加盖单位公章。",
)


@dataclass
class LevelOpinion:
    label: str
    opinion: str = ""
    seal: bytes | None = None  # the seal image as stored
    seal_type: str = ""
    decided_on: date | None = None

    @property
    def seal_data_uri(self) -> str:
        if not self.seal:
            return ""
        return f"data:{self.seal_type};base64,{base64.b64encode(self.seal).decode('ascii')}"

    @property
    def date_text(self) -> str:
        d = self.decided_on
        return f"{d.year} 年 {d.month} 月 {d.day} 日" if d else "年　　月　　日"


@dataclass
class ApprovalForm:
    form_name: str
    province: str
    community: str
    city: str
    title: str
    division: str
    leader_name: str
    leader_phone: str
    address: str
    situation: str
    filled_on: date | None
    levels: list[LevelOpinion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def filled_text(self) -> str:
        d = self.filled_on
        return f"{d.year} 年 {d.month} 月 {d.day} 日" if d else "年　　月　　日"


def _region_names(application: Application) -> dict[str, str]:
    names: dict[str, str] = {}
    region: Region | None = application.community.region
    while region is not None:
        names[region.level] = region.name
        region = region.parent
    return names


def _read_seal(decision: Decision) -> tuple[bytes | None, str]:
    if not decision.seal:
        return None, ""
    with decision.seal.open("rb") as f:
        data = f.read()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return data, kind


def approval_form(application: Application) -> ApprovalForm:
    """What the form shows (reads the region path and the approving decisions)."""
    names = _region_names(application)
    province = names.get(Level.PROVINCE, "")
    title = {
        TitleKind.GREEN: f"{province}绿色社区",
        TitleKind.DEMONSTRATION: f"{province}省级示范绿色社区",
    }[TitleKind(application.title_kind)]
    approvals: dict[str, Decision] = {}
    decisions = (
        # Review and sampling steps sign the form; notice and naming steps (often at the same
        # level) do not.
        Decision.objects.filter(
            application=application,
            verdict=Verdict.APPROVE,
            step__kind__in=[StepKind.REVIEW, StepKind.SAMPLING],
        )
        .select_related("step")
        .order_by("created_at", "pk")
    )
    for decision in decisions:
        approvals[decision.step.level] = decision  # the latest approval per level
    levels = []
    for level, label in LEVEL_ROWS:
        found = approvals.get(level)
        if found is None:
            levels.append(LevelOpinion(label))
            continue
        seal, seal_type = _read_seal(found)
        levels.append(LevelOpinion(label, found.opinion, seal, seal_type, found.decided_on))
    submitted = application.submitted_at
    return ApprovalForm(
        form_name=f"{province}绿色社区创建审批表",
        province=province,
        community=application.community.region.name,
        city=names.get(Level.CITY, ""),
        title=title,
        division=application.division,
        leader_name=application.leader_name,
        leader_phone=application.leader_phone,
        address=application.committee_address,
        situation=application.basic_situation,
        filled_on=submitted.date() if submitted else None,
        levels=levels,
        notes=[n.format(province=province) for n in NOTES],
    )


# ---------------------------------------------------------------------------- DOCX


def _font(run, size: float = BODY_PT, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)


def _paragraph(container, text: str, *, size: float = BODY_PT, bold: bool = False,  # type: ignore[no-untyped-def]
               center: bool = False):  # fmt: skip
    p = container.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(text), size, bold)
    return p


def _cell(cell, text: str, *, center: bool = False) -> None:  # type: ignore[no-untyped-def]
    cell.paragraphs[0].text = ""
    lines = text.split("\n") if text else [""]
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(line))


def approval_form_docx(application: Application) -> bytes:
    form = approval_form(application)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT_NAME, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_NAME)
    # Cover
    for _ in range(4):
        doc.add_paragraph()
    _paragraph(doc, form.form_name, size=22, bold=True, center=True)  # 二号
    for _ in range(5):
        doc.add_paragraph()
    _paragraph(doc, f"社 区 名 称　{form.community}", size=16, center=True)
    _paragraph(doc, f"所在市（州）　{form.city}", size=16, center=True)
    for _ in range(4):
        doc.add_paragraph()
    _paragraph(doc, f"填报时间：{form.filled_text}", size=16, center=True)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # Notes
    _paragraph(doc, "填表说明", size=16, bold=True, center=True)
    for note in form.notes:
        _paragraph(doc, note)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # The table
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(3.5), Cm(5), Cm(3.2), Cm(4.3))

    def row(label: str, value: str, label2: str | None = None, value2: str = "") -> None:
        cells = table.add_row().cells
        _cell(cells[0], label, center=True)
        if label2 is None:
            merged = cells[1].merge(cells[3])
            _cell(merged, value)
        else:
            _cell(cells[1], value)
            _cell(cells[2], label2, center=True)
            _cell(cells[3], value2)

    row("社区名称", form.community)
    row("拟创建称号", form.title)
    row("所在行政区划", form.division)
    row("社区负责人姓名", form.leader_name, "负责人联系电话", form.leader_phone)
    row("社区居委会地址", form.address)
    row("社区基本情况", form.situation)
    heading = table.add_row().cells
    _cell(heading[0].merge(heading[3]), "各级审核意见", center=True)
    for level in form.levels:
        cells = table.add_row().cells
        _cell(cells[0], level.label, center=True)
        merged = cells[1].merge(cells[3])
        _cell(merged, level.opinion)
        p = merged.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if level.seal:
            p.add_run().add_picture(io.BytesIO(level.seal), width=Cm(3))
            p = merged.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(f"（盖章）　{level.date_text}"))
    for r in table.rows:
        for i, width in enumerate(widths):
            r.cells[i].width = width
    _paragraph(doc, "注：省级示范绿色社区创建申报程序一致。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- PDF, zip


def approval_form_html(application: Application) -> str:
    return render_to_string("reviews/approval_form.html", {"form": approval_form(application)})


def approval_form_pdf(application: Application) -> bytes:
    return html_to_pdf(approval_form_html(application))


def approval_form_filename(application: Application, suffix: str) -> str:
    return f"审批表-{application.community.region.code}-{application.pk}.{suffix}"


def approval_forms_zip(applications: Iterable[Application]) -> bytes:
    """Every application's form as DOCX and PDF, in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for application in applications:
            archive.writestr(
                approval_form_filename(application, "docx"), approval_form_docx(application)
            )
            archive.writestr(
                approval_form_filename(application, "pdf"), approval_form_pdf(application)
            )
    return out.getvalue()
