"""Progress of a region in a year, against figures computed here in plain Python from the
fixture's data (conftest.SPEC), one community at a time."""

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.conftest import (
    APPLICATIONS,
    COMMUNITIES,
    LISTS,
    MERGES,
    REGIONS,
    TARGETS,
    TITLES,
    URBAN,
)
from greencommunity.campaigns.selectors_progress import region_progress

TODAY = date(2026, 11, 23)

# ------------------------------------------------------------------ the expected figures


def _valid(code, day):
    """Validity from the merges: the old codes close on the day, the new one opens."""
    for olds, new, _name, when in MERGES:
        if code in olds:
            return day < when
        if code == new:
            return day >= when
    return True


def _predecessors(code, day):
    found = []
    for olds, new, _name, when in MERGES:
        if new == code and when <= day:
            found += [o for o in olds if not _valid(o, day)]
    return found


def _as_of(year, today):
    if year < today.year:
        return date(year, 12, 31), "year_end"
    return today, "today" if year == today.year else "today_future_year"


def _year_before(day):
    return day.replace(year=day.year - 1)


def _live(code, day, kind=None):
    return any(
        t.code == code and t.named_on <= day and (t.revoked_on is None or t.revoked_on > day)
        and (kind is None or t.kind == kind)
        for t in TITLES
    )  # fmt: skip


def _named_from(key, day):
    return any(t.application == key and t.named_on <= day for t in TITLES)


def _flags(code, year, day):
    """The figures of one community by its own attachments."""
    applications = [a for a in APPLICATIONS if a.code == code and a.submitted is not None]
    entries = [(y, pilot) for _key, y, rows in LISTS for c, pilot in rows if c == code]
    return {
        "on_creation_list": any(y == year for y, _p in entries),
        "pilots": any(pilot and y <= year for y, pilot in entries),
        "applied": any(a.submitted <= day for a in applications),
        "in_review": any(
            a.submitted <= day
            and (a.closed is None or a.closed > day)
            and not _named_from(a.key, day)
            for a in applications
        ),
        "certified": _live(code, day),
        "demonstration": _live(code, day, "demonstration"),
        "before": _live(code, _year_before(day)),
    }


def _community_flags(code, year, day):
    """Its own figures, or-ed with those of the communities merged into it by then."""
    flags = _flags(code, year, day)
    for old in _predecessors(code, day):
        for name, value in _flags(old, year, day).items():
            flags[name] = flags[name] or value
    return flags


def _all_codes():
    return [c for c, *_rest in COMMUNITIES] + [new for _o, new, _n, _d in MERGES]


def _target(code, year):
    """The nearest ancestor-or-self target (by code), as (value, source code)."""
    keys = {key: c for key, c, _n, _p in REGIONS}
    own = {
        keys[key]: Decimal(value)
        for key, y, kind, value in TARGETS
        if y == year and kind == "certified_share"
    }
    for n in (12, 9, 6, 4, 2):
        candidate = code[:n].ljust(12, "0")
        if candidate in own:
            return own[candidate], candidate
    return None, None


def expected(code, name, level, prefix, year, today, children=None):
    day, basis = _as_of(year, today)
    counts = dict.fromkeys(
        ["communities", "on_creation_list", "pilots", "applied", "in_review", "certified",
         "demonstration", "before"], 0,
    )  # fmt: skip
    for c in _all_codes():
        if c.startswith(prefix) and c in URBAN | {m[1] for m in MERGES} and _valid(c, day):
            counts["communities"] += 1
            for flag, value in _community_flags(c, year, day).items():
                counts[flag] += int(value)
    communities, certified = counts["communities"], counts["certified"]
    value, source = _target(code, year)
    pace = (certified - counts["before"]) / 12
    deadline = date(year, 12, 31)
    months_left = max(0, (deadline - day).days) / (365.25 / 12)
    at_deadline = max(0, min(communities, math.floor(certified + pace * months_left + 1e-9)))
    result = {
        "region": {"code": code, "name": name, "level": level},
        "year": year, "as_of": day, "as_of_basis": basis, "communities": communities,
        **{k: counts[k] for k in ("on_creation_list", "pilots", "applied", "in_review",
                                  "certified", "demonstration")},
        "certified_rate": round(certified / communities, 3) if communities else 0.0,
        "target_rate": float(value) if value is not None else None,
        "target_source": source,
        "target_inherited": (source != code) if source else None,
        "needed": max(0, math.ceil(value * communities) - certified) if value else None,
        "forecast": {
            "deadline": deadline, "certified_at_deadline": at_deadline,
            "on_track": (at_deadline >= math.ceil(value * communities)) if value else None,
            "pace_per_month": round(pace, 2),
        },
    }  # fmt: skip
    if children is not None:
        result["children"] = children
    return result


def parent_of(code):
    return next(p for c, _n, p, _u in COMMUNITIES if c == code)


LEVEL_PREFIX = {"province": 2, "city": 4, "county": 6, "street": 9}


def expected_tree(key, year, today=TODAY):
    regions = {k: (c, n, p) for k, c, n, p in REGIONS}
    code, name, _parent = regions[key]
    level = {"province": "province", "city": "city", "other_city": "city"}.get(key)
    level = level or ("county" if code[6:] == "000000" else "street")
    children = []
    for c, n, p in regions.values():
        if p == key:
            child_level = "county" if c[6:] == "000000" else "street"
            if c[4:] == "00000000":
                child_level = "city"
            children.append(
                expected(c, n, child_level, c[: LEVEL_PREFIX[child_level]], year, today)
            )
    day, _basis = _as_of(year, today)
    members = [(c, n, p) for c, n, p, _u in COMMUNITIES]
    members += [(new, n, parent_of(olds[0])) for olds, new, n, _d in MERGES]
    for c, n, p in members:
        if p == key and _valid(c, day):
            children.append(expected(c, n, "community", c, year, today))
    children.sort(key=lambda e: e["region"]["code"])
    return expected(code, name, level, code[: LEVEL_PREFIX[level]], year, today, children)


# ------------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("year", [2021, 2022])
def test_county_progress_matches_the_plain_count(world, year):
    # given the county with a merge, revoked titles, a village, two applications of one
    # community and a returned one; when its progress of a past year is computed
    result = region_progress(world["county"], year, today=TODAY)
    # then every figure of the county and of each child is the plain count
    assert result == expected_tree("county", year)


def test_county_2022_figures_spelled_out(world):
    # the same, written out, so a mistake in the plain count cannot hide one in the selector
    result = region_progress(world["county"], 2022, today=TODAY)
    figures = {k: result[k] for k in ("communities", "on_creation_list", "pilots", "applied",
                                      "in_review", "certified", "demonstration")}  # fmt: skip
    # 001-007, C, 永和, 鸿嘉; A and B closed on the merge, 008 rural, 201 a village
    assert figures == {
        "communities": 10, "on_creation_list": 7, "pilots": 3, "applied": 5, "in_review": 2,
        "certified": 5, "demonstration": 1,
    }  # fmt: skip
    assert result["certified_rate"] == 0.5
    # the county has a plan without a 2022 share: the city's 60% applies, and says so
    assert (result["target_rate"], result["target_source"], result["target_inherited"]) == (
        0.6, "370300000000", True,
    )  # fmt: skip
    assert result["needed"] == 1
    suo = next(c for c in result["children"] if c["region"]["code"] == "370321102000")
    # C counts once, certified through A's title, in review through B's application
    assert (suo["communities"], suo["certified"], suo["in_review"], suo["pilots"]) == (2, 1, 1, 2)
    assert [c["region"]["code"] for c in result["children"]] == [
        "370321001000", "370321102000", "370321103000",
    ]  # fmt: skip
    assert all("children" not in c for c in result["children"])


def test_revoked_title_counts_until_its_revocation(world):
    street = world["street"]
    in_2021 = region_progress(street, 2021, today=TODAY)
    in_2022 = region_progress(street, 2022, today=TODAY)
    # 少海 (revoked 2022-06-30) counted in 2021 only; 兰香园 (revoked 2023-02-01) in both
    codes = {c["region"]["code"]: c["certified"] for c in in_2021["children"]}
    assert codes["370321001005"] == 1 and codes["370321001006"] == 1
    codes = {c["region"]["code"]: c["certified"] for c in in_2022["children"]}
    assert codes["370321001005"] == 0 and codes["370321001006"] == 1
    in_2023 = region_progress(street, 2023, today=TODAY)
    codes = {c["region"]["code"]: c["certified"] for c in in_2023["children"]}
    assert codes["370321001006"] == 0


def test_street_children_are_its_communities_valid_that_day(world):
    result = region_progress(world["suo"], 2022, today=TODAY)
    assert result == expected_tree("suo", 2022)
    # A and B closed on 2022-07-01: only C and 永和 remain as children
    assert [c["region"]["code"] for c in result["children"]] == ["370321102003", "370321102004"]
    before = region_progress(world["suo"], 2021, today=TODAY)
    assert [c["region"]["code"] for c in before["children"]] == [
        "370321102001", "370321102002", "370321102004",
    ]  # fmt: skip


def test_city_and_province(world):
    assert region_progress(world["city"], 2022, today=TODAY) == expected_tree("city", 2022)
    assert region_progress(world["province"], 2022, today=TODAY) == expected_tree("province", 2022)


@pytest.mark.parametrize("today", [date(2022, 9, 30), date(2022, 3, 15)])
def test_current_year_counts_as_of_today_with_a_forecast(world, today):
    result = region_progress(world["county"], 2022, today=today)
    assert result == expected_tree("county", 2022, today=today)
    assert result["as_of"] == today and result["as_of_basis"] == "today"


def test_future_year_counts_as_of_today_and_says_so(world):
    result = region_progress(world["county"], 2027, today=TODAY)
    assert result["as_of"] == TODAY and result["as_of_basis"] == "today_future_year"
    assert result == expected_tree("county", 2027)
    # no plan has a 2027 target
    assert result["target_rate"] is None and result["needed"] is None
    assert result["forecast"]["on_track"] is None


def test_forecast_by_hand(world):
    # 2022-03-15, before the merge: certified 001, 002, 005 (until 06-30), 006 and A; a year
    # before (2021-03-15) only 005. Pace (5 - 1) / 12 a month.
    result = region_progress(world["county"], 2022, today=date(2022, 3, 15))
    assert result["certified"] == 5  # 001, 002, 005, 006 and A
    assert result["forecast"]["pace_per_month"] == round(4 / 12, 2)
    months = (date(2022, 12, 31) - date(2022, 3, 15)).days / (365.25 / 12)
    assert result["forecast"]["certified_at_deadline"] == math.floor(5 + 4 / 12 * months)


def test_community_region_and_rural_community(world):
    xiyuan = region_progress(world["370321001002"], 2022, today=TODAY)
    assert (xiyuan["communities"], xiyuan["certified"], xiyuan["demonstration"]) == (1, 1, 1)
    assert xiyuan["children"] == []
    village = region_progress(world["370321001201"], 2022, today=TODAY)
    assert village["communities"] == 0 and village["certified"] == 0
    assert village["certified_rate"] == 0.0


def test_progress_takes_a_few_queries_whatever_the_size(world):
    with CaptureQueriesContext(connection) as small:
        region_progress(world["street"], 2022, today=TODAY)
    with CaptureQueriesContext(connection) as large:
        region_progress(world["province"], 2022, today=TODAY)
    # children, the grouped figures, the change links, the targets (+ a few when links exist)
    assert len(small) <= 6 and len(large) <= 10, [q["sql"] for q in large.captured_queries]


def test_dates_are_inclusive(world):
    # the merge day: C exists, A and B no longer
    day = date(2022, 7, 1)
    result = region_progress(world["suo"], 2022, today=day)
    assert [c["region"]["code"] for c in result["children"]] == ["370321102003", "370321102004"]
    eve = region_progress(world["suo"], 2022, today=day - timedelta(days=1))
    assert "370321102003" not in [c["region"]["code"] for c in eve["children"]]


def test_links_are_followed_through_several_changes(world, root):
    from greencommunity.regions.services.changes import division_change_record

    # given 西镇 (C, made by the merge of 永安 and 新民) recoded in 2023
    division_change_record(
        actor=root, kind="recode", effective_on=date(2023, 3, 1), old_codes=["370321102003"],
        new_regions=[("370321102005", "西镇社区")],
    )  # fmt: skip
    # when 索镇's progress of 2023 is counted
    result = region_progress(world["suo"], 2023, today=TODAY)
    new = next(c for c in result["children"] if c["region"]["code"] == "370321102005")
    # then the new code holds 永安's title and pilot flag and 新民's open application
    assert (new["certified"], new["pilots"], new["applied"], new["in_review"]) == (1, 1, 1, 1)
    assert [c["region"]["code"] for c in result["children"]] == ["370321102004", "370321102005"]
    assert (result["communities"], result["certified"], result["pilots"]) == (2, 1, 2)
    # and 2022 is unchanged: C still exists then
    assert region_progress(world["suo"], 2022, today=TODAY) == expected_tree("suo", 2022)
