"""The batch pages (/reviews/batches/): the province samples, publishes, resolves objections,
closes the notice and names through the pages; the deciders alone see the objectors' contact
details and files; a draw, notice or region outside the user's view is a 404, an action the
user may not take a 403."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from greencommunity.reviews.models import (
    Application,
    NamingDecision,
    Objection,
    PublicNotice,
    SamplingDraw,
    SamplingItem,
)
from reviews import fixtures_batches
from reviews.fixtures_batches import object_to, period_over

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling, to_notice = fixtures_batches.to_sampling, fixtures_batches.to_notice
to_naming = fixtures_batches.to_naming


@pytest.fixture
def client_of(client, sc_users, sc, person):
    people = {**sc_users, "province_expert": person("expert", sc["province"], "sc_expert")}

    def _client(who):
        client.force_login(people[who])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


def test_the_province_samples_through_the_pages(sc, client_of, to_sampling):
    applications = [to_sampling(sc["c1"]), to_sampling(sc["c2"])]
    client = client_of("province")
    index = client.get(reverse("batches:index")).content.decode()
    assert "2 applications wait for the sampling inspection." in index
    # fix the seed, draw, inspect, decide
    response = client.post(reverse("batches:draw_create", args=[sc["province"].pk]),
                           {"share": "0.5", "seed": "页面种子"})  # fmt: skip
    draw = SamplingDraw.objects.get()
    assert response["Location"] == reverse("batches:draw_detail", args=[draw.pk])
    page = client.get(response["Location"]).content.decode()
    assert "页面种子" in page and 'id="draw-run"' in page
    client.post(reverse("batches:draw_run", args=[draw.pk]))
    (sampled,) = SamplingItem.objects.filter(draw=draw, sampled=True)
    page = client.get(reverse("batches:draw_detail", args=[draw.pk])).content.decode()
    assert sampled.rank_key in page and "1 sampled application is not inspected yet." in page
    refused = client.post(reverse("batches:draw_decide", args=[draw.pk]),
                          {"opinion": "同意。", "decided_on": timezone.localdate()})  # fmt: skip
    assert "not inspected yet" in refused.content.decode()
    inspect = reverse("batches:draw_inspect", args=[draw.pk, sampled.pk])
    client.post(inspect, {"result": "failed", "notes": ""})  # refused: notes required
    sampled.refresh_from_db()
    assert sampled.result == "pending"
    client.post(inspect, {"result": "passed", "notes": "核查属实。"})
    decide = {"opinion": "经抽验，同意。", "decided_on": timezone.localdate()}
    response = client.post(reverse("batches:draw_decide", args=[draw.pk]), decide)
    assert response.status_code == 302
    moved = Application.objects.filter(pk__in=[a.pk for a in applications])
    assert {a.current_step.key for a in moved} == {"notice"}


def test_who_sees_and_runs_a_draw(sc, client_of, to_sampling):
    to_sampling(sc["c1"])
    province = client_of("province")
    province.post(reverse("batches:draw_create", args=[sc["province"].pk]), {"share": "1"})
    draw = SamplingDraw.objects.get()
    assert client_of("city").get(reverse("batches:draw_detail", args=[draw.pk])).status_code == 404
    expert = client_of("province_expert")
    page = expert.get(reverse("batches:draw_detail", args=[draw.pk]))
    assert page.status_code == 200 and 'id="draw-run"' not in page.content.decode()
    assert expert.post(reverse("batches:draw_run", args=[draw.pk])).status_code == 403
    assert expert.post(reverse("batches:draw_create", args=[sc["province"].pk]),
                       {"share": "1"}).status_code == 403  # fmt: skip
    city = client_of("city")
    assert city.post(reverse("batches:draw_create", args=[sc["province"].pk]),
                     {"share": "1"}).status_code == 404  # fmt: skip
    assert SamplingDraw.objects.count() == 1


def test_notice_objections_and_closing_through_the_pages(sc, client_of, to_notice, media):
    dongmen, nanmen = to_notice(sc["c1"], sc["c2"])
    client = client_of("province")
    new = reverse("batches:notice_new", args=[sc["province"].pk])
    assert "东门社区" in client.get(new).content.decode()
    response = client.post(new, {
        "heading": "2024年绿色社区公示", "body": "", "starts_on": timezone.localdate(),
        "period_days": 7, "day_basis": "working", "applications": [dongmen.pk, nanmen.pk],
    })  # fmt: skip
    notice = PublicNotice.objects.get()
    assert response["Location"] == reverse("batches:notice_detail", args=[notice.pk])
    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    upheld = object_to(notice, dongmen, attachment=pdf)
    dismissed = object_to(notice, nanmen, contact_phone="13911112222")
    detail = reverse("batches:notice_detail", args=[notice.pk])
    page = client.get(detail).content.decode()
    assert "13600000000" in page and "13911112222" in page and "证据.pdf" in page
    attachment = reverse("batches:objection_attachment", args=[upheld.pk])
    assert client.get(attachment).status_code == 200
    # an expert of the province sees the objections, not who made them
    expert = client_of("province_expert")
    page = expert.get(detail).content.decode()
    assert "该社区垃圾分类未落实。" in page
    assert "13600000000" not in page and "王先生" not in page and "证据.pdf" not in page
    assert expert.get(attachment).status_code == 404
    assert expert.post(reverse("batches:objection_resolve", args=[upheld.pk]),
                       {"decision": "dismiss", "resolution": "x"}).status_code == 403  # fmt: skip
    assert client_of("city").get(detail).status_code == 404
    # the province resolves both and closes the notice after its period
    client = client_of("province")
    client.post(reverse("batches:objection_resolve", args=[upheld.pk]),
                {"decision": "return", "resolution": "属实，退回。"})  # fmt: skip
    client.post(reverse("batches:objection_resolve", args=[dismissed.pk]),
                {"decision": "dismiss", "resolution": "不属实。"})  # fmt: skip
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "dismissed"}
    period_over(notice)
    client.post(reverse("batches:notice_close", args=[notice.pk]))
    notice.refresh_from_db()
    nanmen.refresh_from_db()
    assert notice.status == "closed" and nanmen.current_step.key == "naming"


def test_naming_through_the_pages(sc, client_of, to_naming, media):
    (dongmen,) = to_naming(sc["c1"])
    client = client_of("province")
    new = reverse("batches:naming_new", args=[sc["province"].pk])
    assert "东门社区" in client.get(new).content.decode()
    data = {"title_kind": "green", "year": 2024, "document_number": "川建城〔2024〕88号",
            "heading": "关于命名绿色社区的决定", "body": "", "decided_on": timezone.localdate(),
            "applications": [dongmen.pk]}  # fmt: skip
    assert client.post(new, {**data, "title_kind": "demonstration"}).status_code == 200
    response = client.post(new, data)
    assert response.status_code == 302
    decision = NamingDecision.objects.get()
    pdf = client.get(reverse("batches:naming_document", args=[decision.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert "川建城〔2024〕88号" in client.get(reverse("batches:index")).content.decode()
    assert client_of("city").get(reverse("batches:naming_document",
                                         args=[decision.pk])).status_code == 404  # fmt: skip


def test_who_publishes_and_names_on_the_pages(sc, client_of):
    for name in ("batches:notice_new", "batches:naming_new"):
        url = reverse(name, args=[sc["province"].pk])
        assert client_of("city").get(url).status_code == 404
        assert client_of("province_expert").get(url).status_code == 403
        assert client_of("province").get(url).status_code == 200
