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
