from django.db import transaction

from greencommunity.access.models import User
from greencommunity.access.services.bootstrap import admin_bootstrap
from greencommunity.access.services.users import user_create
from greencommunity.regions.models import Region
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
