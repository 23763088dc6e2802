"""Fixtures of the batch tests (import them explicitly): conftest's Sichuan test tree with a
second city, 绵阳市 > 涪城区 > 城厢街道 > 东街社区, 西街社区; who takes each step for each
community; and helpers bringing applications to the sampling, notice and naming steps.

四川省 > 成都市 > 锦江区 > 督院街街道 > 东门社区 (c1), 南门社区 (c2), 西门社区 (c3)
                 > 青羊区 > 少城街道 > 宽巷子社区 (other)
       > 绵阳市 > 涪城区 > 城厢街道 > 东街社区 (m1), 西街社区 (m2)
"""

import hashlib
import math
from fractions import Fraction

import pytest
from django.utils import timezone

SEED = "2024-省级抽验-第1批"


@pytest.fixture
def mianyang(sc):
    from greencommunity.regions.services.tree import region_create

    t = {
        "city": region_create(actor=None, code="510700000000", name="绵阳市", parent=sc["province"])
    }
    t["county"] = region_create(actor=None, code="510703000000", name="涪城区", parent=t["city"])
    t["street"] = region_create(
        actor=None, code="510703001000", name="城厢街道", parent=t["county"]
    )
    for n, name in enumerate(("东街社区", "西街社区"), start=1):
        region = region_create(actor=None, code=f"51070300100{n}", name=name, parent=t["street"])
        community = region.community
        community.leader_name, community.leader_phone = f"绵阳负责人{n}", f"1390000000{n}"
        community.address = f"{name}居委会"
        community.save()
        t[f"m{n}"] = community
    return t


@pytest.fixture
def deciders(sc, sc_users, mianyang, person):
    """{community code: {"committee", "street", "county", "city"}} for the six communities."""
    chengdu = {"street": sc_users["street"], "county": sc_users["county"], "city": sc_users["city"]}
    fucheng = {
        "street": person("street", mianyang["street"], "chengxiang"),
        "county": person("housing", mianyang["county"], "fucheng"),
        "city": person("housing", mianyang["city"], "mianyang"),
    }
    shaocheng = {
        "street": person("street", sc["other_street"], "shaocheng"),
        "county": sc_users["other_county"],
        "city": sc_users["city"],
    }
    return {
        sc["c1"].region.code: {**chengdu, "committee": sc_users["committee"]},
        sc["c2"].region.code: {**chengdu, "committee": sc_users["committee2"]},
        sc["c3"].region.code: {
            **chengdu,
            "committee": person("community", sc["c3"].region, "ximen"),
        },
        sc["other"].region.code: {
            **shaocheng,
            "committee": person("community", sc["other"].region, "kuanxiangzi"),
        },
        mianyang["m1"].region.code: {
            **fucheng,
            "committee": person("community", mianyang["m1"].region, "dongjie"),
        },
        mianyang["m2"].region.code: {
            **fucheng,
            "committee": person("community", mianyang["m2"].region, "xijie"),
        },
    }


def decide(actor, application, verdict="approve", opinion="同意。"):
    from greencommunity.reviews.services import application_decide

    return application_decide(actor=actor, application=application, verdict=verdict,
                              opinion=opinion)  # fmt: skip


@pytest.fixture
def to_sampling(apply, deciders):
    """to_sampling(community, title_kind="green") -> an application the street, county and
    city approved, waiting at the province's sampling step."""

    def _make(community, title_kind="green"):
        people = deciders[community.region.code]
        application = apply(people["committee"], community, title_kind)
        for who in ("street", "county", "city"):
            decide(people[who], application)
        assert application.current_step.key == "province-sampling"
        return application

    return _make


def pass_sampling(actor, province, opinion="经抽验，同意。", share="1", seed="seed"):
    """Draw, inspect every sampled application as passed and decide: the province's waiting
    applications move on to the notice step."""
    from greencommunity.reviews.models import SamplingItem
    from greencommunity.reviews.services import (
        sampling_decide,
        sampling_draw_create,
        sampling_draw_run,
        sampling_inspect,
    )

    draw = sampling_draw_create(actor=actor, province=province, share=share, seed=seed)
    sampling_draw_run(actor=actor, draw=draw)
    for item in SamplingItem.objects.filter(draw=draw, sampled=True):
        sampling_inspect(actor=actor, item=item, result="passed", notes="")
    return sampling_decide(actor=actor, draw=draw, opinion=opinion)


@pytest.fixture
def to_notice(to_sampling, sc, sc_users):
    """to_notice(*communities, title_kind="green") -> their applications, waiting at the
    notice step."""

    def _make(*communities, title_kind="green"):
        applications = [to_sampling(c, title_kind) for c in communities]
        pass_sampling(sc_users["province"], sc["province"])
        for application in applications:
            application.refresh_from_db()
            assert application.current_step.key == "notice"
        return applications

    return _make


def publish(actor, region, applications, **kwargs):
    from greencommunity.reviews.services import notice_create

    kwargs.setdefault("starts_on", timezone.localdate())
    return notice_create(
        actor=actor, region=region, heading=kwargs.pop("heading", "2024年绿色社区公示"),
        body=kwargs.pop("body", "公示期内如有异议，请提出。"),
        application_ids=[a.pk for a in applications], **kwargs,
    )  # fmt: skip


def period_over(notice):
    """Make the notice's period lie in the past, as if its days had gone by."""
    from datetime import timedelta

    from greencommunity.reviews.models import PublicNotice

    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=14), ends_on=today - timedelta(days=1)
    )
    notice.refresh_from_db()


def object_to(notice, application, ip="203.0.113.7", **kwargs):
    from greencommunity.reviews.services import objection_submit

    values = {"reason": "该社区垃圾分类未落实。", "contact_name": "王先生",
              "contact_phone": "13600000000", "contact_email": "", "attachment": None}  # fmt: skip
    values.update(kwargs)
    return objection_submit(notice=notice, application=application, client_ip=ip, **values)


@pytest.fixture
def to_naming(to_notice, sc, sc_users):
    """to_naming(*communities, title_kind="green") -> their applications, waiting at the
    naming step."""

    def _make(*communities, title_kind="green"):
        from greencommunity.reviews.services import notice_close

        applications = to_notice(*communities, title_kind=title_kind)
        notice = publish(sc_users["province"], sc["province"], applications)
        period_over(notice)
        notice_close(actor=sc_users["province"], notice=notice)
        for application in applications:
            application.refresh_from_db()
            assert application.current_step.key == "naming"
        return applications

    return _make


def recompute(seed, share, candidates):
    """The sample as anyone recomputes it with hashlib, from (city code, community code):
    {community code: (rank, sampled)}."""
    by_city: dict[str, list[str]] = {}
    for city, code in candidates:
        by_city.setdefault(city, []).append(code)
    result = {}
    for codes in by_city.values():
        ranked = sorted(
            codes, key=lambda c: (hashlib.sha256((seed + c).encode("utf-8")).hexdigest(), c)
        )
        n = max(1, math.ceil(Fraction(share) * len(ranked)))
        for rank, code in enumerate(ranked, start=1):
            result[code] = (rank, rank <= n)
    return result
