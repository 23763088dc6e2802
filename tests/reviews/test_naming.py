"""命名: a naming decision names a batch — titles with certificate numbers in division-code
order, the applications closed as named, an approving decision at the naming step, the
decision's PDF stored — and is refused for applications not waiting there, of another title,
with an open objection, past a city's demonstration quota, with a document number used before,
or by someone who does not name."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.reviews.models import (
    Application,
    NamingDecision,
    Objection,
    Title,
    TitleConfig,
)
from greencommunity.reviews.services import naming_decide
from greencommunity.reviews.services.titles import title_grant
from reviews import fixtures_batches

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling, to_notice = fixtures_batches.to_sampling, fixtures_batches.to_notice
to_naming = fixtures_batches.to_naming


def name(actor, region, applications, **kwargs):
    values = {
        "title_kind": "green", "year": 2024, "document_number": "川建城〔2024〕88号",
        "heading": "关于命名2024年度四川省绿色社区的决定",
        "body": "经社区申报、逐级审核、公示，决定命名。", "decided_on": timezone.localdate(),
    }  # fmt: skip
    values.update(kwargs)
    return naming_decide(actor=actor, region=region,
                         application_ids=[a.pk for a in applications], **values)  # fmt: skip


def test_a_batch_is_named(sc, sc_users, mianyang, to_naming, media):
    # given three applications of two cities waiting at the naming step
    applications = to_naming(mianyang["m1"], sc["c2"], sc["c1"])
    # when the province names them
    decision = name(sc_users["province"], sc["province"], applications)
    # then each community holds the title, numbered in division-code order
    titles = Title.objects.filter(decision=decision).order_by("certificate_number")
    assert [(t.community.region.name, t.certificate_number) for t in titles] == [
        ("东门社区", "SC-LSSQ-2024-0001"), ("南门社区", "SC-LSSQ-2024-0002"),
        ("东街社区", "SC-LSSQ-2024-0003"),
    ]  # fmt: skip
    assert all(t.named_on == timezone.localdate() and t.year == 2024 for t in titles)
    for application in applications:
        application.refresh_from_db()
        assert application.status == "named" and application.closed_at is not None
        assert application.title.decision == decision
        naming = application.decisions.get(step__key="naming")
        assert naming.verdict == "approve"
        assert naming.opinion == "关于命名2024年度四川省绿色社区的决定（川建城〔2024〕88号）"
    # and the decision's PDF is stored with it
    assert decision.document.name.startswith("naming/")
    with default_storage.open(decision.document.name, "rb") as f:
        assert f.read(5) == b"%PDF-"
    event = Event.objects.get(verb="naming.decide")
    assert event.after["document_number"] == "川建城〔2024〕88号"
    assert Event.objects.filter(verb="title.grant").count() == 3


def test_a_document_number_is_used_once_per_region(sc, sc_users, to_naming, media):
    first, second = to_naming(sc["c1"], sc["c2"])
    name(sc_users["province"], sc["province"], [first])
    with pytest.raises(ApplicationError, match="already used by a naming decision of 四川省"):
        name(sc_users["province"], sc["province"], [second])
    name(sc_users["province"], sc["province"], [second], document_number="川建城〔2024〕89号")
    assert NamingDecision.objects.count() == 2


def test_what_a_decision_may_name(sc, sc_users, to_naming, to_notice, media):
    province = sc_users["province"]
    (waiting,) = to_naming(sc["c1"])
    (noticed,) = to_notice(sc["c2"])
    with pytest.raises(ApplicationError, match="南门社区 do not wait for naming by 四川省"):
        name(province, sc["province"], [waiting, noticed])
    with pytest.raises(ApplicationError, match="东门社区 are for another title"):
        name(province, sc["province"], [waiting], title_kind="demonstration")
    with pytest.raises(ApplicationError, match="Choose the applications"):
        name(province, sc["province"], [])
    with pytest.raises(ApplicationError, match="future"):
        name(province, sc["province"], [waiting],
             decided_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    with pytest.raises(ApplicationError, match="document number"):
        name(province, sc["province"], [waiting], document_number=" ")
    # an objection still open (left over from the notice) blocks naming
    notice = waiting.notice_entries.get().notice
    Objection.objects.create(notice=notice, application=waiting, reason="异议",
                             contact_name="李", contact_phone="1", client_hash="x")  # fmt: skip
    with pytest.raises(ApplicationError, match="open objections to 东门社区"):
        name(province, sc["province"], [waiting])
    assert not NamingDecision.objects.exists() and not Title.objects.exists()


def test_who_names(sc, sc_users, person, to_naming, media):
    (waiting,) = to_naming(sc["c1"])
    for who in ("city", "county", "committee"):
        with pytest.raises(NotFound):
            name(sc_users[who], sc["province"], [waiting])
    with pytest.raises(PermissionDenied):
        name(person("expert", sc["province"], "sc_expert"), sc["province"], [waiting])
    with pytest.raises(ApplicationError, match="do not wait for naming by 成都市"):
        name(sc_users["city"], sc["city"], [waiting])  # the city names none of Sichuan's
    assert name(person("admin", sc["province"], "sc_admin"), sc["province"], [waiting])


@pytest.fixture
def chengdu_quota(sc):
    """成都市 may hold floor(25% of its 4 urban communities) = 1 demonstration title."""
    year = timezone.localdate().year
    return TitleConfig.objects.create(
        region_code=sc["city"].code, quota_share="0.25", quota_start_year=year - 1,
        quota_end_year=year + 1,
    )  # fmt: skip


def test_the_demonstration_quota_is_checked_again_when_naming(
    sc, sc_users, chengdu_quota, to_naming, media
):
    # given 东门 with a green title, applying for the demonstration title within the quota
    title_grant(actor=None, community=sc["c1"], kind="green", year=2023,
                named_on=timezone.localdate() - timedelta(days=300))  # fmt: skip
    applications = to_naming(sc["c1"], title_kind="demonstration")
    # and a demonstration title of 成都市 imported meanwhile, filling the quota
    today = timezone.localdate()
    title_grant(actor=None, community=sc["c3"], kind="demonstration", year=today.year,
                named_on=today)  # fmt: skip
    # when the province names 东门, it is refused naming the city and the numbers
    with pytest.raises(ApplicationError, match=r"成都市 is exhausted: at most 1 .* 1 named, 0 in "
                                               r"review, 1 more asked for"):  # fmt: skip
        name(sc_users["province"], sc["province"], applications, title_kind="demonstration",
             document_number="川建城〔2024〕90号")  # fmt: skip
    assert Application.objects.get(pk=applications[0].pk).current_step.key == "naming"
    # once the imported title is revoked there is room again
    Title.objects.filter(community=sc["c3"]).update(status="revoked",
                                                    revoked_on=timezone.localdate())  # fmt: skip
    decision = name(sc_users["province"], sc["province"], applications,
                    title_kind="demonstration", document_number="川建城〔2024〕90号")  # fmt: skip
    assert decision.titles.get().certificate_number == "SC-SFLSSQ-2024-0001"
