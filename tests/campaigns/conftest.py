"""Fixtures of the campaigns tests: a small Shandong tree described as plain data (`SPEC`), built
in the database by `world`; the progress tests compute their expectations from the same data
in plain Python.

山东省 > 淄博市 > 桓台县 > 城区街道 > 001-007 (urban), 008 (residents' committee classed rural),
                                    201 (a village)
                          > 索镇 > 永安 (A) + 新民 (B) merged into 西镇 (C) on 2022-07-01, 永和
                          > 果里镇 > 鸿嘉
               > 张店区 > 车站街道 > 站北
       > 济南市 (no communities)
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

MERGE_DAY = date(2022, 7, 1)
A, B, C = "370321102001", "370321102002", "370321102003"

REGIONS = [  # key, code, name, parent key
    ("province", "370000000000", "山东省", None),
    ("city", "370300000000", "淄博市", "province"),
    ("county", "370321000000", "桓台县", "city"),
    ("street", "370321001000", "城区街道", "county"),
    ("suo", "370321102000", "索镇", "county"),
    ("guoli", "370321103000", "果里镇", "county"),
    ("other_county", "370303000000", "张店区", "city"),
    ("other_street", "370303001000", "车站街道", "other_county"),
    ("other_city", "370100000000", "济南市", "province"),
]
COMMUNITIES = [  # code, name, parent key, urban-rural class code
    ("370321001001", "宝龙社区", "street", ""),
    ("370321001002", "西苑社区", "street", ""),
    ("370321001003", "兴华社区", "street", ""),
    ("370321001004", "恒星社区", "street", ""),
    ("370321001005", "少海社区", "street", ""),
    ("370321001006", "兰香园社区", "street", ""),
    ("370321001007", "东城社区", "street", ""),
    ("370321001008", "城郊社区", "street", "220"),  # a residents' committee classed rural
    ("370321001201", "东村", "street", ""),  # a villagers' committee
    (A, "永安社区", "suo", ""),
    (B, "新民社区", "suo", ""),
    ("370321102004", "永和社区", "suo", ""),
    ("370321103001", "鸿嘉社区", "guoli", ""),
    ("370303001001", "站北社区", "other_street", ""),
]
URBAN = {code for code, _n, _p, urban_rural in COMMUNITIES if urban_rural != "220"} - {
    "370321001201"
}
# The merge: A and B close on MERGE_DAY, C opens that day.
MERGES = [((A, B), C, "西镇社区", MERGE_DAY)]


@dataclass(frozen=True)
class TitleSpec:
    code: str
    kind: str
    named_on: date
    revoked_on: date | None = None
    application: str = ""  # the key of the application it came from


TITLES = [
    TitleSpec("370321001001", "green", date(2021, 6, 1), application="baolong"),
    TitleSpec("370321001002", "green", date(2021, 6, 1)),
    TitleSpec("370321001002", "demonstration", date(2022, 3, 1)),
    TitleSpec("370321001003", "green", date(2022, 5, 1), application="xinghua2"),
    TitleSpec("370321001005", "green", date(2021, 3, 1), revoked_on=date(2022, 6, 30)),
    TitleSpec("370321001006", "green", date(2021, 9, 1), revoked_on=date(2023, 2, 1)),
    TitleSpec("370321001201", "green", date(2021, 6, 1)),  # a village: never counted
    TitleSpec(A, "green", date(2021, 10, 1)),
    TitleSpec("370303001001", "green", date(2022, 1, 10)),
]


@dataclass(frozen=True)
class ApplicationSpec:
    key: str
    code: str
    status: str
    submitted: date | None
    closed: date | None = None
    kind: str = "green"


APPLICATIONS = [
    ApplicationSpec("baolong", "370321001001", "named", date(2021, 4, 1), date(2021, 6, 1)),
    # 兴华社区: two applications, the first rejected, the second named.
    ApplicationSpec("xinghua1", "370321001003", "rejected", date(2021, 3, 1), date(2021, 5, 10)),
    ApplicationSpec("xinghua2", "370321001003", "named", date(2021, 11, 1), date(2022, 5, 1)),
    # 恒星社区: returned for revision, not resubmitted.
    ApplicationSpec("hengxing", "370321001004", "returned", date(2022, 4, 1)),
    ApplicationSpec("dongcheng", "370321001007", "in_review", date(2023, 3, 1)),
    ApplicationSpec("chengjiao", "370321001008", "in_review", date(2022, 2, 1)),
    ApplicationSpec("xinmin", B, "in_review", date(2022, 2, 1)),
    ApplicationSpec("yonghe", "370321102004", "draft", None),
    ApplicationSpec("hongjia", "370321103001", "withdrawn", date(2022, 8, 1), date(2022, 9, 1)),
]
LISTS = [  # region key, year, [(code, pilot)]
    ("county", 2021, [("370321001002", True), (A, True), ("370321102004", True),
                      ("370321001001", False)]),
    ("county", 2022, [("370321001001", False), ("370321001002", False),
                      ("370321001003", False), ("370321001004", False), (C, False),
                      ("370321103001", False)]),
    ("street", 2022, [("370321001001", False), ("370321001005", False)]),
]  # fmt: skip
TARGETS = [  # region key, year, kind, value
    ("city", 2021, "certified_share", "0.3"),
    ("city", 2022, "certified_share", "0.6"),
    ("county", 2021, "pilots_per_street", "2"),
    ("other_county", 2022, "certified_share", "0.5"),
]


def noon(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def root(db):
    from greencommunity.access.models import User

    return User.objects.create(username="root", is_superuser=True)


@pytest.fixture
def world(root):
    """{key or code: Region} of the tree above, with titles, applications, lists and plans."""
    from greencommunity.assessments.models import Assessment
    from greencommunity.campaigns.services import creation_list_set, plan_save, target_set
    from greencommunity.regions.models import Community, Region
    from greencommunity.regions.services.changes import division_change_record
    from greencommunity.regions.services.tree import region_create
    from greencommunity.reviews.builtin_chains import builtin_chains_ensure
    from greencommunity.reviews.models import (
        Application,
        ChainAssignment,
        ReviewChain,
        ReviewStep,
        Title,
    )
    from greencommunity.standards.models import Standard

    w: dict = {}
    for key, code, name, parent in REGIONS:
        w[key] = w[code] = region_create(
            actor=None, code=code, name=name, parent=w[parent] if parent else None
        )
    for code, name, parent, urban_rural in COMMUNITIES:
        w[code] = region_create(actor=None, code=code, name=name, parent=w[parent])
        if urban_rural:
            Community.objects.filter(pk=w[code].pk).update(urban_rural_code=urban_rural)
    for olds, new, name, day in MERGES:
        division_change_record(
            actor=root, kind="merge", effective_on=day, old_codes=list(olds),
            new_regions=[(new, name)],
        )  # fmt: skip
        w[new] = Region.objects.get(code=new)
    builtin_chains_ensure(ReviewChain, ReviewStep, ChainAssignment)
    chain = ReviewChain.objects.order_by("pk").first()
    standard = Standard.objects.get(key="national-2020", version=1)
    applications: dict = {}
    for n, spec in enumerate(APPLICATIONS, start=1):
        community = Community.objects.get(pk=w[spec.code].pk)
        assessment = Assessment.objects.create(
            community=community, standard=standard, year=2021, revision=n, status="submitted"
        )
        applications[spec.key] = Application.objects.create(
            community=community, assessment=assessment, title_kind=spec.kind, year=2021,
            chain=chain, status=spec.status,
            submitted_at=noon(spec.submitted) if spec.submitted else None,
            closed_at=noon(spec.closed) if spec.closed else None,
        )  # fmt: skip
    for n, spec in enumerate(TITLES, start=1):
        Title.objects.create(
            community_id=w[spec.code].pk, kind=spec.kind, year=spec.named_on.year,
            named_on=spec.named_on, certificate_number=f"T-{n:04d}",
            status="revoked" if spec.revoked_on else "valid", revoked_on=spec.revoked_on,
            source="imported",
            application=applications[spec.application] if spec.application else None,
        )  # fmt: skip
    for key, year, entries in LISTS:
        creation_list_set(
            actor=None, region=w[key], year=year,
            entries=[(Community.objects.get(pk=w[code].pk), pilot) for code, pilot in entries],
        )  # fmt: skip
    for key, year, kind, value in TARGETS:
        plan = plan_save(actor=None, region=w[key], name=f"{w[key].name}绿色社区创建行动实施方案")
        target_set(actor=None, plan=plan, year=year, kind=kind, value=value)
    return w


@pytest.fixture
def users(world, make_user):
    """Users by role over the tree."""
    return {
        "city_housing": make_user("housing", world["city"], username="zibo_housing"),
        "county_housing": make_user("housing", world["county"], username="huantai_housing"),
        "county_admin": make_user("admin", world["county"], username="huantai_admin"),
        "county_department": make_user("department", world["county"], username="huantai_mz"),
        "county_expert": make_user("expert", world["county"], username="huantai_expert"),
        "street": make_user("street", world["street"], username="chengqu"),
        "committee": make_user("community", world["370321001002"], username="xiyuan"),
        "other_county_housing": make_user("housing", world["other_county"], username="zd"),
        "other_city_admin": make_user("admin", world["other_city"], username="jinan_admin"),
        "nobody": make_user(None, None, username="nobody"),
    }
