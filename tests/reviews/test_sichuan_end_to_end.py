"""The whole Sichuan chain (seed 001 四、(四)) on the test tree: applications of 成都市 and
绵阳市 through street, county and city (one returned and resubmitted), the province's draw with
a fixed seed (the sample recomputed here with hashlib), a failed sample back to the city
re-check, the batch decision filling the province row of the 审批表, a public notice with an
upheld objection (back to the community) and a dismissed one, closing the notice, batch naming
with certificate numbers SC-LSSQ-2024-0001.., a refused demonstration quota breach, and the
naming decision's PDF stored."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError
from greencommunity.reviews.approval_form import approval_form
from greencommunity.reviews.models import Application, SamplingItem, Title, TitleConfig
from greencommunity.reviews.selectors_batches import objection_list
from greencommunity.reviews.services import (
    application_submit,
    application_update,
    naming_decide,
    notice_close,
    objection_resolve,
    sampling_decide,
    sampling_draw_create,
    sampling_draw_run,
    sampling_inspect,
)
from greencommunity.reviews.services.titles import title_grant
from reviews import fixtures_batches
from reviews.fixtures_batches import SEED, decide, object_to, period_over, publish, recompute

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures

BATCH_OPINION = "经省级抽验，符合绿色社区创建标准，同意。"


def community_code_is(application, community):
    return application.community_id == community.pk


def test_the_sichuan_chain_end_to_end(sc, sc_users, mianyang, deciders, apply, media):
    province = sc_users["province"]
    today = timezone.localdate()
    # given 成都市 allowing one demonstration title (25% of its 4 urban communities) and
    # 宽巷子, named a green community in 2023, applying for the demonstration title
    TitleConfig.objects.create(
        region_code=sc["city"].code,
        quota_share="0.25",
        quota_start_year=today.year - 1,
        quota_end_year=today.year + 1,
    )
    title_grant(actor=None, community=sc["other"], kind="green", year=2023,
                named_on=today - timedelta(days=200))  # fmt: skip
    communities = [sc["c1"], sc["c2"], sc["c3"], sc["other"], mianyang["m1"], mianyang["m2"]]
    applications = {}
    for community in communities:
        code = community.region.code
        kind = "demonstration" if community == sc["other"] else "green"
        applications[code] = apply(deciders[code]["committee"], community, kind)
    # when the streets recommend, the counties review and the cities re-check (西门 returned
    # by the county once, and resubmitted: it re-enters at the county)
    for code, application in applications.items():
        people = deciders[code]
        decide(people["street"], application, opinion="同意推荐。")
        if community_code_is(application, sc["c3"]):
            decide(people["county"], application, verdict="return", opinion="请补充垃圾分类台账。")
            committee = people["committee"]
            application_update(actor=committee, application=application,
                               basic_situation="已补充垃圾分类台账。")  # fmt: skip
            application = application_submit(actor=committee, application=application)
            applications[code] = application
            assert application.current_step.key == "county"
        decide(people["county"], application, opinion="经初审，符合要求。")
        decide(people["city"], application, opinion="经复核，同意上报。")
        assert application.current_step.key == "province-sampling"

    # the province fixes and publishes the seed, then draws 30% of each city
    draw = sampling_draw_create(actor=province, province=sc["province"], share="0.3", seed=SEED)
    assert Event.objects.get(verb="sampling.create").after["seed"] == SEED
    sampling_draw_run(actor=province, draw=draw)
    items = list(
        SamplingItem.objects.filter(draw=draw).select_related("application__community__region")
    )
    stored = {i.application.community.region.code: (i.rank, i.sampled) for i in items}
    assert stored == recompute(SEED, "0.3", [(code[:4] + "00000000", code) for code in stored])
    sampled = [i for i in items if i.sampled]
    assert len(sampled) == 3  # ceil(0.3 x 4) of 成都市, ceil(0.3 x 2) of 绵阳市

    # a sampled green community fails the inspection; the others pass
    failing = next(i for i in sampled if i.application.title_kind == "green")
    for item in sampled:
        failed = item == failing
        sampling_inspect(actor=province, item=item, result="failed" if failed else "passed",
                         notes="垃圾分类设施不足。" if failed else "现场核查属实。")  # fmt: skip
    sampling_decide(actor=province, draw=draw, opinion=BATCH_OPINION, decided_on=today)
    failed_application = Application.objects.get(pk=failing.application_id)
    assert failed_application.current_step.key == "city"  # back to the city re-check
    on_to_notice = [a for a in applications.values() if a.pk != failed_application.pk]
    for application in on_to_notice:
        application.refresh_from_db()
        assert application.current_step.key == "notice"
        form = approval_form(application)
        assert [level.label for level in form.levels] == ["街道", "县(市、区)", "市(州)", "省级"]
        assert form.levels[-1].opinion == BATCH_OPINION and form.levels[-1].decided_on == today
        assert form.levels[2].opinion == "经复核，同意上报。"

    # the province publishes the five on a notice of 7 working days
    notice = publish(province, sc["province"], on_to_notice)
    assert notice.ends_on >= today + timedelta(days=8)
    greens = [a for a in on_to_notice if a.title_kind == "green"]
    upheld_for, dismissed_for = greens[0], greens[1]
    upheld = object_to(notice, upheld_for, contact_email="a@example.org")
    dismissed = object_to(notice, dismissed_for, ip="198.51.100.9")
    # the city sees the objections, not who made them; the province sees both
    assert {v.contact_phone for v in objection_list(sc_users["city"], notice=notice)} == {""}
    assert {v.contact_phone for v in objection_list(province, notice=notice)} == {"13600000000"}
    period_over(notice)
    with pytest.raises(ApplicationError, match="open objections first"):
        notice_close(actor=province, notice=notice)
    objection_resolve(actor=province, objection=upheld, upheld=True,
                      resolution="经核查，反映情况属实，退回整改。", outcome="return")  # fmt: skip
    objection_resolve(actor=province, objection=dismissed, upheld=False,
                      resolution="经核查，反映情况不属实。")  # fmt: skip
    upheld_for.refresh_from_db()
    assert (upheld_for.status, upheld_for.returned_from.key) == ("returned", "city")
    notice_close(actor=province, notice=notice)
    at_naming = [a for a in on_to_notice if a != upheld_for]
    for application in at_naming:
        application.refresh_from_db()
        assert application.current_step.key == "naming"
    dismissed_for.refresh_from_db()
    assert dismissed_for.decisions.get(step__key="notice").opinion == (
        "公示期满，收到异议1件，经核查不成立。"
    )

    # the province names the green communities in one decision
    green_batch = sorted((a for a in at_naming if a.title_kind == "green"),
                         key=lambda a: a.community.region.code)  # fmt: skip
    decision = naming_decide(
        actor=province, region=sc["province"], title_kind="green", year=2024,
        document_number="川建城〔2024〕88号", heading="关于命名2024年度四川省绿色社区的决定",
        body="经社区申报、逐级审核、省级抽验和公示，决定命名。", decided_on=today,
        application_ids=[a.pk for a in green_batch],
    )  # fmt: skip
    numbers = [a.title.certificate_number for a in Application.objects.filter(
        pk__in=[a.pk for a in green_batch]).order_by("community__region__code")]  # fmt: skip
    assert numbers == [f"SC-LSSQ-2024-{n:04d}" for n in range(1, len(green_batch) + 1)]
    assert len(green_batch) == 3
    assert set(Application.objects.filter(pk__in=[a.pk for a in green_batch]).values_list(
        "status", flat=True)) == {"named"}  # fmt: skip
    with default_storage.open(decision.document.name, "rb") as f:
        assert f.read(5) == b"%PDF-"
    # the 审批表's province row still holds the batch decision, not the naming step's note
    named_form = approval_form(green_batch[0])
    assert named_form.levels[-1].opinion == BATCH_OPINION

    # a demonstration title of 成都市 imported meanwhile fills its quota: naming is refused
    (demonstration,) = [a for a in at_naming if a.title_kind == "demonstration"]
    title_grant(actor=None, community=sc["c3"], kind="demonstration", year=today.year,
                named_on=today)  # fmt: skip
    with pytest.raises(ApplicationError, match="demonstration quota of 成都市 is exhausted"):
        naming_decide(
            actor=province, region=sc["province"], title_kind="demonstration", year=2024,
            document_number="川建城〔2024〕89号", heading="关于命名省级示范绿色社区的决定",
            body="", decided_on=today, application_ids=[demonstration.pk],
        )  # fmt: skip
    demonstration.refresh_from_db()
    assert demonstration.current_step.key == "naming"
    assert not Title.objects.filter(application=demonstration).exists()
