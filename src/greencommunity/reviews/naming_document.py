"""The naming decision (命名决定) as a PDF: the issuing body, the document number (文号), the
heading, the text, and the list of the communities named with their certificate numbers, by
city, county and street — a Chinese official document, whatever the interface language."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from greencommunity.documents.pdf import html_to_pdf
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from .models import NamingDecision, Title, TitleKind


@dataclass(frozen=True)
class NamedRow:
    number: int
    city: str
    county: str
    street: str
    community: str
    certificate_number: str


def _path_names(region: Region | None) -> dict[str, str]:
    names: dict[str, str] = {}
    while region is not None:
        names[region.level] = region.name
        region = region.parent
    return names


def naming_rows(decision: NamingDecision) -> list[NamedRow]:
    titles = (
        Title.objects.filter(decision=decision)
        .select_related(
            "community__region__parent__parent__parent__parent",
        )
        .order_by("community__region__code")
    )
    rows = []
    for i, title in enumerate(titles, start=1):
        names = _path_names(title.community.region)
        rows.append(
            NamedRow(
                number=i, city=names.get(Level.CITY, ""), county=names.get(Level.COUNTY, ""),
                street=names.get(Level.STREET, ""), community=names.get(Level.COMMUNITY, ""),
                certificate_number=title.certificate_number,
            )
        )  # fmt: skip
    return rows


def issuer_name(region: Region) -> str:
    """The housing department of the naming jurisdiction (厅 at province level, else 局)."""
    office = "厅" if region.level == Level.PROVINCE else "局"
    return f"{region.name}住房和城乡建设{office}"


def naming_decision_html(decision: NamingDecision) -> str:
    title_name = {
        TitleKind.GREEN: "绿色社区",
        TitleKind.DEMONSTRATION: "省级示范绿色社区",
    }[TitleKind(decision.title_kind)]
    d = decision.decided_on
    return render_to_string(
        "reviews/naming_decision.html",
        {
            "decision": decision,
            "issuer": issuer_name(decision.region),
            "title_name": title_name,
            "date_text": f"{d.year}年{d.month}月{d.day}日",
            "rows": naming_rows(decision),
        },
    )


def naming_decision_pdf(decision: NamingDecision) -> bytes:
    return html_to_pdf(naming_decision_html(decision))
