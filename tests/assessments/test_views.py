"""Self-assessment pages: list scope and filters, starting with the standard in force, answers
saved in place (htmx: the row plus the summary and gap list out of band), errors at their
field, submit and reopen, read-only readers (403 on writes), other communities (404), score
sheet downloads, evidence upload and download, and a query count that does not grow with the
number of criteria and files."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from greencommunity.access.roles import Role
from greencommunity.assessments.models import (
    AnswerSource,
    Assessment,
    AssessmentAnswer,
    AssessmentStatus,
    Evidence,
)
from greencommunity.assessments.services import (
    answer_set,
    assessment_rescore,
    assessment_start,
    assessment_submit,
)
from greencommunity.regions.models import Indicator
from greencommunity.regions.services.indicator_values import indicator_value_set
from greencommunity.regions.services.tree import region_create
from greencommunity.standards.services.versions import standard_adopt

HTMX = {"HX-Request": "true"}
YEAR = 2024
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IN_MEMORY = {
    **settings.STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def png_bytes(size=(64, 48), colour=(30, 140, 60)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english_pages(client):
    """The pages in English (the language switch's cookie), to read their messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def huantai_in_force(tree, standards):
    """桓台县 has adopted its own standard (20 criteria x 5 points, pass >= 80)."""
    standard_adopt(
        actor=None, region=tree["county"], standard=standards["huantai"],
        effective_from=date(2021, 1, 7),
    )  # fmt: skip
    return standards["huantai"]


@pytest.fixture
def draft(community, huantai_in_force):
    return assessment_start(actor=None, community=community, standard=huantai_in_force, year=YEAR)


@pytest.fixture
def committee_client(client, committee):
    client.force_login(committee)
    return client


@pytest.fixture
def street_client(client, tree, make_user):
    client.force_login(make_user(Role.STREET, tree["street"], username="chengqu"))
    return client


@pytest.fixture
def sibling_client(client, sibling, make_user):
    client.force_login(make_user(Role.COMMUNITY, sibling.region, username="dongyuan"))
    return client


def criterion(standard, number):
    return standard.criteria.get(number=number)


def answer_all(assessment, points="5"):
    """Every criterion answered: the self-scored ones with `points`, the property management
    coverage (the indicator rule of Huantai, national and Tianjin) entered at 100 %."""
    indicator_value_set(
        actor=None, community=assessment.community,
        indicator=Indicator.objects.get(code="property_management_coverage"),
        year=assessment.year, value="100",
    )  # fmt: skip
    assessment_rescore(assessment=assessment)
    for a in assessment.answers.select_related("criterion"):
        if a.source == AnswerSource.SELF:
            answer_set(actor=None, assessment=assessment, criterion=a.criterion, points=points)
    assessment.refresh_from_db()
    return assessment


# ---------------------------------------------------------------------------- list


def test_pages_require_login(client, draft):
    for target in [url("list"), url("detail", draft.pk)]:
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_list_is_scoped_and_filtered(client, tree, make_user, draft, standards):
    # given a draft of 西苑社区 and a submitted one of 新华社区 in another county
    other = region_create(
        actor=None, code="370303001001", name="新华社区", parent=tree["other_street"]
    ).community
    other_assessment = assessment_start(
        actor=None, community=other, standard=standards["national"], year=2023
    )
    client.force_login(make_user(Role.STREET, tree["street"]))
    # when the street office of 城区街道 lists, it sees 西苑社区 only
    response = client.get(url("list"))
    assert list(response.context["assessments"]) == [draft]
    body = response.content.decode()
    assert "西苑社区" in body and "新华社区" not in body and url("detail", draft.pk) in body
    # a county official of the city sees both, and the filters narrow them
    client.force_login(make_user(Role.HOUSING, tree["city"]))
    assert set(client.get(url("list")).context["assessments"]) == {draft, other_assessment}
    assert list(client.get(url("list"), {"year": 2023}).context["assessments"]) == [
        other_assessment
    ]
    assert list(client.get(url("list"), {"status": "submitted"}).context["assessments"]) == []
    assert set(client.get(url("list"), {"passed": "no"}).context["assessments"]) == {
        draft,
        other_assessment,
    }
    assert list(client.get(url("list"), {"passed": "yes"}).context["assessments"]) == []
    assert list(client.get(url("list"), {"community": "370303001001"}).context["assessments"]) == [
        other_assessment
    ]
    # with htmx, only the results
    partial = client.get(url("list"), {"year": 2024}, headers=HTMX).content.decode()
    assert 'id="assessment-results"' in partial and "<html" not in partial


def test_list_paginates_and_filters_by_result(committee_client, community, standards):
    # 4 standards x the 7 campaign years 2020..this year: 28 drafts, 25 a page
    years = range(2020, date.today().year + 1)
    for year in years:
        for key in ("national", "tianjin", "huantai", "sichuan"):
            assessment_start(actor=None, community=community, standard=standards[key], year=year)
    response = committee_client.get(url("list"))
    assert response.context["page_obj"].paginator.count == 4 * len(years)
    assert len(response.context["assessments"]) == 25
    second = committee_client.get(url("list"), {"page": 2})
    assert len(second.context["assessments"]) == 4 * len(years) - 25
    # Sichuan's standard sets no pass mark
    no_mark = committee_client.get(url("list"), {"passed": "none"}).context["page_obj"]
    assert no_mark.paginator.count == len(years)
    assert {a.standard.key for a in no_mark.object_list} == {"sichuan-2020"}


# ---------------------------------------------------------------------------- start


def test_community_card_offers_the_standard_in_force(committee_client, huantai_in_force):
    response = committee_client.get(url("community_card", "370321001002"), headers=HTMX)
    assert response.status_code == 200
    form = response.context["start_form"]
    assert form.fields["standard"].initial == huantai_in_force.pk
    choices = dict(form.fields["standard"].choices)
    assert huantai_in_force.pk in choices
    # Sichuan's standard does not serve Shandong
    assert not any("四川" in str(label) for label in choices.values())
    assert 'id="assessment-start-form"' in response.content.decode()
    # without htmx: the list filtered to the community
    plain = committee_client.get(url("community_card", "370321001002"))
    assert plain.status_code == 302 and "community=370321001002" in plain.url


def test_community_detail_loads_the_card(committee_client):
    body = committee_client.get(
        reverse("regions:community_detail", args=["370321001002"])
    ).content.decode()
    assert url("community_card", "370321001002") in body


def test_start_with_the_default_standard(committee_client, community, huantai_in_force):
    # when the committee starts without choosing a standard
    response = committee_client.post(url("start"), {"community": "370321001002", "year": YEAR})
    # then the draft against the standard in force opens
    assessment = Assessment.objects.get(community=community)
    assert response.status_code == 302 and response.url == url("detail", assessment.pk)
    assert assessment.standard == huantai_in_force and assessment.year == YEAR
    assert assessment.answers.count() == 20
    # starting again opens the same draft
    again = committee_client.post(
        url("start"),
        {"community": "370321001002", "year": YEAR, "standard": huantai_in_force.pk},
    )
    assert again.url == url("detail", assessment.pk) and Assessment.objects.count() == 1


def test_start_refusal_is_shown_as_a_message(committee_client, community, draft):
    answer_all(draft)
    assessment_submit(actor=None, assessment=draft)
    response = committee_client.post(
        url("start"), {"community": "370321001002", "year": YEAR}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "regions:community_detail", args=["370321001002"]
    )
    assert "was submitted: reopen it" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_start_refuses_a_villagers_committee(client, tree, make_user, huantai_in_force):
    village = region_create(
        actor=None, code="370321001201", name="马桥村", parent=tree["street"]
    ).community
    client.force_login(make_user(Role.COMMUNITY, village.region))
    response = client.post(url("start"), {"community": village.region.code, "year": YEAR},
                           follow=True)  # fmt: skip
    assert "Only urban communities" in response.content.decode()
    assert not Assessment.objects.exists()


def test_start_by_a_reader_is_403_and_outside_scope_404(
    client, tree, sibling, make_user, huantai_in_force
):
    data = {"community": "370321001002", "year": YEAR}
    client.force_login(make_user(Role.STREET, tree["street"]))
    assert client.post(url("start"), data).status_code == 403
    assert client.get(url("start")).status_code == 405
    client.force_login(make_user(Role.COMMUNITY, sibling.region))
    assert client.post(url("start"), data).status_code == 404
    assert not Assessment.objects.exists()


# ---------------------------------------------------------------------------- the page


def test_page_shows_header_areas_and_gaps(committee_client, draft):
    response = committee_client.get(url("detail", draft.pk))
    assert response.status_code == 200
    body = response.content.decode()
    page = response.context["page"]
    assert [b.area.number for b in page.areas] == [1, 2, 3, 4, 5]
    assert sum(len(b.rows) for b in page.areas) == 20
    assert "桓台县绿色社区创建标准（试行）" in body and "total at least 80" in body
    assert len(re.findall(r'<article[^>]* id="criterion-\d+"', body)) == 20
    assert 'id="gap-list"' in body and "县住房和城乡建设局" in body  # departments
    assert url("score_sheet_xlsx", draft.pk) in body and url("score_sheet_pdf", draft.pk) in body
    assert 'id="submit-button"' in body
    # criterion 15 is decided by the property management coverage: no points field
    c15 = criterion(draft.standard, 15)
    row = re.search(rf'<article[^>]*id="criterion-{c15.pk}".*?</article>', body, re.S).group(0)
    assert 'name="points"' not in row and 'name="notes"' in row
    assert "No value entered for 2024" in row


def test_answer_by_htmx_returns_the_row_and_the_summary_out_of_band(committee_client, draft):
    c1 = criterion(draft.standard, 1)
    response = committee_client.post(
        url("answer", draft.pk, c1.pk), {"points": "4", "notes": "已建立"}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    # the row's state, out of band; the fields the user typed in are left alone
    assert re.search(rf'id="criterion-{c1.pk}-state" hx-swap-oob="true">4 / 5<', body)
    assert f'id="points-field-{c1.pk}"' not in body and f'id="notes-field-{c1.pk}"' not in body
    summary = re.search(r'<section[^>]*id="score-summary"[^>]*>', body).group(0)
    assert 'hx-swap-oob="true"' in summary
    assert re.search(r'id="score-total">4<', body)
    assert re.search(r'id="compact-total">4<', body)
    gaps = re.search(r'<section[^>]*id="gap-list"[^>]*>', body).group(0)
    assert 'hx-swap-oob="true"' in gaps
    area_1 = c1.area
    assert re.search(rf'id="area-subtotal-{area_1.pk}" hx-swap-oob="true">.*?4 / 20', body, re.S)
    answer = AssessmentAnswer.objects.get(assessment=draft, criterion=c1)
    assert (answer.points, answer.notes) == (D("4.0"), "已建立")
    draft.refresh_from_db()
    assert draft.total == D(4) and draft.answered_count == 1


def test_answer_without_htmx_redirects_back_to_the_row(committee_client, draft):
    c2 = criterion(draft.standard, 2)
    response = committee_client.post(url("answer", draft.pk, c2.pk), {"points": "5"})
    assert response.status_code == 302
    assert response.url == f"{url('detail', draft.pk)}#criterion-{c2.pk}"
    draft.refresh_from_db()
    assert draft.total == D(5)


@pytest.mark.parametrize("points", ["3.3", "6", "-1", "abc"])
def test_invalid_points_are_refused_at_the_field(committee_client, draft, points):
    c1 = criterion(draft.standard, 1)
    response = committee_client.post(
        url("answer", draft.pk, c1.pk), {"points": points}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Award 0 to 5 points, in steps of 0.5." in body
    assert f'value="{points}"' in body and 'aria-invalid="true"' in body
    assert f'id="points-{c1.pk}-error"' in body
    assert AssessmentAnswer.objects.get(assessment=draft, criterion=c1).points is None
    # corrected, the field comes back without the error (the form said it showed one)
    fixed = committee_client.post(
        url("answer", draft.pk, c1.pk), {"points": "3.5", "invalid": "points"}, headers=HTMX
    ).content.decode()
    field = re.search(rf'<div[^>]*id="points-field-{c1.pk}".*?</div>\s*</div>', fixed, re.S)
    assert field and 'value="3.5"' in field.group(0) and "aria-invalid" not in field.group(0)
    # without htmx, the whole page with the error at the field
    page = committee_client.post(url("answer", draft.pk, c1.pk), {"points": points})
    assert page.status_code == 200 and "Award 0 to 5 points" in page.content.decode()


def test_ticks_suggest_points_and_one_click_takes_them(committee_client, community, standards):
    sichuan = standards["sichuan"]
    assessment = assessment_start(actor=None, community=community, standard=sichuan, year=YEAR)
    c = next(
        c
        for c in sichuan.criteria.prefetch_related("sub_conditions").order_by("number")
        if c.sub_conditions.count() >= 2
        and AssessmentAnswer.objects.get(assessment=assessment, criterion=c).source == "self"
    )
    subs = list(c.sub_conditions.order_by("number").values_list("number", flat=True))
    target = url("answer", assessment.pk, c.pk)
    # ticking with no points typed awards what the ticks suggest: the points field comes back
    body = committee_client.post(
        target, {"ticked": subs[:1], "points": ""}, headers=HTMX
    ).content.decode()
    assert f'id="points-field-{c.pk}" hx-swap-oob="true"' in body
    assert f'id="ticks-{c.pk}"' not in body  # the ticks are as the user left them
    answer = AssessmentAnswer.objects.get(assessment=assessment, criterion=c)
    from greencommunity.standards.scoring import suggest_points

    first = suggest_points(c.points, 1, len(subs))
    assert answer.points == first and answer.ticked == subs[:1]
    # typed points win; the suggestion is shown with a button to take it
    body = committee_client.post(
        target, {"ticked": subs, "points": "0.5"}, headers=HTMX
    ).content.decode()
    answer.refresh_from_db()
    assert answer.points == D("0.5") and answer.ticked == subs
    assert f'id="take-suggestion-{c.pk}"' in body
    # one click takes it
    committee_client.post(target, {"ticked": subs, "points": "0.5", "suggested": "1"}, headers=HTMX)
    answer.refresh_from_db()
    assert answer.points == c.points


def test_notes_alone_do_not_answer_a_criterion_with_sub_conditions(
    committee_client, community, standards
):
    sichuan = standards["sichuan"]
    assessment = assessment_start(actor=None, community=community, standard=sichuan, year=YEAR)
    c = sichuan.criteria.get(number=1)
    committee_client.post(url("answer", assessment.pk, c.pk), {"notes": "待补充"}, headers=HTMX)
    answer = AssessmentAnswer.objects.get(assessment=assessment, criterion=c)
    assert answer.notes == "待补充" and not answer.is_answered


def test_met_mode_radios(committee_client, community, standards):
    national = standards["national"]
    assessment = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    c = criterion(national, 1)
    body = committee_client.post(
        url("answer", assessment.pk, c.pk), {"met": "yes"}, headers=HTMX
    ).content.decode()
    assert f'id="met-{c.pk}-yes" checked' in body
    assessment.refresh_from_db()
    assert assessment.met_count == 1 and assessment.total == D(1)


def test_answer_to_a_criterion_of_another_standard_is_404(committee_client, draft, standards):
    other = criterion(standards["national"], 1)
    response = committee_client.post(url("answer", draft.pk, other.pk), {"points": "5"})
    assert response.status_code == 404


# ---------------------------------------------------------------------------- submit, reopen


def test_submit_refused_lists_the_open_criteria_then_submits_and_reopens(committee_client, draft):
    # refused while criteria are open: the page lists them with links
    response = committee_client.post(url("submit", draft.pk))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="submit-error"' in body
    assert "Answer every criterion before submitting" in body
    c1 = criterion(draft.standard, 1)
    assert f'href="#criterion-{c1.pk}"' in body
    # answered, it submits and the page is locked
    answer_all(draft, points="4.5")
    response = committee_client.post(url("submit", draft.pk))
    assert response.status_code == 302 and response.url == url("detail", draft.pk)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    page = committee_client.get(url("detail", draft.pk)).content.decode()
    assert 'id="locked-notice"' in page and 'name="points"' not in page
    assert 'id="reopen-button"' in page and 'id="submit-button"' not in page
    assert committee_client.post(url("answer", draft.pk, c1.pk), {"points": "5"},
                                 headers=HTMX).status_code == 200  # fmt: skip
    assert AssessmentAnswer.objects.get(assessment=draft, criterion=c1).points == D("4.5")
    # reopening makes revision 2, a draft, with the history linked
    response = committee_client.post(url("reopen", draft.pk))
    revision_2 = Assessment.objects.get(revision=2)
    assert response.url == url("detail", revision_2.pk) and revision_2.is_draft
    page = committee_client.get(url("detail", revision_2.pk)).content.decode()
    assert 'id="revision-history"' in page and url("detail", draft.pk) in page
    # revision 1 is no longer the latest: no reopen button, and a reopen is refused
    old = committee_client.get(url("detail", draft.pk)).content.decode()
    assert 'id="reopen-button"' not in old
    refused = committee_client.post(url("reopen", draft.pk), follow=True)
    assert "Revision 2 exists already" in refused.content.decode()


def test_answer_on_a_submitted_assessment_shows_the_lock(committee_client, draft):
    answer_all(draft)
    assessment_submit(actor=None, assessment=draft)
    c1 = criterion(draft.standard, 1)
    body = committee_client.post(
        url("answer", draft.pk, c1.pk), {"points": "1"}, headers=HTMX
    ).content.decode()
    assert "Submitted assessments are locked" in body


# ---------------------------------------------------------------------------- permissions


def test_street_office_reads_but_may_not_write(street_client, draft):
    response = street_client.get(url("detail", draft.pk))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="readonly-notice"' in body
    assert 'name="points"' not in body and 'id="submit-button"' not in body
    assert 'type="file"' not in body
    c1 = criterion(draft.standard, 1)
    assert street_client.post(url("answer", draft.pk, c1.pk), {"points": "5"}).status_code == 403
    assert street_client.post(url("submit", draft.pk)).status_code == 403
    assert street_client.post(url("reopen", draft.pk)).status_code == 403
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    assert (
        street_client.post(url("evidence_upload", draft.pk, c1.pk), {"files": upload}).status_code
        == 403
    )
    assert AssessmentAnswer.objects.get(assessment=draft, criterion=c1).points is None


def test_another_communitys_user_gets_404(sibling_client, draft):
    c1 = criterion(draft.standard, 1)
    for target in [
        url("detail", draft.pk),
        url("score_sheet_xlsx", draft.pk),
        url("score_sheet_pdf", draft.pk),
        url("community_card", "370321001002"),
    ]:
        assert sibling_client.get(target).status_code == 404, target
    for target in [
        url("answer", draft.pk, c1.pk),
        url("submit", draft.pk),
        url("reopen", draft.pk),
    ]:
        assert sibling_client.post(target, {"points": "5"}).status_code == 404, target
    assert sibling_client.get(url("detail", 999999)).status_code == 404


def test_writes_are_post_only(committee_client, draft):
    c1 = criterion(draft.standard, 1)
    for target in [url("answer", draft.pk, c1.pk), url("submit", draft.pk), url("reopen", draft.pk),
                   url("evidence_upload", draft.pk, c1.pk)]:  # fmt: skip
        assert committee_client.get(target).status_code == 405, target


def test_csrf_is_enforced(committee, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(committee)
    c1 = criterion(draft.standard, 1)
    assert client.post(url("answer", draft.pk, c1.pk), {"points": "5"}).status_code == 403
    assert AssessmentAnswer.objects.get(assessment=draft, criterion=c1).points is None


# ---------------------------------------------------------------------------- score sheet


def test_score_sheet_downloads(street_client, draft):
    xlsx = street_client.get(url("score_sheet_xlsx", draft.pk))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx["Content-Disposition"].startswith("attachment;")
    assert xlsx.content[:2] == b"PK"
    pdf = street_client.get(url("score_sheet_pdf", draft.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert ".pdf" in pdf["Content-Disposition"]


# ---------------------------------------------------------------------------- evidence


@override_settings(STORAGES=IN_MEMORY)
def test_evidence_upload_thumbnail_and_download(
    committee_client, client, draft, make_user, tree, sibling
):
    c1 = criterion(draft.standard, 1)
    photo = SimpleUploadedFile("现场照片.png", png_bytes(), content_type="image/png")
    pdf = SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")
    response = committee_client.post(
        url("evidence_upload", draft.pk, c1.pk), {"files": [photo, pdf]}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    image, document = Evidence.objects.order_by("pk")
    assert image.kind == "image" and image.thumbnail and image.original_name == "现场照片.png"
    assert document.kind == "pdf" and not document.thumbnail
    assert url("evidence_thumbnail", image.pk) in body and url("evidence_file", document.pk) in body
    assert "bi-file-earmark-pdf" in body and f'id="evidence-{c1.pk}"' in body

    # the photo shows inline with its sniffed type; the PDF downloads
    got = committee_client.get(url("evidence_file", image.pk))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert got["Content-Disposition"].startswith("inline")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content) == png_bytes()
    thumb = committee_client.get(url("evidence_thumbnail", image.pk))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"
    got = committee_client.get(url("evidence_file", document.pk))
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment")
    assert committee_client.get(url("evidence_thumbnail", document.pk)).status_code == 404

    # a reader of the community may download; another community may not
    client.force_login(make_user(Role.STREET, tree["street"]))
    assert client.get(url("evidence_file", image.pk)).status_code == 200
    client.force_login(make_user(Role.COMMUNITY, sibling.region))
    assert client.get(url("evidence_file", image.pk)).status_code == 404
    assert client.get(url("evidence_thumbnail", image.pk)).status_code == 404
    assert client.post(url("evidence_delete", image.pk)).status_code == 404


@override_settings(STORAGES=IN_MEMORY)
def test_evidence_refusals_are_shown_at_the_upload_and_delete_works(committee_client, draft):
    c1 = criterion(draft.standard, 1)
    text = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    body = committee_client.post(
        url("evidence_upload", draft.pk, c1.pk), {"files": text}, headers=HTMX
    ).content.decode()
    assert f'id="files-{c1.pk}-error"' in body and "notes.txt" in body
    assert not Evidence.objects.exists()
    nothing = committee_client.post(url("evidence_upload", draft.pk, c1.pk), {}, headers=HTMX)
    assert "Choose one or more files" in nothing.content.decode()
    # without htmx: back to the row with a message
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    response = committee_client.post(url("evidence_upload", draft.pk, c1.pk), {"files": photo})
    assert response.status_code == 302 and response.url.endswith(f"#criterion-{c1.pk}")
    evidence = Evidence.objects.get()
    # deleting it re-renders the row without it
    body = committee_client.post(url("evidence_delete", evidence.pk), headers=HTMX).content.decode()
    assert not Evidence.objects.exists() and url("evidence_file", evidence.pk) not in body


# ---------------------------------------------------------------------------- query count


def _with_evidence(assessment, count):
    """`count` evidence rows spread over the assessment's answers (files not read by the page)."""
    answers = list(assessment.answers.order_by("criterion__number"))
    rows = []
    for i in range(count):
        key = f"{i:032x}"
        rows.append(
            Evidence(
                answer=answers[i % len(answers)], stored_key=key,
                file=f"evidence/{key[:2]}/{key}.png",
                thumbnail=f"evidence/{key[:2]}/{key}.thumb.jpg",
                original_name=f"照片{i}.png", kind="image", content_type="image/png", size=1234,
                sha256="0" * 64, uploaded_at=timezone.now(),
            )
        )  # fmt: skip
    Evidence.objects.bulk_create(rows)


def test_page_queries_do_not_grow_with_criteria_and_files(
    committee_client, community, standards, django_assert_max_num_queries
):
    # given a Sichuan draft (28 criteria, 27 with sub-conditions) with 50 files, all answered
    big = assessment_start(actor=None, community=community, standard=standards["sichuan"],
                           year=YEAR)  # fmt: skip
    answer_all(big, points="1")
    _with_evidence(big, 50)
    # and a national draft (16 criteria) with 2 files
    small = assessment_start(actor=None, community=community, standard=standards["national"],
                             year=YEAR)  # fmt: skip
    _with_evidence(small, 2)
    committee_client.get(url("detail", small.pk))  # warm the session
    with django_assert_max_num_queries(15) as counted_small:
        committee_client.get(url("detail", small.pk))
    with django_assert_max_num_queries(15) as counted_big:
        response = committee_client.get(url("detail", big.pk))
    assert response.content.decode().count("/thumbnail") == 50
    assert len(counted_big.captured_queries) == len(counted_small.captured_queries)


def test_htmx_answer_queries_are_bounded(committee_client, community, standards,
                                         django_assert_max_num_queries):  # fmt: skip
    big = assessment_start(actor=None, community=community, standard=standards["sichuan"],
                           year=YEAR)  # fmt: skip
    _with_evidence(big, 50)
    c = criterion(standards["sichuan"], 2)
    committee_client.get(url("detail", big.pk))
    with django_assert_max_num_queries(45):
        committee_client.post(url("answer", big.pk, c.pk), {"points": "1"}, headers=HTMX)


def test_apply_form_only_on_the_latest_passing_submitted_assessment_for_the_committee(
    committee_client, draft, tree, make_user
):
    from django.test import Client

    street_client = Client()
    street_client.force_login(make_user("street", tree["street"]))
    # a draft offers no application
    assert 'id="apply-form"' not in committee_client.get(url("detail", draft.pk)).content.decode()
    # submitted and passing (4.5 x 20 = 90 >= 80): the committee may apply from it
    answer_all(draft, points="4.5")
    assessment_submit(actor=None, assessment=draft)
    page = committee_client.get(url("detail", draft.pk)).content.decode()
    assert 'id="apply-form"' in page and 'action="/reviews/applications/new/"' in page
    # the street office reads the page without the form
    assert 'id="apply-form"' not in street_client.get(url("detail", draft.pk)).content.decode()
    # and the form makes the draft application
    response = committee_client.post(
        "/reviews/applications/new/", {"assessment": draft.pk, "title_kind": "green"}
    )
    assert response.status_code == 302 and response.url.startswith("/reviews/applications/")


def test_no_apply_form_for_a_failing_assessment(committee_client, draft):
    answer_all(draft, points="3")
    assessment_submit(actor=None, assessment=draft)
    assert 'id="apply-form"' not in committee_client.get(url("detail", draft.pk)).content.decode()
