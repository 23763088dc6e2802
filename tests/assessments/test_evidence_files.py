"""What an evidence file is, from its content whatever its name, and image thumbnails."""

import io

import pytest
from PIL import Image

from assessments.evidence_samples import (
    doc_bytes,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    png_claiming,
    zip_bytes,
)
from greencommunity.assessments.evidence_files import (
    DOC,
    DOCX,
    GIF,
    JPEG,
    PDF,
    PNG,
    THUMBNAIL_SIDE,
    WEBP,
    sniff,
    thumbnail,
)
from greencommunity.core.errors import ApplicationError


def check(content, name="upload.bin"):
    return sniff(content[:16], io.BytesIO(content), name=name)


# ---------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (image_bytes("JPEG"), "report.pdf", JPEG),
        (image_bytes("PNG"), "photo.jpg", PNG),
        (image_bytes("GIF"), "no-suffix", GIF),
        (image_bytes("WEBP"), "picture.docx", WEBP),
        (pdf_bytes(), "scan.jpg", PDF),
        (docx_bytes(), "公约.pdf", DOCX),
        (doc_bytes(), "old.docx", DOC),
    ],
    ids=["jpeg", "png", "gif", "webp", "pdf", "docx", "doc"],
)
def test_each_accepted_kind_is_sniffed_from_content_whatever_the_name(content, name, expected):
    assert check(content, name) == expected


def test_kinds_suffixes_and_content_types():
    assert (JPEG.kind, JPEG.content_type, JPEG.suffix) == ("image", "image/jpeg", ".jpg")
    assert (PDF.kind, PDF.suffix) == ("pdf", ".pdf")
    assert (DOCX.kind, DOCX.suffix, DOC.suffix) == ("word", ".docx", ".doc")
    assert DOC.content_type == "application/msword"


def test_sniffing_leaves_the_file_at_its_start():
    data = io.BytesIO(docx_bytes())
    sniff(data.getvalue()[:16], data, name="a.docx")
    assert data.tell() == 0


# ---------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "setup.jpg"),  # a Windows program
        ("这不是 PDF，只是一段文字。".encode(), "notes.pdf"),
        (b"<html><script>alert(1)</script></html>", "page.docx"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "logo.png"),
        (zip_bytes({"readme.txt": "hello"}), "archive.docx"),
        (zip_bytes({"word/document.xml": "<w/>"}), "missing-types.docx"),
        (zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "x.docx"),
        (doc_bytes(stream="Workbook"), "sheet.doc"),  # an OLE2 file that is not Word (xls, msi)
        (b"PK\x03\x04" + bytes(60), "broken.docx"),
    ],
    ids=[
        "exe",
        "text",
        "html",
        "svg",
        "zip",
        "zip-no-types",
        "zip-not-word",
        "ole2-xls",
        "zip-bad",
    ],
)
def test_other_content_is_refused_naming_the_file_and_the_accepted_kinds(content, name):
    with pytest.raises(ApplicationError) as refused:
        check(content, name)
    assert f"“{name}”" in refused.value.message
    assert "JPEG, PNG, GIF or WebP" in refused.value.message
    assert "PDF" in refused.value.message and "Word" in refused.value.message
    assert refused.value.extra["field"] == "file"


def test_a_truncated_png_is_refused_as_damaged():
    noisy = io.BytesIO()
    Image.effect_noise((200, 200), 60).save(noisy, "PNG")
    content = noisy.getvalue()[:-2000]
    with pytest.raises(ApplicationError, match=r"“cut\.png” is damaged or incomplete"):
        check(content, "cut.png")


def test_an_image_signature_over_garbage_is_refused():
    with pytest.raises(ApplicationError, match="damaged or incomplete"):
        check(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "fake.png")


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_claiming(30_000, 30_000)  # 900 megapixels declared in a tiny file
    assert len(bomb) < 200
    with pytest.raises(ApplicationError, match=r"“bomb\.png” has too many pixels"):
        check(bomb, "bomb.png")
    with pytest.raises(ApplicationError, match="too many pixels"):
        thumbnail(bomb, name="bomb.png")


# ---------------------------------------------------------------------------- thumbnails


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1200, 800), (320, 213)), ((600, 1500), (128, 320)), ((50, 40), (50, 40))],
)
def test_thumbnail_is_a_jpeg_of_at_most_320_pixels(size, expected):
    thumb = Image.open(io.BytesIO(thumbnail(image_bytes("JPEG", size=size))))
    assert thumb.format == "JPEG" and thumb.mode == "RGB"
    assert thumb.size == expected and max(thumb.size) <= THUMBNAIL_SIDE


def test_thumbnail_turns_the_photo_upright_by_its_exif_orientation():
    # given a landscape photo, red on the left and blue on the right, whose camera was turned
    # (EXIF orientation 6: show it rotated 90° clockwise)
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    # when it is thumbnailed
    thumb = Image.open(io.BytesIO(thumbnail(out.getvalue())))
    # then it stands upright: portrait, the left (red) half now on top
    assert thumb.size == (160, 320)
    red, _g, blue = thumb.getpixel((80, 40))
    assert red > 200 and blue < 60
    red, _g, blue = thumb.getpixel((80, 280))
    assert blue > 200 and red < 60


def test_thumbnail_of_a_transparent_png_is_rgb_on_white():
    content = image_bytes("PNG", size=(100, 100), colour=(0, 0, 0, 0), mode="RGBA")
    thumb = Image.open(io.BytesIO(thumbnail(content)))
    assert thumb.mode == "RGB" and thumb.getpixel((50, 50)) >= (250, 250, 250)


def test_thumbnail_of_an_animated_gif_is_its_first_frame():
    frames = [Image.new("P", (60, 60), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(thumbnail(out.getvalue()))).size == (60, 60)


def test_thumbnail_of_a_truncated_jpeg_is_refused():
    noisy = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(noisy, "JPEG")
    with pytest.raises(ApplicationError, match=r"“cut\.jpg” is damaged"):
        thumbnail(noisy.getvalue()[:-4000], name="cut.jpg")


def test_truncation_is_caught_even_when_weasyprint_loads_truncated_images(monkeypatch):
    # given WeasyPrint's process-wide setting (it is set when weasyprint is imported)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    noisy = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(noisy, "JPEG")
    # when a truncated photo is thumbnailed, then it is refused and the setting is restored
    with pytest.raises(ApplicationError, match="damaged"):
        thumbnail(noisy.getvalue()[:-4000], name="cut.jpg")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
