"""Shared fixtures: a small region tree and users holding each role on it."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server


def _seeded_rows_ensure() -> None:
    """Restore what data migrations seed (built-in standards, review chains, title settings)
    after the flush of a transactional test emptied the tables."""
    import importlib
    from types import SimpleNamespace

    from greencommunity.regions.models import Indicator
    from greencommunity.reviews.builtin_chains import builtin_chains_ensure
    from greencommunity.reviews.models import ChainAssignment, ReviewChain, ReviewStep, TitleConfig
    from greencommunity.standards.builtin import BUILTIN
    from greencommunity.standards.loader import standard_load
    from greencommunity.standards.models import Area, Criterion, Standard, SubCondition

    if Standard.objects.filter(key="national-2020").exists():
        return
    models = SimpleNamespace(
        Standard=Standard, Area=Area, Criterion=Criterion, SubCondition=SubCondition,
        Indicator=Indicator,
    )  # fmt: skip
    for data in BUILTIN:
        standard_load(data, models)
    builtin_chains_ensure(ReviewChain, ReviewStep, ChainAssignment)
    titles = importlib.import_module("greencommunity.reviews.migrations.0003_title_configs")
    for code, pattern in titles.BUILTIN:
        TitleConfig.objects.get_or_create(
            region_code=code, defaults={"certificate_pattern": pattern}
        )


@pytest.fixture(autouse=True)
def _audit_guard(request):
    """Keep the audit table's append-only triggers in place for every test; lift them only
    for the flush that ends a transactional test (the flush empties every table)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    uses_db = transactional or marker is not None or "db" in request.fixturenames
    if not uses_db:
        yield
        return
    from django.db import connection

    from greencommunity.audit.guard import guard_install, guard_remove

    request.getfixturevalue("transactional_db" if transactional else "db")
    guard_install(connection)
    # The flush that ends a transactional test also empties the rows migrations seeded.
    from greencommunity.regions.indicators import catalogue_ensure
    from greencommunity.regions.models import Indicator

    catalogue_ensure(Indicator)
    _seeded_rows_ensure()
    yield
    if transactional:
        guard_remove(connection)


@pytest.fixture
def tree(db):
    """山东省 > 淄博市 > 桓台县 > 城区街道 > 西苑社区, plus 张店区 and 济南市 as outsiders."""
    from greencommunity.regions.services.tree import region_create

    t = {}
    t["province"] = region_create(actor=None, code="370000000000", name="山东省")
    t["city"] = region_create(actor=None, code="370300000000", name="淄博市", parent=t["province"])
    t["county"] = region_create(actor=None, code="370321000000", name="桓台县", parent=t["city"])
    t["street"] = region_create(
        actor=None, code="370321001000", name="城区街道", parent=t["county"]
    )
    t["community"] = region_create(
        actor=None, code="370321001002", name="西苑社区", parent=t["street"]
    )
    t["other_county"] = region_create(
        actor=None, code="370303000000", name="张店区", parent=t["city"]
    )
    t["other_street"] = region_create(
        actor=None, code="370303001000", name="车站街道", parent=t["other_county"]
    )
    t["other_city"] = region_create(
        actor=None, code="370100000000", name="济南市", parent=t["province"]
    )
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
