"""The demonstration quota: floor(share x the city's urban communities) titles within the
window, pending applications counted, revoked titles not, refused with the numbers."""

from datetime import date

import pytest

from greencommunity.core.errors import ApplicationError
from greencommunity.regions.services.tree import region_create
from greencommunity.reviews.models import Title, TitleConfig
from greencommunity.reviews.selectors_quota import demonstration_quota, quota_check
from greencommunity.reviews.services import application_create, application_submit

NAMED = date(2021, 6, 1)


@pytest.fixture
def chengdu(sc):
    """成都市 with 24 urban communities (4 of the tree + 20), a villagers' committee and a
    community classified rural by override."""
    for n in range(2, 22):
        region_create(
            actor=None, code=f"510105001{n:03d}", name=f"社区{n}", parent=sc["other_street"]
        )
    region_create(actor=None, code="510105001201", name="某村", parent=sc["other_street"])
    rural = region_create(actor=None, code="510105001099", name="城郊社区",
                          parent=sc["other_street"]).community  # fmt: skip
    rural.urban_override = False
    rural.save()
    return sc["city"]


def _title(community, kind="demonstration", named_on=NAMED, status="valid"):
    n = Title.objects.count() + 1
    return Title.objects.create(
        community=community, kind=kind, year=named_on.year, named_on=named_on,
        certificate_number=f"SC-{n:04d}", status=status,
        revoked_on=date(2022, 1, 1) if status == "revoked" else None,
    )  # fmt: skip


def test_limit_is_the_floor_of_the_share(chengdu):
    quota = demonstration_quota(chengdu)
    assert (quota.urban_communities, quota.limit, quota.window) == (24, 2, (2020, 2022))
    assert (quota.used, quota.pending, quota.remaining) == (0, 0, 2)
    # a province setting applies to its cities, a city's own setting wins
    TitleConfig.objects.update_or_create(
        region_code="510000000000", defaults={"quota_share": "0.15"}
    )
    assert demonstration_quota(chengdu).limit == 3  # floor(3.6)
    TitleConfig.objects.create(region_code="510100000000", quota_share="0.05",
                               quota_start_year=2021, quota_end_year=2023)  # fmt: skip
    quota = demonstration_quota(chengdu)
    assert (quota.limit, quota.window) == (1, (2021, 2023))


def test_used_counts_live_titles_in_the_window(sc, chengdu):
    _title(sc["c1"])
    _title(sc["c2"], status="under_rectification")
    _title(sc["c3"], status="revoked")  # not counted
    _title(sc["other"], named_on=date(2019, 12, 31))  # before the window
    _title(sc["other"], kind="green")  # another title
    quota = demonstration_quota(chengdu)
    assert (quota.used, quota.remaining) == (2, 0)
    assert demonstration_quota(chengdu, on=date(2021, 1, 1)).used == 0  # as of a day


def test_a_breach_is_refused_with_the_numbers(sc, sc_users, chengdu, assess, person, apply):
    # given 东门 and 南门 hold the green title, and one demonstration title is named
    for community in (sc["c1"], sc["c2"]):
        _title(community, kind="green")
    _title(sc["other"])
    # when 东门 applies for the demonstration title (1 named + 0 pending + 1 <= 2) ...
    first = application_create(
        actor=sc_users["committee"], assessment=assess(sc["c1"]), title_kind="demonstration"
    )
    # ... and 南门's demonstration application is submitted first
    second = apply(sc_users["committee2"], sc["c2"], title_kind="demonstration")
    assert demonstration_quota(chengdu).pending == 1
    # then submitting 东门's would pass the limit: refused, naming the numbers
    from greencommunity.reviews.services import application_update

    application_update(actor=sc_users["committee"], application=first, basic_situation="情况")
    with pytest.raises(ApplicationError) as refused:
        application_submit(actor=sc_users["committee"], application=first)
    assert refused.value.message == (
        "The demonstration quota of 成都市 is exhausted: at most 2 (10% of 24 urban "
        "communities) from 2020 to 2022; 1 named, 1 in review, 1 more asked for."
    )
    assert refused.value.extra["quota"] == {"limit": 2, "used": 1, "pending": 1}
    first.refresh_from_db()
    assert first.status == "draft"
    # and a revoked title frees its place
    Title.objects.filter(kind="demonstration").update(status="revoked", revoked_on=date.today())
    application_submit(actor=sc_users["committee"], application=first)
    assert second.status == "in_review"


def test_quota_check_for_naming_a_batch(sc, chengdu):
    _title(sc["c1"])
    assert quota_check(chengdu, adding=1).remaining == 1
    with pytest.raises(ApplicationError, match="2 more asked for"):
        quota_check(chengdu, adding=2)
