"""Application pages: making one from a self-assessment, the list, the page with its 审批表
fields, submitting and withdrawing, attachments, the 审批表 downloads and the zip, with the role x
region permission matrix (404 outside the scope, 403 for an action the role may not take)."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from greencommunity.reviews.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Title,
    TitleConfig,
)
from greencommunity.reviews.services import attachment_add

ROLES = ("committee", "street", "county", "city", "province", "other_county")


@pytest.fixture
def client_of(sc_users):
    """client_of(key) -> a Client signed in as sc_users[key]."""

    def _client(key):
        client = Client()
        client.force_login(sc_users[key])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages' messages in English
        return client

    return _client


@pytest.fixture
def draft(sc, sc_users, apply):
    """东门社区's draft application (the basic situation filled in)."""
    return apply(sc_users["committee"], sc["c1"], submit=False)


def detail(application):
    return reverse("reviews:application_detail", args=[application.pk])


def url(name, application):
    return reverse(f"reviews:{name}", args=[application.pk])


# ---------------------------------------------------------------------------- making one


def test_committee_applies_from_a_passing_self_assessment(sc, sc_users, assess, client_of):
    # given 东门社区's submitted, passing self-assessment
    assessment = assess(sc["c1"])
    # when its committee posts the button's form
    response = client_of("committee").post(
        reverse("reviews:application_start"),
        {"assessment": assessment.pk, "title_kind": "green"},
    )
    # then a draft is made and the user lands on it
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(application)
    assert application.status == ApplicationStatus.DRAFT
    assert application.assessment_id == assessment.pk


@pytest.mark.parametrize(("who", "status"), [("street", 403), ("county", 403),
                                             ("other_county", 404)])  # fmt: skip
def test_only_the_committee_applies(sc, assess, client_of, who, status):
    assessment = assess(sc["c1"])
    response = client_of(who).post(
        reverse("reviews:application_start"), {"assessment": assessment.pk, "title_kind": "green"}
    )
    assert response.status_code == status
    assert not Application.objects.exists()


def test_a_failing_self_assessment_is_refused_on_its_page(sc, assess, client_of):
    assessment = assess(sc["c1"], points=(5, 1, 0))
    client = client_of("committee")
    response = client.post(
        reverse("reviews:application_start"), {"assessment": assessment.pk, "title_kind": "green"}
    )
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    page = client.get(response["Location"])
    assert "did not pass" in page.content.decode()
    assert not Application.objects.exists()


def test_the_list_offers_the_committee_its_passing_assessments(sc, sc_users, assess, apply,
                                                               client_of):  # fmt: skip
    passing = assess(sc["c1"])
    assess(sc["c2"])  # another community's
    response = client_of("committee").get(reverse("reviews:application_list"))
    html = response.content.decode()
    assert f'data-assessment="{passing.pk}"' in html
    assert html.count("data-assessment=") == 1
    # once applied with, it is no longer offered
    apply(sc_users["committee"], sc["c1"], assessment=passing, submit=False)
    html = client_of("committee").get(reverse("reviews:application_list")).content.decode()
    assert 'id="apply-card"' not in html
    assert (
        'id="apply-card"'
        not in client_of("street").get(reverse("reviews:application_list")).content.decode()
    )


# ---------------------------------------------------------------------------- list


def test_list_is_scoped_and_filtered(sc, sc_users, apply, client_of):
    submitted = apply(sc_users["committee"], sc["c1"])
    other = apply(sc_users["committee2"], sc["c2"], submit=False)
    rows = 'data-application="'
    html = client_of("street").get(reverse("reviews:application_list")).content.decode()
    assert html.count(rows) == 2
    assert (
        client_of("other_county")
        .get(reverse("reviews:application_list"))
        .content.decode()
        .count(rows)
        == 0
    )
    # filters: the step waited at, the status; with htmx only the results
    client = client_of("county")
    html = client.get(reverse("reviews:application_list"), {"step": "street"}).content.decode()
    assert f'data-application="{submitted.pk}"' in html and f'"{other.pk}"' not in html
    response = client.get(
        reverse("reviews:application_list"), {"status": "draft"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="application-results"')
    assert f'data-application="{other.pk}"' in html and html.count(rows) == 1


def test_list_reads_in_a_fixed_number_of_queries(sc, sc_users, apply, client_of, person,
                                                 django_assert_max_num_queries):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    apply(sc_users["committee"], sc["c1"])
    client = client_of("county")
    client.get(reverse("reviews:application_list"))  # the first request after login saves it
    # session, user, steps, grants, list count, inbox count, page, session save (3)
    with django_assert_max_num_queries(10):
        client.get(reverse("reviews:application_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reviews:application_list"))
    apply(sc_users["committee2"], sc["c2"])
    apply(person("community", sc["c3"].region, "ximen"), sc["c3"], submit=False)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("reviews:application_list"))
    assert response.content.decode().count('data-application="') == 3
    assert len(three) == len(one)  # the same whatever the number of applications


# ---------------------------------------------------------------------------- the page


@pytest.mark.parametrize("who", ROLES)
def test_page_matrix(draft, client_of, who):
    response = client_of(who).get(detail(draft))
    assert response.status_code == (404 if who == "other_county" else 200)


def test_page_needs_sign_in(draft):
    response = Client().get(detail(draft))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_shows_the_form_to_the_committee_only(draft, client_of):
    html = client_of("committee").get(detail(draft)).content.decode()
    assert 'name="basic_situation"' in html and 'id="submit-application"' in html
    assert 'data-gc-count="1000"' in html and "data-gc-count-value" in html
    html = client_of("county").get(detail(draft)).content.decode()
    assert 'name="basic_situation"' not in html and 'id="field-situation"' in html
    assert 'id="submit-application"' not in html and 'id="decide-form"' not in html
    # the chain as a timeline: every step upcoming while a draft
    assert len(re.findall(r'data-step="[^"]+" data-state="upcoming"', html)) == 6


@pytest.mark.parametrize(("who", "status"), [("committee", 302), ("street", 403),
                                             ("county", 403), ("other_county", 404)])  # fmt: skip
def test_update_matrix(draft, client_of, who, status):
    data = {"leader_name": "张三", "leader_phone": "13800000009",
            "committee_address": "东门路 1 号", "division": "成都市 锦江区 督院街街道",
            "basic_situation": "新的情况。"}  # fmt: skip
    response = client_of(who).post(detail(draft), data)
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.leader_name == "张三") is (status == 302)


def test_update_with_htmx_answers_the_form_with_the_refusal(draft, client_of):
    data = {"leader_name": "张三", "leader_phone": "12", "committee_address": "东门路",
            "division": "成都市", "basic_situation": "情" * 1001}  # fmt: skip
    response = client_of("committee").post(detail(draft), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card mb-4" id="application-fields"')
    assert "At most 1000 characters (this has 1001)" in html
    assert 'id="id_leader_phone_errors"' in html
    draft.refresh_from_db()
    assert draft.leader_name == "负责人1"  # nothing written


def test_submit_shows_missing_fields_then_sends_to_the_street(draft, client_of):
    client = client_of("committee")
    fields = {"leader_name": "负责人1", "leader_phone": "13800000001",
              "committee_address": "东门社区居委会",
              "division": "成都市 锦江区 督院街街道"}  # fmt: skip
    # an empty basic situation is refused at its field, the other fields are saved
    posted = {**fields, "basic_situation": "", "committee_address": "东门路 2 号"}
    response = client.post(url("application_submit", draft), posted)
    assert response.status_code == 200
    assert 'id="id_basic_situation_errors"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and draft.committee_address == "东门路 2 号"
    # with htmx, a complete form is submitted and the browser sent to the page
    response = client.post(url("application_submit", draft), {**fields, "basic_situation": "好。"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response["HX-Redirect"] == detail(draft)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.IN_REVIEW and draft.current_step.key == "street"
    assert draft.basic_situation == "好。"


@pytest.mark.parametrize(("who", "status"), [("street", 403), ("other_county", 404)])
def test_submit_by_others(draft, client_of, who, status):
    assert client_of(who).post(url("application_submit", draft)).status_code == status
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize(("who", "status"), [("committee", 302), ("street", 403),
                                             ("county", 403), ("other_county", 404)])  # fmt: skip
def test_withdraw_matrix(draft, client_of, who, status):
    response = client_of(who).post(url("application_withdraw", draft))
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.status == ApplicationStatus.WITHDRAWN) is (status == 302)


def test_writes_are_post_only(draft, client_of):
    client = client_of("committee")
    assert client.get(url("application_submit", draft)).status_code == 405
    assert client.get(url("application_withdraw", draft)).status_code == 405
    assert client.get(reverse("reviews:application_start")).status_code == 405


def test_quota_is_shown_for_a_demonstration_application(sc, sc_users, apply, client_of):
    from django.utils import timezone

    # 成都市 may name half of its 4 urban communities this year
    year = timezone.localdate().year
    TitleConfig.objects.update_or_create(
        region_code="510000000000",
        defaults={"quota_share": "0.5", "quota_start_year": year, "quota_end_year": year + 2},
    )
    Title.objects.create(community=sc["c1"], kind="green", year=2023,
                         named_on=timezone.localdate(), certificate_number="SC-1")  # fmt: skip
    application = apply(sc_users["committee"], sc["c1"], title_kind="demonstration")
    # the application in review counts as pending
    html = client_of("city").get(detail(application)).content.decode()
    assert '<span class="fs-3 fw-semibold" id="quota-remaining">1</span>' in html
    assert "At most 2 of 4 urban communities" in html and "0 named, 1 in review" in html


# ---------------------------------------------------------------------------- attachments


def test_attachment_upload_download_delete(draft, client_of, png, media):
    client = client_of("committee")
    # the committee uploads a photo (with htmx: the attachments card comes back)
    response = client.post(url("attachment_upload", draft), {"files": [png("photo.png")]},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card mb-4" id="attachments"')
    attachment = ApplicationAttachment.objects.get()
    assert "photo.png" in html
    # a file of another kind is refused, naming it
    bad = io.BytesIO(b"MZ not a document")
    bad.name = "tool.exe"
    response = client.post(url("attachment_upload", draft), {"files": [bad]})
    assert "tool.exe" in response.content.decode()
    assert ApplicationAttachment.objects.count() == 1
    # readers download it as an attachment, never sniffed
    file_url = reverse("reviews:attachment_file", args=[attachment.pk])
    response = client_of("county").get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_of("other_county").get(file_url).status_code == 404
    # others may not add or delete
    delete_url = reverse("reviews:attachment_delete", args=[attachment.pk])
    assert client_of("street").post(url("attachment_upload", draft),
                                    {"files": [png()]}).status_code == 403  # fmt: skip
    assert client_of("street").post(delete_url).status_code == 403
    assert client_of("other_county").post(delete_url).status_code == 404
    response = client.post(delete_url)
    assert response.status_code == 302 and not ApplicationAttachment.objects.exists()


def test_attachments_are_locked_once_submitted(sc, sc_users, apply, client_of, png, media):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    attachment_add(actor=sc_users["committee"], application=application, upload=png())
    from greencommunity.reviews.services import application_submit

    application_submit(actor=sc_users["committee"], application=application)
    html = client_of("committee").get(detail(application)).content.decode()
    assert 'id="attachment-files"' not in html and "attachment-list" in html
    response = client_of("committee").post(url("attachment_upload", application),
                                           {"files": [png()]})  # fmt: skip
    assert response.status_code == 403


# ---------------------------------------------------------------------------- the 审批表


def test_approval_form_downloads(draft, client_of):
    client = client_of("street")
    response = client.get(url("approval_docx", draft))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content[:2] == b"PK"
    response = client.get(url("approval_pdf", draft))
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_of("other_county").get(url("approval_pdf", draft)).status_code == 404
    assert client_of("other_county").get(url("approval_docx", draft)).status_code == 404


def test_forms_zip_holds_only_what_the_user_sees(sc, sc_users, apply, client_of, person):
    mine = apply(sc_users["committee"], sc["c1"], submit=False)
    theirs = apply(person("community", sc["other"].region, "kuanxiang"), sc["other"],
                   submit=False)  # fmt: skip
    zip_url = reverse("reviews:approval_forms_zip")
    response = client_of("county").get(zip_url, {"ids": f"{mine.pk},{theirs.pk}"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [f"审批表-510104001001-{mine.pk}.docx", f"审批表-510104001001-{mine.pk}.pdf"]
    # only another county's: nothing to download
    response = client_of("county").get(zip_url, {"ids": theirs.pk})
    assert response.status_code == 302
    # none selected is not "everything"
    response = client_of("county").get(zip_url, {"selected": "1"})
    assert response.status_code == 302
