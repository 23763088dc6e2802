"""Shared fixtures: a small region tree and users holding each role on it."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server


@pytest.fixture
def tree(db):
    """山东省 > 淄博市 > 桓台县 > 城区街道 > 西苑社区, plus 张店区 and 济南市 as outsiders."""
    from greencommunity.regions.services import region_create

    t = {}
    t["province"] = region_create(actor=None, code="370000000000", name="山东省")
    t["city"] = region_create(actor=None, code="370300000000", name="淄博市", parent=t["province"])
    t["county"] = region_create(actor=None, code="370321000000", name="桓台县", parent=t["city"])
    t["street"] = region_create(actor=None, code="370321001000", name="城区街道", parent=t["county"])
    t["community"] = region_create(actor=None, code="370321001002", name="西苑社区",
                                   parent=t["street"])
    t["other_county"] = region_create(actor=None, code="370303000000", name="张店区",
                                      parent=t["city"])
    t["other_street"] = region_create(actor=None, code="370303001000", name="车站街道",
                                      parent=t["other_county"])
    t["other_city"] = region_create(actor=None, code="370100000000", name="济南市",
                                    parent=t["province"])
    return t


@pytest.fixture
def make_user(db):
    """make_user(role, region, username=None, must_change_password=False) -> User"""
    from greencommunity.access.models import RoleAssignment, User

    counter = {"n": 0}

    def _make(role=None, region=None, username=None, must_change_password=False, password=None):
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}",
            password=password or "Secret-pass-2026",
            home_region=region,
            must_change_password=must_change_password,
        )
        if role:
            RoleAssignment.objects.create(user=user, role=role, region=region)
        return user

    return _make
