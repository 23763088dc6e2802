"""The 12-digit statistical division code (统计用区划代码) and what it says about a region.

2 province + 2 city + 2 county + 3 street/town + 3 community digits. A code ending in zeros
names a higher level; the non-zero prefix of a code is the subtree it heads.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^\d{12}$")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County/district")
    STREET = "street", _("Street/town")
    COMMUNITY = "community", _("Community")


LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.STREET, Level.COMMUNITY]
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.STREET: 9,
    Level.COMMUNITY: 12,
}


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def level_of_code(code: str) -> Level:
    """The level a 12-digit code names, from its trailing zeros."""
    if code[2:] == "0" * 10:
        return Level.PROVINCE
    if code[4:] == "0" * 8:
        return Level.CITY
    if code[6:] == "0" * 6:
        return Level.COUNTY
    if code[9:] == "000":
        return Level.STREET
    return Level.COMMUNITY


def code_prefix(code: str, level: str) -> str:
    """The leading digits shared by every region in the subtree of `code` at `level`."""
    return code[: PREFIX_LENGTH[Level(level)]]


def ancestor_codes(code: str) -> list[str]:
    """Codes of every possible ancestor, top first (some may not exist, e.g. no county level)."""
    level = level_of_code(code)
    result = []
    for lvl in LEVEL_ORDER:
        if lvl == level:
            break
        n = PREFIX_LENGTH[lvl]
        result.append(code[:n].ljust(12, "0"))
    return result


def community_kind_of_code(code: str) -> str:
    """Digits 10-12: 001-199 residents' committee (居委会), 200-399 villagers' (村委会)."""
    n = int(code[9:12])
    if 1 <= n <= 199:
        return "residents"
    if 200 <= n <= 399:
        return "villagers"
    return "other"


class CodeError(ValueError):
    """Why a text is not a division code: (Chinese reason, English reason)."""

    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason, self.reason_en = reason, reason_en


def normalise_code(text: str) -> str:
    """A 2/4/6/9/12-digit code as 12 digits (padded with zeros), or CodeError."""
    code = text.strip()
    if not code.isascii() or not code.isdigit():
        raise CodeError("区划代码只能包含数字", "a division code has digits only")
    if len(code) not in (2, 4, 6, 9, 12):
        raise CodeError(
            f"区划代码应为 2、4、6、9 或 12 位数字（现为 {len(code)} 位）",
            f"a division code has 2, 4, 6, 9 or 12 digits (this one has {len(code)})",
        )
    code = code.ljust(12, "0")
    if code[:2] == "00":
        raise CodeError("区划代码的省级部分不能为 00", "the province digits cannot be 00")
    return code


def level_fits_code(code: str, level: str) -> bool:
    """Whether `code` can name a region of `level`: the digits below the level are zeros and
    the level's own digits are not (a city's towns may skip the county: 441900003000)."""
    n = PREFIX_LENGTH[Level(level)]
    if code[n:] != "0" * (12 - n):
        return False
    own_start = {2: 0, 4: 2, 6: 4, 9: 6, 12: 9}[n]
    return code[own_start:n] != "0" * (n - own_start)


def common_ancestor_code(codes: list[str]) -> str:
    """The code of the smallest level-aligned subtree holding every code (blank when none):
    where an event about many regions is filed, e.g. an import's audit event."""
    if not codes:
        return ""
    lo, hi = min(codes), max(codes)
    n = 0
    while n < 12 and lo[n] == hi[n]:
        n += 1
    aligned = max((p for p in PREFIX_LENGTH.values() if p <= n), default=0)
    return lo[:aligned].ljust(12, "0") if aligned else ""
