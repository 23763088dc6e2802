"""The naming decision PDF: issuer, document number, heading, and the list of communities
named with their certificate numbers."""

import shutil
import subprocess
from datetime import date

import pytest

from greencommunity.reviews.naming_document import naming_decision_pdf, naming_rows


@pytest.fixture
def decision(tree):
    from greencommunity.regions.services.tree import region_create
    from greencommunity.reviews.models import NamingDecision, Title

    east = region_create(actor=None, code="370321001003", name="东苑社区", parent=tree["street"])
    made = NamingDecision.objects.create(
        region=tree["county"], title_kind="green", year=2022, document_number="桓建发〔2022〕15号",
        heading="关于命名2022年度绿色社区的决定", decided_on=date(2022, 12, 20),
    )  # fmt: skip
    for n, region in enumerate([east, tree["community"]], start=1):
        Title.objects.create(
            community=region.community, kind="green", year=2022, named_on=date(2022, 12, 20),
            certificate_number=f"LSSQ-2022-{n:04d}", decision=made,
        )  # fmt: skip
    return made


def test_rows_are_ordered_by_code_with_the_region_path(decision):
    rows = naming_rows(decision)
    assert [(r.number, r.community, r.certificate_number) for r in rows] == [
        (1, "西苑社区", "LSSQ-2022-0002"),
        (2, "东苑社区", "LSSQ-2022-0001"),
    ]
    assert rows[0].city == "淄博市" and rows[0].county == "桓台县" and rows[0].street == "城区街道"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_pdf_text(decision, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        pdf = naming_decision_pdf(decision)
    (tmp_path / "d.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    expected_texts = (
        "桓台县住房和城乡建设局",
        "桓建发〔2022〕15号",
        "关于命名2022年度绿色社区的决定",
        "西苑社区",
        "LSSQ-2022-0001",
        "命名名单",
        "2022年12月20日",
    )
    for expected in expected_texts:
        assert expected in text
