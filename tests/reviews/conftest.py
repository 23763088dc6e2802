"""Fixtures of the review chain tests: a small Sichuan tree (四川省 > 成都市 > 锦江区 > 督院街街道
> three communities, plus 青羊区 as another county), a small standard with a pass mark,
submitted self-assessments made straight in the database, and users holding each role."""

import io
from decimal import Decimal as D

import pytest

YEAR = 2024


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read service messages: compare them in English, whatever the default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def chains(db):
    """The built-in chains (again after a flush emptied the tables), by key."""
    from greencommunity.reviews.builtin_chains import builtin_chains_ensure
    from greencommunity.reviews.models import ChainAssignment, ReviewChain, ReviewStep

    builtin_chains_ensure(ReviewChain, ReviewStep, ChainAssignment)
    return {c.key: c for c in ReviewChain.objects.all()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _region(code, name, parent=None):
    from greencommunity.regions.services.tree import region_create

    return region_create(actor=None, code=code, name=name, parent=parent)


def _profile(region, n):
    community = region.community
    community.leader_name, community.leader_phone = f"负责人{n}", f"1380000000{n}"
    community.address = f"{region.name}居委会"
    community.save()
    return community


@pytest.fixture
def sc(chains):
    """The Sichuan tree; communities have a leader, phone and address."""
    t = {"province": _region("510000000000", "四川省")}
    t["city"] = _region("510100000000", "成都市", t["province"])
    t["county"] = _region("510104000000", "锦江区", t["city"])
    t["street"] = _region("510104001000", "督院街街道", t["county"])
    for n, name in enumerate(("东门社区", "南门社区", "西门社区"), start=1):
        t[f"c{n}"] = _profile(_region(f"51010400100{n}", name, t["street"]), n)
    t["other_county"] = _region("510105000000", "青羊区", t["city"])
    t["other_street"] = _region("510105001000", "少城街道", t["other_county"])
    t["other"] = _profile(_region("510105001001", "宽巷子社区", t["other_street"]), 4)
    return t


@pytest.fixture
def person(make_user):
    """person(role, region, username) -> an active user with an e-mail address."""

    def _make(role, region, username, department=""):
        user = make_user(role, region, username=username)
        user.email = f"{username}@example.org"
        user.save(update_fields=["email"])
        if department:
            user.roles.update(department=department)
        return user

    return _make


@pytest.fixture
def sc_users(sc, person):
    return {
        "committee": person("community", sc["c1"].region, "dongmen"),
        "committee2": person("community", sc["c2"].region, "nanmen"),
        "street": person("street", sc["street"], "duyuanjie"),
        "county": person("housing", sc["county"], "jinjiang"),
        "county_admin": person("admin", sc["county"], "jinjiang_admin"),
        "county_dept": person("department", sc["county"], "jinjiang_minzheng", "民政局"),
        "city": person("housing", sc["city"], "chengdu"),
        "province": person("housing", sc["province"], "sichuan"),
        "other_county": person("housing", sc["other_county"], "qingyang"),
        "expert": person("expert", sc["city"], "expert"),
    }


@pytest.fixture
def standard(db):
    """A small published points standard: criteria of 5, 3 and 2 points, pass at 8."""
    from greencommunity.standards.models import Area, Criterion, Standard

    s = Standard.objects.create(
        key="review-test", name="测试标准", scoring_mode="points", status="published",
        pass_min_total=D(8),
    )  # fmt: skip
    area = Area.objects.create(standard=s, number=1, name="机制", national_area=1)
    for number, points in ((1, 5), (2, 3), (3, 2)):
        Criterion.objects.create(
            standard=s, area=area, number=number, text=f"条目{number}", points=D(points)
        )
    return s


@pytest.fixture
def assess(standard):
    """assess(community, points=(5, 3, 2), standard=None, status="submitted") -> Assessment
    with those points per criterion, scored as the scoring engine scores it."""
    from greencommunity.assessments.models import Assessment, AssessmentAnswer
    from greencommunity.standards.scoring import Answer, score
    from greencommunity.standards.selectors import standard_spec

    def _make(community, points=(5, 3, 2), standard_=None, status="submitted", revision=1):
        s = standard_ or standard
        criteria = list(s.criteria.order_by("number"))
        spec = standard_spec(s)
        result = score(
            spec, {c.pk: Answer(points=D(p)) for c, p in zip(criteria, points, strict=False)}
        )
        assessment = Assessment.objects.create(
            community=community, standard=s, year=YEAR, revision=revision, status=status,
            total=result.total, maximum=result.maximum, met_count=result.met_count,
            answered_count=result.answered, passed=result.passed,
        )  # fmt: skip
        AssessmentAnswer.objects.bulk_create(
            [
                AssessmentAnswer(
                    assessment=assessment, criterion=c, points=D(p), met=D(p) >= c.points
                )
                for c, p in zip(criteria, points, strict=False)
            ]
        )
        return assessment

    return _make


FORM = {"basic_situation": "社区基本情况：辖 3 个小区，垃圾分类全覆盖。"}


@pytest.fixture
def apply(assess):
    """apply(committee, community, title_kind="green", submit=True) -> Application, made from a
    new passing self-assessment, the basic situation filled in, and submitted."""
    from greencommunity.reviews.services import (
        application_create,
        application_submit,
        application_update,
    )

    def _apply(committee, community, title_kind="green", submit=True, assessment=None):
        assessment = assessment or assess(community)
        application = application_create(
            actor=committee, assessment=assessment, title_kind=title_kind
        )
        application = application_update(actor=committee, application=application, **FORM)
        if submit:
            application = application_submit(actor=committee, application=application)
        return application

    return _apply


@pytest.fixture
def png():
    """png(name="seal.png") -> an uploaded PNG image."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def _png(name="seal.png"):
        data = io.BytesIO()
        Image.new("RGB", (40, 40), (200, 20, 20)).save(data, "PNG")
        return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")

    return _png
