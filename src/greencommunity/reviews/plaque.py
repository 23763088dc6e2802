"""The plaque (标识牌) of a title as a PDF: one A4 landscape page with the title in large type,
the community, the granting jurisdiction, the year, the certificate number, and a QR code that
opens the public verification page, which shows the title's current status (so a plaque still
on the wall of a revoked community tells the truth when scanned).

The plaque is a Chinese document: its words are Chinese whatever the interface language. The
QR code is drawn by segno as SVG and embedded as a data URI (nothing is fetched).
"""

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string

from greencommunity.documents.pdf import html_to_pdf

from .models import Title, TitleKind
from .selectors_titles import title_jurisdiction_name, title_region_path

KIND_TEXT = {TitleKind.GREEN: "绿色社区", TitleKind.DEMONSTRATION: "省级示范绿色社区"}
QR_ERROR_LEVEL = "m"  # 15 % redundancy: survives a scratched or weathered plaque


def plaque_verify_url(title: Title) -> str:
    """What the QR code holds: the public verification page of the title."""
    return f"{settings.PUBLIC_BASE_URL}/public/verify/{title.public_id}/"


def plaque_qr(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=QR_ERROR_LEVEL, boost_error=False)


def plaque_qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI (black on white, 4-module quiet zone)."""
    return str(plaque_qr(url).svg_data_uri(scale=10, border=4, dark="#000", light="#fff"))


def plaque_context(title: Title) -> dict[str, Any]:
    url = plaque_verify_url(title)
    path = title_region_path(title)
    return {
        "title": title,
        "kind_text": KIND_TEXT[TitleKind(title.kind)],
        "community": title.community.region.name,
        "region_path": " ".join(path[1:] if len(path) > 1 else path),  # below the province
        "jurisdiction": title_jurisdiction_name(title),
        "year": title.year,
        "named_on": f"{title.named_on.year}年{title.named_on.month}月{title.named_on.day}日",
        "certificate_number": title.certificate_number,
        "verify_url": url,
        "qr": plaque_qr_data_uri(url),
    }


def plaque_html(title: Title) -> str:
    return render_to_string("reviews/plaque.html", plaque_context(title))


def plaque_pdf(title: Title) -> bytes:
    """The plaque as a one-page A4 landscape PDF."""
    return html_to_pdf(plaque_html(title))
