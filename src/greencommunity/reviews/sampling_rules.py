"""The sampling rule of 省级抽验, as pure functions anyone can re-implement.

Given the draw's seed (fixed and published before the draw) and share p, the candidates of each
city are ranked by SHA-256 over the UTF-8 bytes of seed followed by the community's 12-digit
code, as lower-case hex, ascending; the first max(1, ceil(p × k)) of each city's k candidates are
sampled. p × k is computed exactly (decimal), not in binary floating point: 0.3 × 10 is 3, not
3.0000000000000004. docs/sampling.md carries a standalone script doing the same.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


def rank_key(seed: str, community_code: str) -> str:
    return hashlib.sha256((seed + community_code).encode("utf-8")).hexdigest()


def sample_size(share: Decimal | str, candidates: int) -> int:
    """max(1, ceil(share × candidates)) for a city with candidates; 0 for none."""
    if candidates <= 0:
        return 0
    exact = Fraction(Decimal(share)) * candidates
    return max(1, math.ceil(exact))


@dataclass(frozen=True)
class Ranked:
    city_code: str
    community_code: str
    rank_key: str
    rank: int  # 1 = first in the city
    sampled: bool


def draw(seed: str, share: Decimal | str, candidates: Iterable[tuple[str, str]]) -> list[Ranked]:
    """Rank (city code, community code) candidates per city and mark the sample; the result
    is ordered by city code, then rank."""
    by_city: dict[str, list[str]] = defaultdict(list)
    for city_code, community_code in candidates:
        by_city[city_code].append(community_code)
    result: list[Ranked] = []
    for city_code in sorted(by_city):
        codes = sorted(by_city[city_code], key=lambda code: (rank_key(seed, code), code))
        n = sample_size(share, len(codes))
        result.extend(
            Ranked(city_code, code, rank_key(seed, code), i, i <= n)
            for i, code in enumerate(codes, start=1)
        )
    return result
