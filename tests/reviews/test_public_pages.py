"""Public pages without sign-in: the list of certified communities and the verification page
a plaque's QR code opens. No personal data on either; the verification page shows the current
status, revocation included."""

import uuid
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from greencommunity.regions.services.communities import community_update_profile
from greencommunity.reviews.models import NamingDecision
from greencommunity.reviews.services.titles import title_set_status
from reviews import fixtures_titles
from reviews.fixtures_titles import grant

people, sichuan = fixtures_titles.people, fixtures_titles.sichuan  # fixtures


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def certified(sichuan, people):
    """东御街 (valid, with its leader's name and phone in the registry), 岳府街 (under
    rectification), 玉泉 (revoked), 宽巷子 (demonstration, valid)."""
    community_update_profile(actor=None, community=sichuan["dongyu"].community,
                             leader_name="张主任", leader_phone="13812345678",
                             address="督院街 8 号")  # fmt: skip
    titles = {
        "dongyu": grant(sichuan["dongyu"], year=2021, named_on=date(2021, 12, 1)),
        "yuefu": grant(sichuan["yuefu"], year=2021, named_on=date(2021, 12, 1)),
        "yuquan": grant(sichuan["yuquan"], year=2021, named_on=date(2021, 12, 1)),
        "kuanxiang": grant(sichuan["kuanxiang"], kind="demonstration"),
    }
    actor = people["province"]
    title_set_status(actor=actor, title=titles["yuefu"], status="under_rectification",
                     on=date(2023, 4, 1), reason="绿化不达标")  # fmt: skip
    title_set_status(actor=actor, title=titles["yuquan"], status="revoked", on=date(2023, 5, 6),
                     reason="整改不到位")  # fmt: skip
    return titles


def test_the_public_list_needs_no_login_and_hides_revoked_titles(client, certified):
    response = client.get(reverse("public:title_list"))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("dongyu", "yuefu", "kuanxiang"):
        assert certified[key].certificate_number in page
    assert certified["yuquan"].certificate_number not in page and "玉泉社区" not in page
    # the region path and the title, never the people
    assert "成都市 › 锦江区 › 督院街街道" in page
    for private in ("张主任", "13812345678", "督院街 8 号", "sc_housing"):
        assert private not in page


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "青羊"}, {"kuanxiang"}),
    ({"q": "510104"}, {"dongyu", "yuefu"}),
    ({"q": "岳府"}, {"yuefu"}),
    ({"q": "四川省"}, {"dongyu", "yuefu", "kuanxiang"}),
    ({"kind": "demonstration"}, {"kuanxiang"}),
    ({"q": "510104", "kind": "demonstration"}, set()),
])  # fmt: skip
def test_the_public_list_filters_by_region_and_title(client, certified, params, expected):
    page = client.get(reverse("public:title_list"), params).content.decode()
    shown = {k for k, t in certified.items() if t.certificate_number in page}
    assert shown == expected


def test_the_public_list_pages_and_answers_htmx_with_its_results(client, sichuan, certified):
    partial = client.get(reverse("public:title_list"), {"q": "青羊"},
                         headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert "<html" not in partial and certified["kuanxiang"].certificate_number in partial
    assert client.get(reverse("public:title_list"), {"page": "99"}).status_code == 200


def test_the_verify_page_shows_a_valid_title(english, certified, sichuan):
    decision = NamingDecision.objects.create(
        region=sichuan["province"], title_kind="demonstration", year=2022,
        document_number="川建发〔2022〕9号", heading="命名决定", decided_on=date(2022, 12, 20),
    )  # fmt: skip
    title = certified["kuanxiang"]
    title.decision = decision
    title.save(update_fields=["decision"])
    response = english.get(reverse("public:verify", args=[title.public_id]))
    page = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert 'class="alert alert-success' in page and "This community holds the title." in page
    for words in ("宽巷子社区", title.certificate_number, "2022-12-20", "川建发〔2022〕9号",
                  "成都市 › 青羊区 › 少城街道"):  # fmt: skip
        assert words in page, words


def test_the_verify_page_shows_rectification_and_revocation(english, certified, people):
    page = english.get(reverse("public:verify", args=[certified["yuefu"].public_id]))
    assert "alert-warning" in page.content.decode() and "2023-04-01" in page.content.decode()
    # when a valid title is revoked, the same QR code now says so
    title = certified["dongyu"]
    title_set_status(actor=people["jinjiang"], title=title, status="revoked", on=date(2024, 1, 2),
                     reason="复查不合格")  # fmt: skip
    page = english.get(reverse("public:verify", args=[title.public_id])).content.decode()
    assert 'id="verify-status"' in page and "alert-danger" in page
    assert "This title was revoked on 2024-01-02" in page
    assert "复查不合格" not in page and "张主任" not in page


def test_an_unknown_certificate_is_a_404_page_that_says_so(english, certified):
    response = english.get(reverse("public:verify", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert english.get("/public/verify/not-a-uuid/").status_code == 404


def test_public_pages_ignore_the_signed_in_users_scope(client, certified, people):
    # a user of 绵阳市 sees the same public list as everyone
    client.force_login(people["mianyang"])
    page = client.get(reverse("public:title_list")).content.decode()
    assert certified["dongyu"].certificate_number in page
