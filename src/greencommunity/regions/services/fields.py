"""Parsing of registry cells: every function returns the value or raises FieldError with the
reason in Chinese and English, so that importers and forms report the same words."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

from ..codes import Level
from ..models import CommunityKind, RenovationStatus


class FieldError(ValueError):
    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason, self.reason_en = reason, reason_en

    @property
    def message(self) -> str:
        """The reason in the active language (forms show it at the field)."""
        return self.reason_en if (get_language() or "").startswith("en") else self.reason


URBAN_RURAL_CODES = {"111", "112", "121", "122", "123", "210", "220"}

LEVEL_NAMES = {
    Level.PROVINCE: ("省", "省级", "province"),
    Level.CITY: ("市", "地级", "市级", "市（州）", "市(州)", "city"),
    Level.COUNTY: ("县", "区", "县级", "县（市、区）", "县(市、区)", "county", "district"),
    Level.STREET: ("街道", "乡镇", "镇", "乡", "街道（乡镇）", "街道(乡镇)", "street", "town"),
    Level.COMMUNITY: ("社区", "村", "居委会", "村委会", "community", "village"),
}
KIND_NAMES = {
    CommunityKind.RESIDENTS: ("居委会", "居民委员会", "社区居委会", "residents"),
    CommunityKind.VILLAGERS: ("村委会", "村民委员会", "villagers"),
    CommunityKind.OTHER: ("其他", "other"),
}
RENOVATION_NAMES = {
    RenovationStatus.NONE: ("未纳入", "无", "否", "none"),
    RenovationStatus.PLANNED: ("计划", "计划改造", "已列入计划", "planned"),
    RenovationStatus.IN_PROGRESS: ("改造中", "正在改造", "在建", "in_progress", "in progress"),
    RenovationStatus.DONE: ("已完成", "完成", "已改造", "done"),
}
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}


def _choice(text: str, names: dict, what: str, what_en: str) -> str:
    key = text.strip().casefold()
    for value, aliases in names.items():
        if key == value or key in {a.casefold() for a in aliases}:
            return str(value)
    options = "、".join(a[0] for a in names.values())
    raise FieldError(f"{what}应为：{options}", f"{what_en} must be one of: {', '.join(names)}")


def parse_level(text: str) -> str:
    return _choice(text, LEVEL_NAMES, "层级", "the level")


def parse_kind(text: str) -> str:
    """The community kind; empty when the cell is (the kind then comes from the code)."""
    if not text.strip():
        return ""
    return _choice(text, KIND_NAMES, "社区类型", "the community kind")


def parse_renovation_status(text: str) -> str:
    return _choice(text, RENOVATION_NAMES, "改造状态", "the renovation status")


def parse_urban_rural_code(text: str) -> str:
    code = text.strip()
    if code and code not in URBAN_RURAL_CODES:
        raise FieldError(
            "城乡分类代码应为 111、112、121、122、123、210 或 220",
            "the urban-rural class code must be 111, 112, 121, 122, 123, 210 or 220",
        )
    return code


def parse_yes_no(text: str) -> bool | None:
    key = text.strip().casefold()
    if not key:
        return None
    if key in YES:
        return True
    if key in NO:
        return False
    raise FieldError("应填“是”或“否”（或留空）", 'must be "yes", "no" or empty')


def parse_count(text: str) -> int | None:
    t = text.strip().replace(",", "")
    if not t:
        return None
    if not re.fullmatch(r"\d+", t):
        raise FieldError("应为非负整数", "must be a whole number, 0 or more")
    return int(t)


def parse_decimal(text: str, *, places: int = 2, maximum: Decimal | None = None) -> Decimal | None:
    t = text.strip().replace(",", "")
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise FieldError("应为数字", "must be a number") from None
    if not value.is_finite() or value < 0:
        raise FieldError("应为不小于 0 的数字", "must be a number, 0 or more")
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise FieldError(f"最多 {places} 位小数", f"at most {places} decimal places")
    if maximum is not None and value > maximum:
        raise FieldError(f"不能大于 {maximum}", f"cannot exceed {maximum}")
    return value


def parse_year(text: str, *, low: int = 1900, high: int | None = None) -> int | None:
    t = text.strip()
    if not t:
        return None
    high = high or date.today().year
    if not re.fullmatch(r"\d{4}", t) or not low <= int(t) <= high:
        raise FieldError(f"年份应在 {low} 至 {high} 之间", f"a year from {low} to {high}")
    return int(t)


def parse_date(text: str) -> date | None:
    t = text.strip()
    if not t:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise FieldError("日期格式应为 YYYY-MM-DD", "a date must be written YYYY-MM-DD")


def parse_phone(text: str) -> str:
    t = text.strip()
    if t and not re.fullmatch(r"\+?[0-9][0-9 \-]{4,24}", t):
        raise FieldError(
            "电话号码只能包含数字、空格、“-”和开头的“+”",
            "a phone number has digits, spaces, - and a leading +",
        )
    return t
