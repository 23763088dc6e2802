"""Small evidence files made in memory for the tests: images, PDF, DOCX, DOC, zips."""

import io
import struct
import zipfile
import zlib

from docx import Document
from PIL import Image


def image_bytes(fmt, size=(40, 30), colour=(30, 140, 60), mode="RGB", **save):
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes():
    document = Document()
    document.add_paragraph("社区绿色生活公约")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def doc_bytes(stream="WordDocument"):
    """An OLE2 compound file header and a directory entry naming `stream`."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = stream.encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    return header + entry + bytes(384)


def zip_bytes(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def png_claiming(width, height):
    """A valid 1x1 PNG whose header claims another size (what a decompression bomb looks like
    before decoding)."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)
