"""The inbox and what is decided from it: deciding a review step on the application's page
(approve, return, reject; a stale page), joint opinions, the reviewer's score side by side saved
with htmx, seal images, the inbox with its overdue marks and the navigation count."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from greencommunity.regions.services.tree import region_create
from greencommunity.reviews.models import Application, ApplicationStatus, Decision, JointOpinion
from greencommunity.reviews.services import application_decide


@pytest.fixture
def signed_in():
    """signed_in(user) -> a Client of the user, the pages in English."""

    def _client(user):
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


@pytest.fixture
def client_of(sc_users, signed_in):
    return lambda key: signed_in(sc_users[key])


@pytest.fixture
def at_street(sc, sc_users, apply):
    """东门社区's application, waiting for its street office."""
    return apply(sc_users["committee"], sc["c1"])


@pytest.fixture
def at_county(sc_users, at_street):
    application_decide(actor=sc_users["street"], application=at_street, verdict="approve",
                       opinion="同意推荐。")  # fmt: skip
    return at_street


def url(name, application, *args):
    return reverse(f"reviews:{name}", args=[application.pk, *args])


def decide(client, application, verdict="approve", opinion="同意。", **extra):
    data = {"verdict": verdict, "opinion": opinion, "decided_on": timezone.localdate(),
            "expected_version": application.version, **extra}  # fmt: skip
    return client.post(url("application_decide", application), data)


# ---------------------------------------------------------------------------- deciding


@pytest.mark.parametrize(("who", "status"), [("committee", 403), ("county", 403), ("city", 403),
                                             ("province", 403), ("other_county", 404)])  # fmt: skip
def test_only_the_street_office_decides_the_street_step(at_street, client_of, who, status):
    assert decide(client_of(who), at_street).status_code == status
    assert not Decision.objects.exists()


def test_decide_form_is_shown_to_the_deciders_only(at_street, client_of):
    html = client_of("street").get(url("application_detail", at_street)).content.decode()
    assert 'id="decide-form"' in html
    assert f'name="expected_version" value="{at_street.version}"' in html
    assert 'value="return"' in html and 'value="reject"' in html
    assert 'aria-current="step"' in html and 'data-step="street" data-state="current"' in html
    html = client_of("county").get(url("application_detail", at_street)).content.decode()
    assert 'id="decide-form"' not in html


def test_street_approves_with_a_seal(at_street, client_of, png, media):
    response = decide(client_of("street"), at_street, opinion="同意推荐。", seal=png())
    assert response.status_code == 302
    at_street.refresh_from_db()
    assert at_street.current_step.key == "county"
    decision = Decision.objects.get()
    assert decision.verdict == "approve" and decision.seal.name.startswith("seals/")
    # the page shows the decision with its seal; the seal is served to readers only
    html = client_of("county").get(url("application_detail", at_street)).content.decode()
    seal_url = reverse("reviews:decision_seal", args=[decision.pk])
    assert f'src="{seal_url}"' in html and "同意推荐。" in html
    response = client_of("city").get(seal_url)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_of("other_county").get(seal_url).status_code == 404


def test_return_needs_a_reason_and_goes_back_to_the_community(at_county, client_of):
    client = client_of("county")
    response = decide(client, at_county, verdict="return", opinion=" ")
    assert response.status_code == 200
    assert "Give the reason for returning or rejecting" in response.content.decode()
    response = decide(client, at_county, verdict="return", opinion="请补充垃圾分类材料。")
    assert response.status_code == 302
    at_county.refresh_from_db()
    assert at_county.status == ApplicationStatus.RETURNED
    # the committee sees it editable again, and where it will go back to
    html = client_of("committee").get(url("application_detail", at_county)).content.decode()
    assert 'id="submit-application"' in html and "请补充垃圾分类材料。" in html
    assert 'data-step="county" data-state="returned"' in html


def test_reject_closes_it(at_street, client_of):
    response = decide(client_of("street"), at_street, verdict="reject", opinion="不符合条件。")
    assert response.status_code == 302
    at_street.refresh_from_db()
    assert at_street.status == ApplicationStatus.REJECTED
    html = client_of("committee").get(url("application_detail", at_street)).content.decode()
    assert 'data-step="street" data-state="rejected"' in html


def test_a_stale_page_shows_the_service_message(sc, sc_users, at_street, client_of, person):
    # given two officers of the street office with the page open at version 2
    second = Client()
    second.force_login(person("street", sc["street"], "duyuanjie2"))
    second.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = Application.objects.get(pk=at_street.pk)
    # a version the page never showed is refused, nothing written
    response = decide(client_of("street"), at_street, expected_version=at_street.version - 1)
    assert response.status_code == 200
    assert "decided by someone else meanwhile" in response.content.decode()
    assert not Decision.objects.exists()
    # when the first approves, the second's decision is refused with the message
    assert decide(client_of("street"), at_street).status_code == 302
    response = decide(second, shown, verdict="return", opinion="补充")
    assert response.status_code == 302
    page = second.get(response["Location"]).content.decode()
    assert "decided by someone else meanwhile" in page
    assert Decision.objects.count() == 1


# ---------------------------------------------------------------------------- joint opinions


@pytest.fixture
def tianjin(chains, person, apply):
    """A Tianjin application waiting at the city's acceptance, which asks 市民政局 and
    市生态环境局 for their joint opinions."""
    tj = region_create(actor=None, code="120000000000", name="天津市")
    city = region_create(actor=None, code="120100000000", name="市辖区", parent=tj)
    district = region_create(actor=None, code="120101000000", name="和平区", parent=city)
    street = region_create(actor=None, code="120101001000", name="劝业场街道", parent=district)
    community = region_create(actor=None, code="120101001001", name="花园社区", parent=street)
    community.community.leader_name, community.community.leader_phone = "李", "022-1234567"
    community.community.address = "花园路 1 号"
    community.community.save()
    application = apply(person("community", community, "huayuan"), community.community)
    for who in (person("street", street, "quanyechang"), person("housing", district, "heping")):
        application_decide(actor=who, application=application, verdict="approve", opinion="同意")
    return {
        "application": application,
        "housing": person("housing", city, "tj_housing"),
        "civil": person("department", city, "tj_minzheng", department="民政局"),
    }


def test_joint_opinions_are_asked_for_and_given(tianjin, signed_in):
    application = tianjin["application"]
    housing = signed_in(tianjin["housing"])
    html = housing.get(url("application_detail", application)).content.decode()
    assert 'id="missing-joint"' in html and "市民政局、市生态环境局" in html
    # approving before the opinions is refused at the form
    response = decide(housing, application)
    assert "still missing" in response.content.decode()
    # 民政局 gives its own opinion, and only its own
    civil = signed_in(tianjin["civil"])
    html = civil.get(url("application_detail", application)).content.decode()
    assert '<option value="市民政局">' in html and 'value="市生态环境局"' not in html
    assert 'id="decide-form"' not in html
    agree = {"agrees": "yes", "opinion": "同意"}
    refused = civil.post(url("joint_opinion", application), {"department": "市生态环境局", **agree})
    assert refused.status_code == 200 and not JointOpinion.objects.exists()
    response = civil.post(url("joint_opinion", application), {"department": "市民政局", **agree})
    assert response.status_code == 302
    assert JointOpinion.objects.get().department == "市民政局"
    html = housing.get(url("application_detail", application)).content.decode()
    assert 'data-department="市民政局"' in html and "市生态环境局" in html


def test_joint_opinion_by_someone_not_asked(at_street, client_of):
    data = {"department": "市民政局", "agrees": "yes", "opinion": "同意"}
    assert client_of("county").post(url("joint_opinion", at_street), data).status_code == 403
    assert client_of("other_county").post(url("joint_opinion", at_street), data).status_code == 404


# ---------------------------------------------------------------------------- the score


def test_county_scores_side_by_side_with_htmx(at_county, client_of, standard):
    from greencommunity.assessments.models import Evidence

    client = client_of("county")
    criteria = list(standard.criteria.order_by("number"))
    answer = at_county.assessment.answers.get(criterion=criteria[0])
    answer.notes = "会议纪要已归档"
    answer.save()
    Evidence.objects.create(answer=answer, stored_key="a" * 32, file="evidence/aa/a.png",
                            original_name="a.png", kind="image", content_type="image/png",
                            size=10, sha256="0" * 64, uploaded_at=timezone.now())  # fmt: skip
    page = client.get(url("application_score", at_county))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="self-total">10<' in html
    assert html.count('name="points"') == 3
    # the community's side: its points, notes and evidence
    assert "会议纪要已归档" in html and "1 evidence file" in html
    assert html.count("No evidence attached.") == 2
    # a score saved with htmx: the criterion's state, and the totals out of band
    posted = {"points": "4", "notes": "台账不全"}
    response = client.post(url("reviewer_answer", at_county, criteria[0].pk), posted,
                           HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="reviewer-state-{criteria[0].pk}"')
    assert 'data-differs="true"' in html
    assert '<section class="card mb-4" id="score-totals"' in html and 'hx-swap-oob="true"' in html
    assert 'id="reviewer-total">4<' in html and 'data-passed="no"' in html
    # a refused value is shown at the criterion and changes nothing
    response = client.post(url("reviewer_answer", at_county, criteria[1].pk), {"points": "3.5"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert "0 to 3 points" in response.content.decode()
    assert 'id="reviewer-total">4<' in response.content.decode()
    for criterion, points in ((criteria[1], "3"), (criteria[2], "2")):
        client.post(url("reviewer_answer", at_county, criterion.pk), {"points": points})
    html = client.get(url("application_score", at_county)).content.decode()
    assert 'id="reviewer-total">9<' in html and "3 of 3 criteria scored" in html


def test_score_page_matrix(at_county, client_of, standard):
    criterion = standard.criteria.first()
    # the street reads the score but cannot enter it; another county does not see it
    html = client_of("street").get(url("application_score", at_county)).content.decode()
    assert 'id="score-readonly"' in html and 'name="points"' not in html
    assert client_of("street").post(url("reviewer_answer", at_county, criterion.pk),
                                    {"points": "1"}).status_code == 403  # fmt: skip
    assert client_of("other_county").get(url("application_score", at_county)).status_code == 404
    assert client_of("other_county").post(url("reviewer_answer", at_county, criterion.pk),
                                          {"points": "1"}).status_code == 404  # fmt: skip


def test_no_score_page_before_a_scoring_step(at_street, client_of):
    assert client_of("street").get(url("application_score", at_street)).status_code == 404


# ---------------------------------------------------------------------------- the inbox


def test_inbox_lists_what_waits_with_overdue_marks(sc, sc_users, apply, client_of):
    first = apply(sc_users["committee"], sc["c1"])
    second = apply(sc_users["committee2"], sc["c2"])
    Application.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    html = client_of("street").get(reverse("reviews:inbox")).content.decode()
    assert f'data-application="{first.pk}" class="table-danger" data-overdue="true"' in html
    assert f'<tr data-application="{second.pk}">' in html
    # the county and another county have nothing yet
    for who in ("county", "other_county"):
        html = client_of(who).get(reverse("reviews:inbox")).content.decode()
        assert "data-application=" not in html


def test_inbox_of_the_committee_holds_its_returned_applications(sc_users, at_county, client_of):
    application_decide(actor=sc_users["county"], application=at_county, verdict="return",
                       opinion="请补充。")  # fmt: skip
    html = client_of("committee").get(reverse("reviews:inbox")).content.decode()
    assert 'id="inbox-revise"' in html and f'data-application="{at_county.pk}"' in html
    assert "县级初审" in html
    assert (
        'id="inbox-revise"'
        not in client_of("county").get(reverse("reviews:inbox")).content.decode()
    )


def test_inbox_count_tag(sc, sc_users, apply, django_assert_max_num_queries):
    apply(sc_users["committee"], sc["c1"])
    apply(sc_users["committee2"], sc["c2"])
    template = Template(
        "{% load reviews_tags %}{% inbox_count as n %}[{{ n }}]{% inbox_nav_item %}"
    )
    request = RequestFactory().get("/")
    request.user = sc_users["street"]
    with django_assert_max_num_queries(3):  # the grants, two counts
        html = template.render(Context({"request": request}))
    assert html.startswith("[2]") and 'id="inbox-count">2<' in html
    request = RequestFactory().get("/")
    request.user = sc_users["county"]
    assert 'id="inbox-count"' not in template.render(Context({"request": request}))


def test_inbox_needs_sign_in():
    response = Client().get(reverse("reviews:inbox"))
    assert response.status_code == 302


def test_reviewer_points_keep_their_precision(at_county, client_of, standard):
    criterion = standard.criteria.order_by("number").first()
    client_of("county").post(url("reviewer_answer", at_county, criterion.pk), {"points": "4.5"})
    assert at_county.reviewer_answers.get().points == D("4.5")
