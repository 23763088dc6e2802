"""What an evidence file is, decided from its content (never its name), and image thumbnails.

Accepted: photos (JPEG, PNG, GIF, WebP; opened and verified with Pillow, decompression bombs
refused), PDF documents and Word documents (DOCX: a zip holding `[Content_Types].xml` and
`word/document.xml`, read from the zip's directory without extracting anything large; DOC: an
OLE2 compound file holding a `WordDocument` stream). Everything else is refused with a message
naming the file and the accepted kinds.

Pure functions: no database, no storage. `data` is a seekable binary file of the whole content.
"""

import io
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from greencommunity.core.errors import ApplicationError

from .models import EvidenceKind

HEAD_BYTES = 16  # enough for every signature below
MAX_PIXELS = 100_000_000  # a 100-megapixel photo; more is treated as a decompression bomb
THUMBNAIL_SIDE = 320
THUMBNAIL_QUALITY = 80
MAX_ZIP_ENTRIES = 10_000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml of a DOCX is a few kilobytes
_SCAN_CHUNK = 1024 * 1024

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")  # the main stream of a Word 97-2003 file
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileKind:
    """What the content is: the evidence kind, the content type to serve it with and the
    suffix to store it under."""

    kind: str  # an EvidenceKind value
    content_type: str
    suffix: str


JPEG = FileKind(EvidenceKind.IMAGE.value, "image/jpeg", ".jpg")
PNG = FileKind(EvidenceKind.IMAGE.value, "image/png", ".png")
GIF = FileKind(EvidenceKind.IMAGE.value, "image/gif", ".gif")
WEBP = FileKind(EvidenceKind.IMAGE.value, "image/webp", ".webp")
PDF = FileKind(EvidenceKind.PDF.value, "application/pdf", ".pdf")
DOCX = FileKind(EvidenceKind.WORD.value, DOCX_TYPE, ".docx")
DOC = FileKind(EvidenceKind.WORD.value, "application/msword", ".doc")

_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}


def refused(name: str) -> ApplicationError:
    """The refusal of a file that is none of the accepted kinds."""
    return ApplicationError(
        _(
            "“%(name)s” is not an accepted file: upload a photo (JPEG, PNG, GIF or WebP), a PDF "
            "or a Word document (.docx or .doc)."
        )
        % {"name": name},
        {"field": "file", "name": name},
    )


def sniff(head: bytes, data: IO[bytes], *, name: str = "") -> FileKind:
    """The kind of the content whose first bytes are `head` (`data` is all of it), or
    ApplicationError naming `name` when it is not accepted or not readable."""
    try:
        if head.startswith(JPEG_MAGIC):
            return _image(JPEG, data, name)
        if head.startswith(PNG_MAGIC):
            return _image(PNG, data, name)
        if head.startswith(GIF_MAGICS):
            return _image(GIF, data, name)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _image(WEBP, data, name)
        if head.startswith(PDF_MAGIC):
            return PDF
        if head.startswith(ZIP_MAGIC) and _is_docx(data):
            return DOCX
        if head.startswith(OLE2_MAGIC) and _contains(data, WORD_STREAM):
            return DOC
    finally:
        data.seek(0)
    raise refused(name)


def _damaged(name: str) -> ApplicationError:
    return ApplicationError(
        _("The photo “%(name)s” is damaged or incomplete and cannot be opened.") % {"name": name},
        {"field": "file", "name": name},
    )


def _too_large(name: str) -> ApplicationError:
    return ApplicationError(
        _(
            "The photo “%(name)s” has too many pixels (at most %(max)d megapixels): "
            "make it smaller and upload it again."
        )
        % {"name": name, "max": MAX_PIXELS // 1_000_000},
        {"field": "file", "name": name},
    )


_strict_lock = threading.Lock()


@contextmanager
def _strict() -> Iterator[None]:
    """Truncated images raise while decoding. WeasyPrint sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES on import (it renders what it can); it is switched off only for the
    duration, under a lock so concurrent checks restore it correctly."""
    with _strict_lock:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _open(data: IO[bytes], name: str) -> Image.Image:
    """The image, its header read only; refused beyond MAX_PIXELS before any decoding."""
    data.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(data)
    except Image.DecompressionBombError:
        raise _too_large(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _damaged(name) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise _too_large(name)
    return image


def _image(expected: FileKind, data: IO[bytes], name: str) -> FileKind:
    image = _open(data, name)
    if image.format != _PILLOW_FORMATS[expected]:
        raise refused(name)
    try:
        with _strict():
            image.verify()
    except Exception:  # Pillow raises many kinds on damaged data
        raise _damaged(name) from None
    return expected


def _is_docx(data: IO[bytes]) -> bool:
    """A zip whose directory lists `[Content_Types].xml` declaring a Word main part and
    `word/document.xml`. Only the (bounded) content types part is decompressed."""
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return False
            by_name = {info.filename: info for info in infos}
            types = by_name.get("[Content_Types].xml")
            if types is None or "word/document.xml" not in by_name:
                return False
            if types.file_size > MAX_CONTENT_TYPES_BYTES:
                return False
            with archive.open(types) as part:
                text = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError):  # fmt: skip
        return False
    return len(text) <= MAX_CONTENT_TYPES_BYTES and DOCX_MAIN.encode() in text


def _contains(data: IO[bytes], needle: bytes) -> bool:
    """Whether `needle` occurs anywhere in `data`, read in chunks."""
    data.seek(0)
    tail = b""
    while chunk := data.read(_SCAN_CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1) :]
    return False


def thumbnail(data: bytes | IO[bytes], *, name: str = "") -> bytes:
    """A JPEG of the image, its longest side at most 320 px, turned upright as its EXIF
    orientation says, in RGB (transparency on white). Refused as damaged when the image does
    not decode completely."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    image = _open(stream, name)
    try:
        with _strict(), image:
            image.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))  # JPEG: decode smaller
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
            rgb = _to_rgb(upright)
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    except ApplicationError:
        raise
    except Exception:  # truncated or corrupt image data surfaces only when decoding
        raise _damaged(name) from None
    return out.getvalue()


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
