"""`greencommunity progress CODE --year YYYY [--json]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from greencommunity.campaigns.selectors_progress import region_progress

# The keys of the issue's example (more are allowed).
EXAMPLE = {
    "region": {"code", "name", "level"},
    "top": {"region", "year", "communities", "on_creation_list", "pilots", "applied",
            "in_review", "certified", "demonstration", "certified_rate", "target_rate",
            "needed", "children"},
    "child": {"region", "communities", "certified"},
}  # fmt: skip


def run(*args):
    out = io.StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_issues_shape(world):
    # when the operator asks for 桓台县's progress in 2022 with a 6-digit code
    text = run("370321", "--year", "2022", "--json")
    # then one line of JSON, Chinese as is
    assert "桓台县" in text and text.count("\n") <= 1
    data = json.loads(text)
    assert EXAMPLE["top"] <= set(data)
    assert set(data["region"]) == EXAMPLE["region"]
    assert data["region"] == {"code": "370321000000", "name": "桓台县", "level": "county"}
    assert data["year"] == 2022 and data["as_of"] == "2022-12-31"
    assert isinstance(data["certified_rate"], float) and data["target_rate"] == 0.6
    for child in data["children"]:
        assert EXAMPLE["child"] <= set(child) and "children" not in child
        assert set(child) == set(data) - {"children"}
    # and the same figures as the selector
    expected = region_progress(world["county"], 2022)
    assert data["certified"] == expected["certified"] == 5
    assert [c["certified"] for c in data["children"]] == [
        c["certified"] for c in expected["children"]
    ]


def test_table(world):
    text = run("370321000000", "--year", "2022")
    assert "桓台县 (370321000000, county) — 2022, as of 2022-12-31" in text
    assert "inherited from 370300000000" in text
    lines = text.splitlines()
    assert any(line.startswith("城区街道 370321001000") for line in lines)
    assert lines[-1].split()[:3] == ["total", "10", "7"]


def test_as_an_account_outside_its_regions(world, users):
    assert json.loads(run("370321", "--year", "2022", "--json", "--actor", "huantai_housing"))
    with pytest.raises(CommandError, match="No region 370303000000"):
        run("370303", "--year", "2022", "--actor", "huantai_housing")


@pytest.mark.parametrize("code", ["37032", "abc", "370399"])
def test_bad_or_unknown_code(world, code):
    with pytest.raises(CommandError):
        run(code, "--year", "2022")
