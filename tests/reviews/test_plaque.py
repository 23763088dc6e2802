"""The plaque (标识牌) PDF: its text, and a QR code that holds the verification address.

No QR decoder is installed, so the test reads the code the other way round: it renders the
PDF to an image, finds the code (the only pure black on the page), samples the centre of every
module and compares the grid with the symbol segno makes for the expected address.
"""

import shutil
import subprocess
from datetime import date

import pytest
from django.test import override_settings

from e2e_kit import ARTIFACTS
from greencommunity.reviews.models import NamingDecision
from greencommunity.reviews.plaque import plaque_pdf, plaque_qr, plaque_verify_url
from reviews import fixtures_titles
from reviews.fixtures_titles import grant

people, sichuan = fixtures_titles.people, fixtures_titles.sichuan  # fixtures

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "plaque.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def render(pdf: bytes, tmp_path, dpi: int):
    from PIL import Image

    path = tmp_path / "plaque.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path),
                    str(tmp_path / "plaque")], check=True)  # fmt: skip
    return Image.open(tmp_path / "plaque.png").convert("L")


def qr_bounds(image) -> tuple[int, int, int, int]:
    """Left, top, right, bottom (inclusive) of the QR code on the page: its modules are the
    only pure black (the plaque's text and frame are green)."""
    left, top, right, bottom = image.point(lambda p: 255 if p < 20 else 0).getbbox()
    return left, top, right - 1, bottom - 1


def test_the_verification_address_is_under_the_public_base_url(sichuan):
    title = grant(sichuan["dongyu"])
    with override_settings(PUBLIC_BASE_URL="https://lssq.example.gov.cn"):
        assert plaque_verify_url(title) == (
            f"https://lssq.example.gov.cn/public/verify/{title.public_id}/"
        )


@needs_poppler
def test_the_plaque_names_the_title_community_jurisdiction_and_number(sichuan, people, tmp_path):
    decision = NamingDecision.objects.create(
        region=sichuan["province"], title_kind="demonstration", year=2022,
        document_number="川建村建发〔2022〕123号", heading="关于命名省级示范绿色社区的决定",
        decided_on=date(2022, 12, 20),
    )  # fmt: skip
    title = grant(sichuan["dongyu"], kind="demonstration", decision=decision)
    text = pdf_text(plaque_pdf(title), tmp_path)
    for words in ("省级示范绿色社区", "东御街社区", "四川省", "2022年度", title.certificate_number,
                  "2022年12月20日", "扫码查验"):  # fmt: skip
        assert words in text, words
    # an imported green title names the jurisdiction whose settings apply (四川省 here)
    imported = grant(sichuan["kuanxiang"], year=2021, certificate_number="川-2021-7")
    text = pdf_text(plaque_pdf(imported), tmp_path)
    assert "绿色社区" in text and "宽巷子社区" in text and "川-2021-7" in text and "四川省" in text
    assert "成都市 青羊区 少城街道" in text


@needs_poppler
def test_the_plaque_is_one_a4_landscape_page(sichuan, tmp_path):
    pdf = plaque_pdf(grant(sichuan["dongyu"]))
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info or "842 x 595" in info


@needs_poppler
def test_the_qr_code_on_the_plaque_holds_the_verification_address(sichuan, tmp_path):
    pytest.importorskip("PIL")
    title = grant(sichuan["dongyu"])
    expected = plaque_qr(plaque_verify_url(title))
    size = expected.symbol_size(border=0)[0]
    matrix = [[bool(v) for v in row] for row in expected.matrix]
    image = render(plaque_pdf(title), tmp_path, dpi=200)
    left, top, right, bottom = qr_bounds(image)
    pixels = image.load()
    module = (right - left + 1) / size
    assert abs((bottom - top + 1) / size - module) < 0.5  # square
    seen = [
        [pixels[int(left + (c + 0.5) * module), int(top + (r + 0.5) * module)] < 128
         for c in range(size)]
        for r in range(size)
    ]  # fmt: skip
    assert seen == matrix
    # a small copy for a person to look at (test-artifacts/titles-plaque.png)
    ARTIFACTS.mkdir(exist_ok=True)
    render(plaque_pdf(title), tmp_path, dpi=60).save(ARTIFACTS / "titles-plaque.png")
    # and another address would not match
    other = plaque_qr(plaque_verify_url(title).replace("verify", "verifx"))
    assert [[bool(v) for v in row] for row in other.matrix] != seen
