"""Checking what an import read: the `_Checker` that collects every problem as a row error,
the parsers of single values, and the checks of the criteria and of the pass rule."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import ngettext

from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import is_formula_like, row_error
from greencommunity.regions.codes import CodeError, normalise_code
from greencommunity.regions.models import Indicator
from greencommunity.regions.services.fields import FieldError

from ...models import NATIONAL_AREAS, ScoringMode
from .layout import (
    HALF,
    KEY_RE,
    LABEL,
    NO,
    OPERATOR_WORDS,
    REASONS,
    YES,
    Entry,
    Where,
    _mode_word,
    _num,
)


class _Checker:
    """Parses and checks every value, collecting errors rather than stopping at the first."""

    def __init__(self, *, spreadsheet: bool) -> None:
        self.spreadsheet = spreadsheet
        self.errors: list[dict[str, Any]] = []
        self._seen: set[tuple[Any, ...]] = set()
        codes = dict(Indicator.objects.values_list("code", "name"))
        self.indicators = {**{name: code for code, name in codes.items()}, **{c: c for c in codes}}

    def error(self, at: tuple[int, str], value: Any, reason: str, reason_en: str) -> None:
        key = (at, reason)
        if key not in self._seen:  # an area's value is shared by its criteria: report it once
            self._seen.add(key)
            self.errors.append(row_error(at[0], at[1], value, reason, reason_en))

    def failure(self) -> RowError:
        return RowError(
            ngettext(
                "The standard was not imported: %(count)d problem to fix.",
                "The standard was not imported: %(count)d problems to fix.",
                len(self.errors),
            )
            % {"count": len(self.errors)},
            sorted(self.errors, key=lambda e: (e["row"], e["column"])),
        )

    # Each parser returns the value, or raises FieldError; `field` checks report the error.
    def field(self, where: Where, name: str, raw: Any, parse: Callable[[Any], Any]) -> Any:
        try:
            if self.spreadsheet and is_formula_like(raw):
                raise FieldError(*REASONS["formula"])
            return parse(raw)
        except FieldError as exc:
            self.error(where(name), raw, exc.reason, exc.reason_en)
            raise

    def get(self, where: Where, name: str, raw: Any, parse: Callable[[Any], Any]) -> Any:
        """The parsed value, or None after reporting an error."""
        try:
            return self.field(where, name, raw, parse)
        except FieldError:
            return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(*, required: bool = False, max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise FieldError(*REASONS["text"])
        text = value.strip()
        if required and not text:
            raise FieldError(*REASONS["required"])
        if max_length is not None and len(text) > max_length:
            raise FieldError(f"不能超过 {max_length} 个字", f"{max_length} characters at most")
        return text

    return parse


def _decimal(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise FieldError(*REASONS["number"])
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise FieldError(*REASONS["number"]) from exc
    if not number.is_finite():
        raise FieldError(*REASONS["number"])
    return number


def _whole(*, required: bool = True, maximum: int = 32767) -> Callable[[Any], int | None]:
    def parse(value: Any) -> int | None:
        number = _decimal(value)
        if number is None:
            if required:
                raise FieldError(*REASONS["required"])
            return None
        if number != number.to_integral_value() or not 1 <= number <= maximum:
            raise FieldError(*REASONS["whole"])
        return int(number)

    return parse


def _national_area(value: Any) -> int:
    number = _whole()(value)
    if number not in NATIONAL_AREAS:
        raise FieldError(*REASONS["national_area"])
    return number


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _blank(value):
        return False
    if isinstance(value, str) and value.strip() in (YES, NO):
        return value.strip() == YES
    raise FieldError(*REASONS["yes_no"])


def _points(value: Any) -> Decimal:
    number = _decimal(value)
    if number is None:
        raise FieldError(*REASONS["points_required"])
    if not HALF <= number <= 100 or (number / HALF) != (number / HALF).to_integral_value():
        raise FieldError(*REASONS["points"])
    return number


def _sub_conditions(value: Any) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list) and all(isinstance(s, str) and s.strip() for s in value):
        return [s.strip() for s in value]
    raise FieldError("应为非空文字的列表", "must be a list of non-empty texts")


def _operator(value: Any) -> str:
    if _blank(value):
        raise FieldError(*REASONS["operator_required"])
    word = OPERATOR_WORDS.get(value.strip()) if isinstance(value, str) else None
    if word is None:
        raise FieldError(*REASONS["operator"])
    return word


def _threshold(value: Any) -> Decimal:
    number = _decimal(value)
    if number is None:
        raise FieldError(*REASONS["threshold_required"])
    if number != number.quantize(Decimal("0.01")) or abs(number) >= 10**10:
        raise FieldError(*REASONS["threshold"])
    return number


def _mode(value: Any) -> str:
    if _blank(value):
        raise FieldError(*REASONS["required"])
    mode = _mode_word(value)
    if mode is None:
        raise FieldError(*REASONS["mode"])
    return mode


def _key(value: Any) -> str:
    key = _text(required=True)(value)
    if len(key) > 60 or not KEY_RE.fullmatch(key):
        raise FieldError(*REASONS["key"])
    return key


def _code(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text()(value)
    if not text:
        return ""
    try:
        return normalise_code(text)
    except CodeError as exc:
        raise FieldError(exc.reason, exc.reason_en) from exc


def _check_criteria(
    checker: _Checker, entries: list[Entry], mode: str | None
) -> list[dict[str, Any]]:
    """The areas (with their criteria) in the built-in data format."""
    areas: dict[int, dict[str, Any]] = {}
    area_first: dict[int, tuple[Entry, str, int | None]] = {}
    numbers: dict[int, Entry] = {}
    criteria: list[tuple[int, dict[str, Any]]] = []
    for entry in entries:
        w, cells = entry.where, entry.cells

        def get(name: str, parse: Callable[[Any], Any], w: Where = w, c: dict = cells) -> Any:
            return checker.get(w, name, c.get(name), parse)

        area_number = get("area_number", _whole())
        area_name = get("area_name", _text(required=True, max_length=200))
        national = get("national_area", _national_area)
        number = get("number", _whole())
        c: dict[str, Any] = {
            "number": number,
            "text": get("text", _text(required=True)),
            "points": None,
            "sub_conditions": get("sub_conditions", _sub_conditions) or [],
            "evidence": get("evidence", _text()) or "",
            "departments": get("departments", _text()) or "",
            "numeric_rule": None,
            "veto": bool(get("veto", _yes_no)),
        }
        if mode == ScoringMode.POINTS:
            c["points"] = get("points", _points)
        elif mode == ScoringMode.MET and not _blank(cells.get("points")):
            checker.error(w("points"), cells.get("points"), *REASONS["points_in_met"])
        indicator = get("indicator", _text())
        if indicator:
            if indicator not in checker.indicators:
                checker.error(w("indicator"), indicator, *REASONS["indicator"])
            c["numeric_rule"] = {
                "indicator": checker.indicators.get(indicator, indicator),
                "operator": get("operator", _operator),
                "threshold": get("threshold", _threshold),
            }
        elif indicator == "":
            for name in ("operator", "threshold"):
                if not _blank(cells.get(name)):
                    checker.error(w(name), cells.get(name), *REASONS["rule_without_indicator"])
        if area_number is not None:
            first = area_first.get(area_number)
            if first is None:
                area_first[area_number] = (entry, area_name, national)
                areas[area_number] = {
                    "number": area_number, "name": area_name, "national_area": national,
                    "points": None, "criteria": [],
                }  # fmt: skip
            else:
                first_row = first[0].where("area_number")[0]
                for name, value, seen in (("area_name", area_name, first[1]),
                                          ("national_area", national, first[2])):  # fmt: skip
                    if value is not None and seen is not None and value != seen:
                        checker.error(
                            w(name), cells.get(name),
                            f"与第 {first_row} 行不一致：内容编号相同的行应填写相同的{LABEL[name]}",
                            f"differs from row {first_row}: rows of one area must agree",
                        )  # fmt: skip
        if number is not None:
            if number in numbers:
                row = numbers[number].where("number")[0]
                checker.error(
                    w("number"), cells.get("number"), f"序号与第 {row} 行重复",
                    f"the number repeats row {row}",
                )  # fmt: skip
            else:
                numbers[number] = entry
        if area_number is not None:
            criteria.append((area_number, c))
    expected = 1
    for number in sorted(numbers):
        if number != expected:
            checker.error(
                numbers[number].where("number"), number,
                f"序号应从 1 起连续编号：缺少第 {expected} 条",
                f"numbers must run 1, 2, 3 ... without gaps: {expected} is missing",
            )  # fmt: skip
            break
        expected += 1
    for area_number, c in sorted(criteria, key=lambda ac: ac[1]["number"] or 0):
        areas[area_number]["criteria"].append(c)
    for area_number, area in areas.items():
        entry = area_first[area_number][0]
        total = sum((c["points"] or Decimal(0) for c in area["criteria"]), Decimal(0))
        area["points"] = total if mode == ScoringMode.POINTS else None
        declared = entry.cells.get("area_points")
        if not _blank(declared):
            given = checker.get(entry.where, "area_points", declared, _decimal)
            if mode == ScoringMode.MET or (given is not None and given != total):
                checker.error(
                    entry.where("area_points"), declared,
                    f"考核内容的分值应为所含条目标准分之和（{_num(area['points'])}）",
                    f"an area's points are the sum of its criteria ({_num(area['points'])})",
                )  # fmt: skip
    return [areas[n] for n in sorted(areas)]


def _check_pass_rule(
    checker: _Checker, info: dict[str, Any], where: Where, mode: str | None,
    count: int, total: Decimal,
) -> dict[str, Any] | None:  # fmt: skip
    def get(name: str, parse: Callable[[Any], Any]) -> Any:
        return checker.get(where, name, info.get(name), parse)

    rule: dict[str, Any] = {}
    if get("pass_all_met", _yes_no):
        rule["all_met"] = True
    min_met = get("pass_min_met", _whole(required=False))
    if min_met is not None:
        if count and min_met > count:
            checker.error(
                where("pass_min_met"), info.get("pass_min_met"),
                f"至少达标条数不能超过条目数 {count}",
                f"cannot exceed the number of criteria ({count})",
            )  # fmt: skip
        rule["min_met"] = min_met
    min_total = get("pass_min_total", _decimal)
    if min_total is not None:
        if mode == ScoringMode.MET:
            checker.error(where("pass_min_total"), min_total, *REASONS["min_total_in_met"])
        elif min_total <= 0 or min_total != min_total.quantize(Decimal("0.1")):
            checker.error(
                where("pass_min_total"), info.get("pass_min_total"),
                "总分线应为大于 0 的数字，最多一位小数", "must be above 0, 1 decimal at most",
            )  # fmt: skip
        elif mode == ScoringMode.POINTS and total and min_total > total:
            checker.error(
                where("pass_min_total"), info.get("pass_min_total"),
                f"总分线不能超过标准总分 {_num(total)}",
                f"cannot exceed the standard's total points ({_num(total)})",
            )  # fmt: skip
        rule["min_total"] = min_total
    if get("pass_no_veto_failed", _yes_no):
        rule["no_veto_failed"] = True
    return rule or None
