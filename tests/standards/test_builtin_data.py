"""The built-in standards (plain data) checked against the seed documents they come from:
counts, numbering, areas and their national mapping, points, pass rules, numeric rules, and
every text copied from the seed (whitespace normalised on both sides). No database."""

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from greencommunity.regions.indicators import CATALOGUE
from greencommunity.standards.builtin import BUILTIN, HUANTAI, NATIONAL, SICHUAN, TIANJIN
from greencommunity.standards.builtin.sichuan import NUMERIC_RULES_BY_SUB_CONDITION

SEEDS = Path("/work/shared/seeds")
SEED_FILES = {
    "national-2020": "002_59f88fb3aa75159a.txt",  # Tianjin's attachment reproduces it
    "tianjin-2020": "002_59f88fb3aa75159a.txt",
    "huantai-2021": "003_cb12755f7503eeab.txt",
    "sichuan-2020": "001_0648c47208080c43.txt",
}
NATIONAL_AREAS = {
    1: "建立健全社区人居环境建设和整治机制",
    2: "推进社区基础设施绿色化",
    3: "营造社区宜居环境",
    4: "提高社区信息化智能化水平",
    5: "培育社区绿色文化",
}
INDICATORS = {
    "property_management_coverage",
    "green_ratio",
    "public_green_per_person",
    "satisfaction_management",
    "satisfaction_facilities",
    "service_facility_coverage",
    "renovation_completion",
}
OPERATORS = {">=", ">", "<=", "<"}
STANDARD_KEYS = {
    "key", "name", "issuing_region", "version", "source", "scoring_mode", "pass_rule",
    "description", "areas",
}  # fmt: skip
AREA_KEYS = {"number", "name", "national_area", "points", "criteria"}
CRITERION_KEYS = {
    "number", "text", "points", "sub_conditions", "evidence", "departments", "numeric_rule",
    "veto",
}  # fmt: skip
PASS_RULE_KEYS = {"all_met", "min_met", "min_total", "no_veto_failed"}

EXPECTED = {
    # key: (criteria, region, mode, pass rule, area points, points per criterion)
    "national-2020": (16, "", "met", {"all_met": True}, [None] * 5),
    "tianjin-2020": (16, "120000000000", "met", {"all_met": True}, [None] * 5),
    "huantai-2021": (20, "370321000000", "points", {"min_total": 80}, [20, 25, 20, 15, 20]),
    "sichuan-2020": (28, "510000000000", "points", None, [25, 25, 25, 10, 15]),
}
# Every numeric rule of each standard: criterion number -> (indicator, operator, threshold).
EXPECTED_RULES = {
    "national-2020": {12: ("property_management_coverage", ">=", 30)},
    "tianjin-2020": {12: ("property_management_coverage", ">=", 30)},
    "huantai-2021": {15: ("property_management_coverage", ">=", 100)},
    "sichuan-2020": {
        6: ("satisfaction_management", ">", 80),
        15: ("public_green_per_person", ">=", 1),
        16: ("green_ratio", ">=", 25),
        21: ("service_facility_coverage", ">=", 90),
        23: ("property_management_coverage", ">=", 30),
    },
}

by_key = pytest.mark.parametrize("standard", BUILTIN, ids=lambda s: s["key"])


def criteria(standard):
    return [c for area in standard["areas"] for c in area["criteria"]]


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text(standard) -> str:
    path = SEEDS / SEED_FILES[standard["key"]]
    if not path.exists():
        pytest.skip(f"seed {path} is absent")
    return norm(path.read_text(encoding="utf-8"))


def test_builtin_list_and_unique_keys():
    assert BUILTIN == [NATIONAL, TIANJIN, HUANTAI, SICHUAN]
    keys = [s["key"] for s in BUILTIN]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys)  # fits a SlugField
    assert [s["key"] for s in BUILTIN] == list(EXPECTED)


def test_data_modules_import_without_django():
    code = (
        "import sys; import greencommunity.standards.builtin as b; "
        "assert len(b.BUILTIN) == 4; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@by_key
def test_shape(standard):
    assert set(standard) == STANDARD_KEYS
    assert isinstance(standard["version"], int) and standard["version"] >= 1
    assert standard["name"] and standard["source"] and standard["description"]
    for area in standard["areas"]:
        assert set(area) == AREA_KEYS
        for c in area["criteria"]:
            assert set(c) == CRITERION_KEYS
            assert isinstance(c["text"], str) and c["text"] == c["text"].strip()
            assert isinstance(c["sub_conditions"], list)
            assert all(isinstance(s, str) and s.strip() for s in c["sub_conditions"])
            assert isinstance(c["evidence"], str) and isinstance(c["departments"], str)
            assert c["veto"] is False  # no seed has a veto item


@by_key
def test_counts_numbering_region_mode(standard):
    count, region, mode, _rule, _points = EXPECTED[standard["key"]]
    numbers = [c["number"] for c in criteria(standard)]
    assert numbers == list(range(1, count + 1))
    assert [a["number"] for a in standard["areas"]] == [1, 2, 3, 4, 5]
    assert standard["issuing_region"] == region
    assert region == "" or re.fullmatch(r"\d{12}", region)
    assert standard["scoring_mode"] == mode


@by_key
def test_areas_map_to_the_five_national_areas(standard):
    mapped = [a["national_area"] for a in standard["areas"]]
    assert all(n in NATIONAL_AREAS for n in mapped)
    assert set(mapped) == set(NATIONAL_AREAS)
    # Every seed table uses the national area names, in the national order.
    for area in standard["areas"]:
        assert area["name"] == NATIONAL_AREAS[area["national_area"]]


@by_key
def test_points(standard):
    _count, _region, mode, _rule, area_points = EXPECTED[standard["key"]]
    assert [a["points"] for a in standard["areas"]] == area_points
    if mode == "met":
        assert all(c["points"] is None for c in criteria(standard))
        return
    assert sum(c["points"] for c in criteria(standard)) == 100
    for area in standard["areas"]:
        assert sum(c["points"] for c in area["criteria"]) == area["points"]


def test_huantai_points_20_by_5():
    assert [c["points"] for c in criteria(HUANTAI)] == [5] * 20


def test_sichuan_points_2_to_5():
    points = [c["points"] for c in criteria(SICHUAN)]
    assert all(isinstance(p, int) and 2 <= p <= 5 for p in points)
    assert sum(points) == 100


@by_key
def test_pass_rules(standard):
    rule = standard["pass_rule"]
    assert rule == EXPECTED[standard["key"]][3]
    if rule is not None:
        assert rule and set(rule) <= PASS_RULE_KEYS


def test_sichuan_has_no_pass_mark_and_says_so():
    assert SICHUAN["pass_rule"] is None
    assert "未设定合格分数线" in SICHUAN["description"]
    assert "须先设定通过条件" in SICHUAN["description"]


@pytest.mark.parametrize("standard", [NATIONAL, TIANJIN], ids=lambda s: s["key"])
def test_all_met_is_stated_as_an_assumption(standard):
    assert "假设" in standard["description"] and "达到创建要求" in standard["description"]


def test_sichuan_garbled_table_read_correctly():
    by_number = {c["number"]: (area, c) for area in SICHUAN["areas"] for c in area["criteria"]}
    area, c15 = by_number[15]
    assert c15["text"] == "社区公共空间布局合理" and c15["points"] == 5
    assert area["name"] == "营造社区宜居环境" and area["national_area"] == 3
    ranges = {1: range(1, 7), 2: range(7, 15), 3: range(15, 22), 4: range(22, 25), 5: range(25, 29)}
    for area in SICHUAN["areas"]:
        assert [c["number"] for c in area["criteria"]] == list(ranges[area["number"]])
    # The subtotals 10 and 15 printed in the number column are criteria 23 and 26.
    assert by_number[23][1]["text"] == "物业服务水平提升" and by_number[23][1]["points"] == 3
    assert by_number[26][1]["text"] == "开展定期培训，实现教育常态化"
    assert by_number[26][1]["points"] == 4
    # The scoring standard printed after the area 3 row belongs to criterion 16.
    assert by_number[16][1]["text"] == "社区环境品质良好"
    assert by_number[16][1]["sub_conditions"][2].startswith("社区绿地率达到25%")


@by_key
def test_texts_are_found_in_the_seed(standard):
    seed = seed_text(standard)
    assert norm(standard["name"]) in seed or standard["key"] == "national-2020"
    for area in standard["areas"]:
        assert norm(area["name"]) in seed, area["name"]
        for c in area["criteria"]:
            assert norm(c["text"]) in seed, (c["number"], c["text"])
            for sub in c["sub_conditions"]:
                assert norm(sub) in seed, (c["number"], sub)
            if c["departments"]:
                assert norm(c["departments"]) in seed, (c["number"], c["departments"])
            if c["evidence"]:
                assert norm(c["evidence"]) in seed, (c["number"], c["evidence"])


def test_national_name_is_the_attachment_named_by_quanzhou():
    path = SEEDS / "000_425f49911c528ef5.txt"
    if not path.exists():
        pytest.skip(f"seed {path} is absent")
    assert norm(NATIONAL["name"]) in norm(path.read_text(encoding="utf-8"))


def test_tianjin_reproduces_the_national_criteria():
    assert [(a["name"], a["national_area"]) for a in TIANJIN["areas"]] == [
        (a["name"], a["national_area"]) for a in NATIONAL["areas"]
    ]
    assert [(c["number"], c["text"], c["numeric_rule"]) for c in criteria(TIANJIN)] == [
        (c["number"], c["text"], c["numeric_rule"]) for c in criteria(NATIONAL)
    ]
    # Only Tianjin's plan names departments per creation content; the national text is absent.
    assert all(c["departments"] == "" for c in criteria(NATIONAL))
    assert all(c["departments"].endswith("各区人民政府组织实施") for c in criteria(TIANJIN))


def test_huantai_departments_per_area():
    for area in HUANTAI["areas"]:
        departments = {c["departments"] for c in area["criteria"]}
        assert len(departments) == 1
        assert departments.pop().endswith("按职责分工负责")
    assert "县大数据发展中心" in HUANTAI["areas"][3]["criteria"][0]["departments"]
    assert "市生态环境局桓台分局" in HUANTAI["areas"][4]["criteria"][0]["departments"]


def test_only_sichuan_has_sub_conditions():
    for standard in (NATIONAL, TIANJIN, HUANTAI):
        assert all(c["sub_conditions"] == [] for c in criteria(standard))
    counts = {c["number"]: len(c["sub_conditions"]) for c in criteria(SICHUAN)}
    assert counts[3] == 4 and counts[26] == 4 and counts[16] == 3 and counts[6] == 0
    for c in criteria(SICHUAN):
        for sub in c["sub_conditions"]:
            assert not re.match(r"^\d+\)", sub)  # numbering dropped
            assert sub[-1] not in "；;。"  # trailing separators dropped


@by_key
def test_numeric_rules(standard):
    catalogue = {code for code, *_ in CATALOGUE}
    assert catalogue >= INDICATORS
    found = {}
    for c in criteria(standard):
        rule = c["numeric_rule"]
        if rule is None:
            continue
        assert set(rule) == {"indicator", "operator", "threshold"}
        assert rule["indicator"] in INDICATORS
        assert rule["operator"] in OPERATORS
        assert isinstance(rule["threshold"], int | float) and not isinstance(
            rule["threshold"], bool
        )
        # Every threshold in the seeds is a minimum (at least / more than).
        assert rule["operator"] in {">=", ">"}
        if rule["indicator"].endswith(("_coverage", "_ratio")) or rule["indicator"].startswith(
            "satisfaction"
        ):
            assert 0 < rule["threshold"] <= 100
        found[c["number"]] = (rule["indicator"], rule["operator"], rule["threshold"])
        # The threshold is stated in the criterion's own text (or a sub-condition of it).
        stated = norm(c["text"] + "".join(c["sub_conditions"]))
        threshold = Decimal(str(rule["threshold"])).normalize()
        assert f"{threshold:f}" in stated or "全覆盖" in stated, c["number"]
    assert found == EXPECTED_RULES[standard["key"]]


def test_sichuan_rules_by_sub_condition():
    by_number = {c["number"]: c for c in criteria(SICHUAN)}
    assert len(NUMERIC_RULES_BY_SUB_CONDITION) == 6
    for (number, sub), rule in NUMERIC_RULES_BY_SUB_CONDITION.items():
        c = by_number[number]
        assert rule["indicator"] in INDICATORS and rule["operator"] in OPERATORS
        text = c["text"] if sub is None else c["sub_conditions"][sub - 1]
        assert str(rule["threshold"]) in text, (number, sub)
    # A criterion's own rule is the first threshold it states; only 21 has a second one.
    firsts = {}
    for number, sub in sorted(NUMERIC_RULES_BY_SUB_CONDITION, key=lambda k: (k[0], k[1] or 0)):
        firsts.setdefault(number, NUMERIC_RULES_BY_SUB_CONDITION[(number, sub)])
    assert {n: c["numeric_rule"] for n, c in by_number.items() if c["numeric_rule"]} == firsts
    assert NUMERIC_RULES_BY_SUB_CONDITION[(21, 2)] == {
        "indicator": "satisfaction_facilities", "operator": ">=", "threshold": 80,
    }  # fmt: skip
