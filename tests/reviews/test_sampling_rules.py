"""The sampling rule: exact sample sizes, a stable ranking, and the published standalone script
(docs/sampling.md) agreeing with the platform's code."""

import csv
import hashlib
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from greencommunity.reviews.sampling_rules import draw, rank_key, sample_size

DOC = Path(__file__).resolve().parents[2] / "docs" / "sampling.md"


@pytest.mark.parametrize(
    ("share", "k", "n"),
    [("0.3", 10, 3), ("0.3", 11, 4), ("0.1", 3, 1), ("0.2", 5, 1), ("0.25", 9, 3), ("1", 4, 4),
     ("0.3", 0, 0), ("0.01", 1, 1)],
)  # fmt: skip
def test_sample_size_is_exact(share, k, n):
    assert sample_size(Decimal(share), k) == n


def test_rank_key_is_sha256_of_seed_and_code():
    expected = hashlib.sha256("2022-抽验-1510104001001".encode()).hexdigest()
    assert rank_key("2022-抽验-1", "510104001001") == expected


def test_draw_samples_per_city_in_hash_order():
    candidates = [("510100000000", f"510104001{i:03d}") for i in range(1, 11)]
    candidates += [("510300000000", "510302001001")]
    result = draw("seed-42", "0.3", candidates)
    chengdu = [r for r in result if r.city_code == "510100000000"]
    assert [r.rank for r in chengdu] == list(range(1, 11))
    assert sorted(r.rank_key for r in chengdu) == [r.rank_key for r in chengdu]
    assert sum(r.sampled for r in chengdu) == 3
    assert all(r.sampled == (r.rank <= 3) for r in chengdu)
    zigong = [r for r in result if r.city_code == "510300000000"]
    assert len(zigong) == 1 and zigong[0].sampled  # at least one per city


def test_another_seed_draws_another_order():
    candidates = [("510100000000", f"510104001{i:03d}") for i in range(1, 21)]
    first = [r.community_code for r in draw("a", "0.3", candidates)]
    second = [r.community_code for r in draw("b", "0.3", candidates)]
    assert first != second
    assert sorted(first) == sorted(second)


def test_published_script_agrees_with_the_platform(tmp_path):
    # given the script printed in docs/sampling.md and a candidate list of three cities
    script = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    (tmp_path / "sample.py").write_text(script, encoding="utf-8")
    candidates = [("510100000000", f"510104{s:03d}{c:03d}") for s in (1, 2) for c in range(1, 8)]
    candidates += [("510300000000", f"510302001{c:03d}") for c in range(1, 4)]
    candidates += [("510700000000", "510703001001")]
    with open(tmp_path / "c.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(candidates)
    # when it runs outside the platform (no Django, no project code)
    out = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "sample.py"), "种子-2022", "0.3",
         str(tmp_path / "c.csv")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.split("\n")  # fmt: skip
    # then it ranks and samples exactly as the platform does
    expected = [
        f"{r.city_code} {r.community_code} {r.rank} {'sampled' if r.sampled else '-'}"
        for r in draw("种子-2022", "0.3", candidates)
    ]
    assert [line for line in out if line] == expected
    assert sum(line.endswith("sampled") for line in expected) == 5 + 1 + 1
