"""Fixtures of the self-assessment tests: the built-in standards, 西苑社区 with a sibling in
the same street, and users holding each role over them."""

import pytest

YEAR = 2024


@pytest.fixture
def standards(db):
    from greencommunity.standards.models import Standard

    return {
        key.split("-")[0]: Standard.objects.get(key=key, version=1)
        for key in ("national-2020", "tianjin-2020", "huantai-2021", "sichuan-2020")
    }


@pytest.fixture
def community(tree):
    return tree["community"].community


@pytest.fixture
def sibling(tree):
    """东苑社区, another community of 城区街道."""
    from greencommunity.regions.services.tree import region_create

    return region_create(
        actor=None, code="370321001003", name="东苑社区", parent=tree["street"]
    ).community


@pytest.fixture
def committee(tree, make_user):
    return make_user("community", tree["community"], username="xiyuan")


@pytest.fixture
def indicator_set(db):
    """indicator_set(community, code, value, year=YEAR): enter a yearly indicator value."""
    from greencommunity.regions.models import Indicator
    from greencommunity.regions.services.indicator_values import indicator_value_set

    def _set(community, code, value, year=YEAR):
        return indicator_value_set(
            actor=None, community=community, indicator=Indicator.objects.get(code=code),
            year=year, value=value,
        )  # fmt: skip

    return _set


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read service messages: compare them in English, whatever the default."""
    from django.utils import translation

    with translation.override("en"):
        yield
