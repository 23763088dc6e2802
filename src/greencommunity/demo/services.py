from datetime import date
from decimal import Decimal

from django.db import transaction

from greencommunity.access.models import User
from greencommunity.access.services.bootstrap import admin_bootstrap
from greencommunity.access.services.users import user_create
from greencommunity.assessments.models import AssessmentAnswer
from greencommunity.assessments.services import answer_set, assessment_start, assessment_submit
from greencommunity.regions.models import Community, Compound, Indicator, IndicatorValue, Region
from greencommunity.regions.services.compounds import community_renovation_recompute
from greencommunity.regions.services.tree import region_create
from greencommunity.standards.models import Standard

from . import data
from .evidence import attach_samples
from .reviews import demo_applications


def demo_is_loaded() -> bool:
    return Region.objects.exists() or User.objects.exists()


@transaction.atomic
def demo_load() -> None:
    """Load the Huantai demo: regions, communities, one account per role, self-assessments
    and applications at every step of Huantai's review chain."""
    province = region_create(actor=None, code=data.PROVINCE[0], name=data.PROVINCE[1])
    city = region_create(actor=None, code=data.CITY[0], name=data.CITY[1], parent=province)
    county = region_create(actor=None, code=data.COUNTY[0], name=data.COUNTY[1], parent=city)
    for code, name, communities in data.STREETS:
        street = region_create(actor=None, code=code, name=name, parent=county)
        for i, community in enumerate(communities, start=1):
            region_create(actor=None, code=f"{code[:9]}{i:03d}", name=community, parent=street)

    _registry_profiles()
    _assessments()

    admin_username, admin_name, *_ = data.ACCOUNTS[0]
    admin = admin_bootstrap(
        username=admin_username,
        full_name=admin_name,
        password=data.DEMO_PASSWORD,
        region=province,
        must_change_password=False,
    )
    for username, full_name, role, code, department in data.ACCOUNTS[1:]:
        region = Region.objects.get(code=code)
        user, _pw = user_create(
            actor=admin,
            username=username,
            full_name=full_name,
            home_region=region,
            password=data.DEMO_PASSWORD,
            organisation=department,
            roles=[(role, region, department)],
        )
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    demo_applications()  # decided by the demo accounts


def _registry_profiles() -> None:
    """Invented but plausible registry data: profiles, compounds and this year's indicators
    for most communities, so the survey and the lists show something real to work with."""
    year = date.today().year
    indicators = list(Indicator.objects.filter(computed=False))
    communities = Community.objects.select_related("region").order_by("region__code")
    for i, community in enumerate(communities):
        name = community.region.name
        community.urban_rural_code = "111" if i % 7 else "112"
        if i % 5 != 4:  # every fifth community has not sent its profile yet
            community.address = f"桓台县{name.removesuffix('社区')}路 {i + 1} 号"
            community.leader_name = data.LEADERS[i % len(data.LEADERS)]
            community.leader_phone = f"0533-82{i:05d}"
            community.households = 800 + 97 * i
            community.residents = int(community.households * 2.8)
            community.area_ha = Decimal(20 + 3 * i)
        community.save()
        for j in range(1 + i % 3):
            status = ["done", "in_progress", "planned", "none"][(i + j) % 4]
            Compound.objects.create(
                community=community,
                name=f"{name.removesuffix('社区')}{['一', '二', '三'][j]}区",
                build_year=1990 + (i * 3 + j) % 25,
                renovation_status=status,
                renovation_year=None if status == "none" else year - (i + j) % 2,
            )
        community_renovation_recompute(community=community)
        if i % 3 != 2:  # a third have not reported this year's indicators
            for k, indicator in enumerate(indicators):
                value = (
                    Decimal(60 + (i * 7 + k * 11) % 40)
                    if indicator.unit == "%"
                    else (Decimal("1.2") + Decimal(i % 5) / 10)
                )
                IndicatorValue.objects.create(community=community, indicator=indicator,
                                              year=year, value=value, source="entered")  # fmt: skip


def _assessments() -> None:
    """Self-assessments of the Huantai standard in several states: two submitted (one passing,
    one failing with gaps), two drafts (one complete, one half done), each with sample
    evidence files (photos, a PDF and a Word document) on its first answered criteria."""
    huantai = Standard.objects.get(key="huantai-2021", version=1)
    year = date.today().year
    criteria = list(huantai.criteria.order_by("number"))
    # community code → (points per criterion by position, submit)
    plans: dict[str, tuple[list[float], bool]] = {
        "370321001002": ([5] * 20, True),  # 西苑社区: passes
        "370321001001": ([5, 3, 0, 5, 2.5, 5, 0, 5, 3, 5, 0, 5, 2, 5, 5, 0, 5, 3, 0, 5], True),
        "370321001004": ([5] * 20, False),  # 恒星社区: complete draft
        "370321001003": ([5, 5, 4, 5, 3, 5, 5, 5], False),  # 兴华社区: half done
    }
    for code, (points, submit) in plans.items():
        community = Community.objects.get(region__code=code)
        assessment = assessment_start(actor=None, community=community, standard=huantai,
                                      year=year)  # fmt: skip
        filled = set(
            AssessmentAnswer.objects.filter(assessment=assessment, source="indicator").values_list(
                "criterion_id", flat=True
            )
        )
        answered = []
        for criterion, value in zip(criteria, points, strict=False):
            if criterion.pk in filled:  # decided by the community's indicator
                continue
            answer_set(actor=None, assessment=assessment, criterion=criterion,
                       points=Decimal(str(value)))  # fmt: skip
            answered.append(criterion.pk)
        attach_samples(assessment, answered[:3])  # before submitting: submitted ones are locked
        if submit:
            assessment_submit(actor=None, assessment=assessment)
