from datetime import date
from decimal import Decimal

from django.db import transaction

from greencommunity.access.models import User
from greencommunity.access.services.bootstrap import admin_bootstrap
from greencommunity.access.services.users import user_create
from greencommunity.regions.models import Community, Compound, Indicator, IndicatorValue, Region
from greencommunity.regions.services.compounds import community_renovation_recompute
from greencommunity.regions.services.tree import region_create

from . import data


def demo_is_loaded() -> bool:
    return Region.objects.exists() or User.objects.exists()


@transaction.atomic
def demo_load() -> None:
    """Load the Huantai demo: regions, communities and one account per role."""
    province = region_create(actor=None, code=data.PROVINCE[0], name=data.PROVINCE[1])
    city = region_create(actor=None, code=data.CITY[0], name=data.CITY[1], parent=province)
    county = region_create(actor=None, code=data.COUNTY[0], name=data.COUNTY[1], parent=city)
    for code, name, communities in data.STREETS:
        street = region_create(actor=None, code=code, name=name, parent=county)
        for i, community in enumerate(communities, start=1):
            region_create(actor=None, code=f"{code[:9]}{i:03d}", name=community, parent=street)

    _registry_profiles()

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
