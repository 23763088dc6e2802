"""The public notice pages, without sign-in: the running notices, a notice's candidates (places
and titles, no personal data), and the objection form — accepted while the notice runs,
refused outside its period, limited per client (429), its contact details hidden from those
who do not decide it."""

import hashlib
import hmac
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greencommunity.reviews.models import Objection
from greencommunity.reviews.selectors_batches import objection_list
from reviews import fixtures_batches
from reviews.fixtures_batches import period_over, publish

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling, to_notice = fixtures_batches.to_sampling, fixtures_batches.to_notice


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def notice(sc, sc_users, to_notice):
    """东门 (锦江区) and 宽巷子 (青羊区) on a notice of 四川省 running from today."""
    return publish(sc_users["province"], sc["province"], to_notice(sc["c1"], sc["other"]),
                   heading="2024年四川省绿色社区拟命名名单公示")  # fmt: skip


def url(notice):
    return reverse("public:notice_detail", args=[notice.public_id])


def form_data(notice, **kwargs):
    entry = notice.entries.order_by("application__community__region__code").first()
    data = {"application": entry.application_id, "reason": "垃圾分类未落实。",
            "contact_name": "王先生", "contact_phone": "13600000000",
            "contact_email": ""}  # fmt: skip
    data.update(kwargs)
    return data


def test_the_running_notices_need_no_login(english, sc, sc_users, notice, to_notice):
    later = publish(
        sc_users["province"],
        sc["province"],
        to_notice(sc["c2"]),
        heading="下周的公示",
        starts_on=timezone.localdate() + timedelta(days=3),
    )
    response = english.get(reverse("public:notice_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert notice.heading in page and url(notice) in page
    assert later.heading not in page  # not started yet
    assert english.get(url(later)).status_code == 404
    assert english.get(reverse("public:notice_detail", args=[uuid.uuid4()])).status_code == 404


def test_the_notice_shows_places_and_titles_never_people(english, sc, notice):
    response = english.get(url(notice))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("东门社区", "督院街街道", "锦江区", "宽巷子社区", "少城街道", "青羊区", "成都市",
                  "Green community", notice.ends_on.isoformat()):  # fmt: skip
        assert shown in page
    # leaders, phones, addresses and the form's basic situation stay private
    for private in ("负责人1", "13800000001", "东门社区居委会", "负责人4", "13800000004",
                    "社区基本情况", "dongmen", "sichuan"):  # fmt: skip
        assert private not in page
    assert 'name="reason"' in page and 'enctype="multipart/form-data"' in page


def test_an_objection_is_accepted_during_the_period(english, sc_users, notice, media):
    pdf = SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    response = english.post(url(notice), form_data(notice, attachment=pdf),
                            REMOTE_ADDR="203.0.113.5")  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url(notice)
    objection = Objection.objects.get()
    assert (objection.contact_name, objection.attachment_name) == ("王先生", "photo.pdf")
    key = hmac.new(settings.SECRET_KEY.encode(), b"203.0.113.5", hashlib.sha256).hexdigest()
    assert objection.client_hash == key
    assert "Your objection was received" in english.get(url(notice)).content.decode()
    # the contact details only for the province, which decides it
    (hidden,) = objection_list(sc_users["city"], notice=notice)
    assert not hidden.with_contact and hidden.contact_phone == "" and not hidden.has_attachment
    (shown,) = objection_list(sc_users["province"], notice=notice)
    assert shown.contact_phone == "13600000000" and shown.has_attachment


def test_the_service_s_refusals_are_shown_at_their_fields(english, notice, media):
    response = english.post(url(notice), form_data(notice, contact_phone=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give a phone number or an e-mail address." in page
    response = english.post(url(notice), form_data(
        notice, attachment=SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a document")))  # fmt: skip
    assert 'id="id_attachment_errors"' in response.content.decode()
    assert not Objection.objects.exists()


def test_no_objection_outside_the_period(english, notice):
    period_over(notice)
    page = english.get(url(notice)).content.decode()
    assert 'name="reason"' not in page and 'id="objection-closed"' in page
    response = english.post(url(notice), form_data(notice))
    assert response.status_code == 200
    assert "Objections to this notice are accepted from" in response.content.decode()
    assert not Objection.objects.exists()


def test_too_many_objections_from_one_client_get_429(english, notice, settings):
    settings.OBJECTION_RATE_LIMIT = 2
    for _n in range(2):
        assert english.post(url(notice), form_data(notice)).status_code == 302
    response = english.post(url(notice), form_data(notice))
    assert response.status_code == 429
    assert "At most 2 objections an hour" in response.content.decode()
    assert Objection.objects.count() == 2
    # another client is not limited by this one
    other = english.post(url(notice), form_data(notice), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302
