"""HTML to PDF through WeasyPrint (A4 unless the page's own CSS says otherwise).

Ground floor: no domain imports. The HTML must be self-contained (no base URL: nothing is
fetched from the file system or the network); Chinese text needs a CJK font on the machine
(`fonts-noto-cjk`), and `libharfbuzz-subset0` keeps font subsetting fast.
"""

from weasyprint import CSS, HTML

PDF_CONTENT_TYPE = "application/pdf"
_A4 = "@page { size: A4; }"


def html_to_pdf(html: str) -> bytes:
    """The PDF (bytes) of an HTML document, A4 by default."""
    document = HTML(string=html, base_url=None)
    pdf = document.write_pdf(stylesheets=[CSS(string=_A4)])
    assert pdf is not None
    return pdf
