"""The 审批表 as DOCX and PDF: the seed's fields, each level's opinion and date from the
approving decisions, the seal image, blanks for levels not reached, and a batch zip."""

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx import Document
from PIL import Image

from greencommunity.reviews.approval_form import (
    approval_form,
    approval_form_docx,
    approval_form_pdf,
    approval_forms_zip,
)


@pytest.fixture
def application(tree):
    from django.core.files.base import ContentFile

    from greencommunity.assessments.models import Assessment, AssessmentStatus
    from greencommunity.reviews.models import (
        Application,
        ApplicationStatus,
        Decision,
        ReviewChain,
        ReviewStep,
        StepKind,
        Verdict,
    )
    from greencommunity.standards.models import Standard

    community = tree["community"].community
    standard = Standard.objects.get(key="huantai-2021", version=1)
    assessment = Assessment.objects.create(
        community=community, standard=standard, year=2022, status=AssessmentStatus.SUBMITTED,
        total=86, maximum=100, passed=True,
    )  # fmt: skip
    chain = ReviewChain.objects.create(key="form-test", name="测试链")
    street = ReviewStep.objects.create(
        chain=chain, position=1, key="street", name="街道推荐", kind=StepKind.REVIEW,
        level="street", role="street",
    )  # fmt: skip
    county = ReviewStep.objects.create(
        chain=chain, position=2, key="county", name="县级初审", kind=StepKind.REVIEW,
        level="county", role="housing",
    )  # fmt: skip
    app = Application.objects.create(
        community=community, assessment=assessment, title_kind="green", year=2022, chain=chain,
        status=ApplicationStatus.IN_REVIEW, current_step=county,
        submitted_at=datetime(2022, 9, 1, 2, 0, tzinfo=UTC),
        division="淄博市 桓台县 城区街道", leader_name="王红", leader_phone="13800000000",
        committee_address="桓台县城区街道西苑路 1 号",
        basic_situation="西苑社区位于桓台县城区，辖 3 个小区。\n垃圾分类覆盖全部小区。",
    )  # fmt: skip
    seal = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 20, 20)).save(seal, "PNG")
    first = Decision.objects.create(
        application=app, step=street, verdict=Verdict.RETURN, opinion="请补充材料。",
        decided_on=date(2022, 9, 3),
    )  # fmt: skip
    approved = Decision(
        application=app, step=street, verdict=Verdict.APPROVE, opinion="同意推荐。",
        decided_on=date(2022, 9, 10),
    )  # fmt: skip
    approved.seal.save("seal.png", ContentFile(seal.getvalue()), save=False)
    approved.save()
    assert first.pk < approved.pk
    return app


def test_form_takes_the_latest_approval_per_level(application):
    form = approval_form(application)
    assert form.form_name == "山东省绿色社区创建审批表"
    assert form.title == "山东省绿色社区"
    assert form.city == "淄博市" and form.community == "西苑社区"
    assert [level.label for level in form.levels] == ["街道", "县(市、区)", "市(州)", "省级"]
    street, county, *_rest = form.levels
    assert all(level.opinion == "" for level in _rest)
    assert street.opinion == "同意推荐。" and street.decided_on == date(2022, 9, 10)
    assert street.seal and street.seal.startswith(b"\x89PNG")
    assert county.opinion == "" and county.decided_on is None and county.seal is None
    assert form.filled_on == date(2022, 9, 1)


def test_docx_has_the_fields_the_seal_and_the_font(application):
    doc = Document(io.BytesIO(approval_form_docx(application)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "山东省绿色社区创建审批表" in text and "填表说明" in text
    assert "西苑社区" in cells and "13800000000" in cells and "山东省绿色社区" in cells
    assert any("同意推荐。" in c and "2022 年 9 月 10 日" in c for c in cells)
    assert any(c.startswith("社区基本情况") for c in cells)
    assert len(doc.inline_shapes) == 1  # the street's seal
    assert doc.styles["Normal"].font.size.pt == 12


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_pdf_renders_the_chinese_text(application, tmp_path):
    pdf = approval_form_pdf(application)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "form.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "form.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for expected in (
        "山东省绿色社区创建审批表",
        "填表说明",
        "西苑社区",
        "同意推荐",
        "各级审核意见",
    ):
        assert expected in text
    assert text.count("\f") >= 3  # cover, notes, table


def test_zip_holds_both_documents(application):
    archive = zipfile.ZipFile(io.BytesIO(approval_forms_zip([application])))
    names = sorted(archive.namelist())
    assert names == [
        f"审批表-370321001002-{application.pk}.docx",
        f"审批表-370321001002-{application.pk}.pdf",
    ]
