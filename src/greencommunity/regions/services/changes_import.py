"""Division changes from a change file (xlsx or csv), all or nothing.

One row per old → new link. Columns (Chinese header, English header or field name):
变更编号 change_no, 变更类型 kind (更名 rename, 合并 merge, 拆分 split, 迁移 move, 新代码 recode,
撤销 abolish), 生效日期 effective_on (YYYY-MM-DD or a spreadsheet date), 原区划代码 old_code,
新区划代码 new_code, 新名称 new_name, 小区 compounds (a split row: the old community's compounds
that go to this new code, separated by 、 or ;), 批准文号 document, 备注 note.

Rows with the same kind, date and change number form one change. Without a number, the rows of
a merge with the same new code form one change, so do the rows of a split with the same old
code; any other row is a change of its own.

Every row is checked first; then every change is recorded in date order (file order on the same
day) inside one transaction, each through `division_change_record`, so a later change may build
on an earlier one. Any problem, in a row or in a change, and nothing is written: RowError lists
every problem by row, column, value and reason in Chinese and English.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import ngettext

from greencommunity.core.errors import ApplicationError, RowError
from greencommunity.documents.xlsx import Row, is_formula_like, row_error

from ..codes import CodeError, normalise_code
from ..models import ChangeKind, DivisionChange
from ..selectors_changes import compound_ids_by_name, division_change_leftovers
from .changes import MAX_NAME, division_change_record


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    label_en: str
    aliases: tuple[str, ...]
    max_length: int


# fmt: off
COLUMNS = [
    Column("change_no", "变更编号", "Change no", ("编号", "序号", "change number", "no"), 50),
    Column("kind", "变更类型", "Kind", ("类型", "变更方式", "type"), 20),
    Column("effective_on", "生效日期", "Effective on", ("日期", "变更日期", "date"), 30),
    Column("old_code", "原区划代码", "Old code", ("原代码", "原区划", "old"), 20),
    Column("new_code", "新区划代码", "New code", ("新代码", "新区划", "new"), 20),
    Column("new_name", "新名称", "New name", ("新区划名称", "名称", "name"), MAX_NAME),
    Column("compounds", "小区", "Compounds", ("分配小区", "所属小区", "compound"), 2000),
    Column("document", "批准文号", "Document", ("文号", "批准文件", "approving document"), 200),
    Column("note", "备注", "Note", ("说明", "notes", "remark"), 1000),
]
KIND_NAMES = {
    ChangeKind.RENAME: ("更名", "改名", "rename"),
    ChangeKind.MERGE: ("合并", "并入", "merge"),
    ChangeKind.SPLIT: ("拆分", "分设", "split"),
    ChangeKind.MOVE: ("迁移", "划转", "调整隶属", "move"),
    ChangeKind.RECODE: ("新代码", "代码变更", "变更代码", "recode", "new code"),
    ChangeKind.ABOLISH: ("撤销", "撤消", "abolish"),
}
REASONS = {
    "formula": ("以 = + - @ 开头的内容会被当作公式执行；如确为文本，请在前面加英文单引号 '",
                "text starting with = + - @ would run as a formula; if it is text, put a single "
                "quote ' before it"),
    "too_long": ("{label} 不能超过 {max} 个字符", "{label_en} may have at most {max} characters"),
    "no_rows": ("文件中没有变更行（第 1 行应为表头）",
                "no change rows in the file (row 1 holds the headers)"),
    "no_column": ("缺少“{label}”列", "the column {label_en} is missing"),
    "missing": ("{label}不能为空", "{label_en} is missing"),
    "unknown_kind": ("变更类型应为：更名、合并、拆分、迁移、新代码、撤销",
                     "the kind must be one of: rename, merge, split, move, recode, abolish"),
    "bad_date": ("生效日期应为 YYYY-MM-DD 格式的日期", "the effective date must be YYYY-MM-DD"),
    "bad_code": ("{label} '{text}' 有误：{why}", "{label_en} '{text}': {why_en}"),
    "no_new_code": ("{kind}需要填写新区划代码", "a {kind_en} needs the new code"),
    "abolish_new": ("撤销没有新区划，请不要填写新区划代码", "an abolition has no new code"),
    "rename_code": ("更名不改变代码，新区划代码应与原区划代码相同或留空",
                    "a rename keeps the code: leave the new code empty or equal to the old one"),
    "rename_name": ("更名需要填写新名称", "a rename needs the new name"),
    "compounds_not_split": ("只有拆分社区时填写小区", "compounds are listed only on split rows"),
    "repeated": ("与第 {first} 行重复", "the same link as row {first}"),
    "name_differs": ("同一新区划在第 {first} 行的名称是“{name}”",
                     "the same new code is named '{name}' on row {first}"),
    "document_differs": ("同一变更在第 {first} 行的批准文号是“{document}”",
                         "the same change has the document '{document}' on row {first}"),
    "compound_unknown": ("{code} 没有名为“{name}”的小区", "{code} has no compound named '{name}'"),
    "compound_twice": ("小区“{name}”分配了两次", "the compound '{name}' is assigned twice"),
}
# fmt: on
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
CHANGE_ALIASES = {c.field: (c.label, c.label_en, *c.aliases) for c in COLUMNS}
REQUIRED = ["kind", "effective_on", "old_code"]
KIND_BY_NAME = {
    "".join(name.split()).casefold(): kind
    for kind, names in KIND_NAMES.items()
    for name in (kind.value, *names)
}
KIND_LABELS_ZH = {kind: names[0] for kind, names in KIND_NAMES.items()}
# Where a refusal of the service points in the file.
SERVICE_FIELDS = {
    "kind": "kind",
    "date": "effective_on",
    "old": "old_code",
    "new": "new_code",
    "name": "new_name",
    "compounds": "compounds",
}
EXCEL_EPOCH = date(1899, 12, 30)
COMPOUND_SEPARATORS = re.compile(r"[、;；,，\n]+")


def kind_from_text(text: str) -> ChangeKind | None:
    return KIND_BY_NAME.get("".join(text.split()).casefold())


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD (or / .), a spreadsheet date cell (with a time of day), YYYYMMDD, Y年M月D日,
    or a spreadsheet serial day number; None when it is none of these."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", t)
    m = m or re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
    m = m or re.fullmatch(r"(\d{4})(\d\d)(\d\d)", t)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if re.fullmatch(r"\d{1,6}(?:\.0+)?", t):
        serial = int(float(t))
        if 1 <= serial <= 2958465:
            return EXCEL_EPOCH + timedelta(days=serial)
    return None


@dataclass
class ChangeGroup:
    """One change as the file gives it: its rows and what they say."""

    kind: ChangeKind
    effective_on: date
    rows: list[int] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # row, old, new code
    old_codes: list[str] = field(default_factory=list)
    new_regions: list[tuple[str, str]] = field(default_factory=list)
    compounds: list[tuple[int, str, list[str]]] = field(default_factory=list)  # row, code, names
    document: str = ""
    notes: list[str] = field(default_factory=list)
    name_rows: dict[str, int] = field(default_factory=dict)
    document_row: int = 0


@dataclass
class ChangesImportResult:
    groups: list[ChangeGroup]
    changes: list[DivisionChange] = field(default_factory=list)
    leftovers: int = 0  # indicator values kept on closed communities (successor had its own)
    dry_run: bool = False

    @property
    def count(self) -> int:
        return len(self.groups)


def _error(row: int, fieldname: str, value: Any, reason: str, reason_en: str) -> dict[str, Any]:
    column = COLUMN_BY_FIELD[fieldname].label if fieldname in COLUMN_BY_FIELD else ""
    return row_error(row, column, value, reason, reason_en, field=fieldname)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.groups: dict[tuple[Any, ...], ChangeGroup] = {}
        self.seen_links: dict[tuple[Any, ...], int] = {}

    def add(self, row: int, fieldname: str, value: Any, reason: str, **params: Any) -> None:
        zh, en = (text.format(**params) for text in REASONS[reason])
        self.errors.append(_error(row, fieldname, value, zh, en))

    def code(self, row: int, fieldname: str, text: str) -> str | None:
        try:
            return normalise_code(text)
        except CodeError as exc:
            c = COLUMN_BY_FIELD[fieldname]
            self.add(row, fieldname, text, "bad_code", label=c.label, label_en=c.label_en,
                     text=text, why=exc.reason, why_en=exc.reason_en)  # fmt: skip
            return None

    def row(self, row: int, values: dict[str, Any]) -> None:
        clean: dict[str, str] = {}
        ok = True
        for c in COLUMNS:
            raw = values.get(c.field, "")
            text = "" if raw is None else str(raw).strip()
            if is_formula_like(raw):
                self.add(row, c.field, raw, "formula")
                ok = False
            elif len(text) > c.max_length:
                self.add(row, c.field, text, "too_long", label=c.label, label_en=c.label_en,
                         max=c.max_length)  # fmt: skip
                ok = False
            clean[c.field] = text
        for name in REQUIRED:
            if not clean[name]:
                c = COLUMN_BY_FIELD[name]
                self.add(row, name, "", "missing", label=c.label, label_en=c.label_en)
                ok = False
        kind = kind_from_text(clean["kind"]) if clean["kind"] else None
        if clean["kind"] and kind is None:
            self.add(row, "kind", clean["kind"], "unknown_kind")
            ok = False
        day = parse_day(clean["effective_on"]) if clean["effective_on"] else None
        if clean["effective_on"] and day is None:
            self.add(row, "effective_on", clean["effective_on"], "bad_date")
            ok = False
        old = self.code(row, "old_code", clean["old_code"]) if clean["old_code"] else None
        new = self.code(row, "new_code", clean["new_code"]) if clean["new_code"] else None
        if (clean["old_code"] and old is None) or (clean["new_code"] and new is None):
            ok = False
        if kind is not None:
            ok = self._kind_rules(row, kind, clean, old, new) and ok
        if not ok or kind is None or day is None or old is None:
            return
        if kind == ChangeKind.RENAME:
            new = old
        self._group(row, kind, day, clean, old, new)

    def _kind_rules(
        self, row: int, kind: ChangeKind, clean: dict[str, str], old: str | None, new: str | None
    ) -> bool:
        ok = True
        if kind == ChangeKind.ABOLISH and clean["new_code"]:
            self.add(row, "new_code", clean["new_code"], "abolish_new")
            ok = False
        elif kind == ChangeKind.RENAME:
            if new is not None and old is not None and new != old:
                self.add(row, "new_code", clean["new_code"], "rename_code")
                ok = False
            if not clean["new_name"]:
                self.add(row, "new_name", "", "rename_name")
                ok = False
        elif kind != ChangeKind.ABOLISH and not clean["new_code"]:
            self.add(row, "new_code", "", "no_new_code", kind=KIND_LABELS_ZH[kind],
                     kind_en=kind.value)  # fmt: skip
            ok = False
        if clean["compounds"] and kind != ChangeKind.SPLIT:
            self.add(row, "compounds", clean["compounds"], "compounds_not_split")
            ok = False
        return ok

    def _group(
        self,
        row: int,
        kind: ChangeKind,
        day: date,
        clean: dict[str, str],
        old: str,
        new: str | None,
    ) -> None:
        if clean["change_no"]:
            key: tuple[Any, ...] = (kind, day, "no", clean["change_no"])
        elif kind == ChangeKind.MERGE:
            key = (kind, day, "new", new)
        elif kind == ChangeKind.SPLIT:
            key = (kind, day, "old", old)
        else:
            key = (kind, day, "row", row)
        group = self.groups.setdefault(key, ChangeGroup(kind=kind, effective_on=day))
        link = (key, old, new)
        if link in self.seen_links:
            self.add(row, "old_code", clean["old_code"], "repeated", first=self.seen_links[link])
            return
        self.seen_links[link] = row
        group.rows.append(row)
        group.links.append((row, old, new or ""))
        if old not in group.old_codes:
            group.old_codes.append(old)
        if new is not None:
            self._new_region(group, row, new, clean["new_name"])
            if clean["compounds"]:
                names = [n.strip() for n in COMPOUND_SEPARATORS.split(clean["compounds"])]
                group.compounds.append((row, new, [n for n in names if n]))
        if clean["document"]:
            if not group.document:
                group.document, group.document_row = clean["document"], row
            elif group.document != clean["document"]:
                self.add(row, "document", clean["document"], "document_differs",
                         first=group.document_row, document=group.document)  # fmt: skip
        if clean["note"] and clean["note"] not in group.notes:
            group.notes.append(clean["note"])

    def _new_region(self, group: ChangeGroup, row: int, code: str, name: str) -> None:
        for i, (known, known_name) in enumerate(group.new_regions):
            if known != code:
                continue
            if name and known_name and name != known_name:
                self.add(row, "new_name", name, "name_differs", first=group.name_rows[code],
                         name=known_name)  # fmt: skip
            elif name and not known_name:
                group.new_regions[i] = (code, name)
                group.name_rows[code] = row
            return
        group.new_regions.append((code, name))
        group.name_rows[code] = row


def changes_check(*, rows: Sequence[Row]) -> list[ChangeGroup]:
    """Every row checked on its own and with the rows of its change: the changes in the order
    they will be recorded (date, then file order), or RowError listing every problem."""
    if not rows:
        raise _row_error([_error(2, "", "", *REASONS["no_rows"])])
    present = {name for _n, values in rows for name in values}
    missing = [COLUMN_BY_FIELD[f] for f in REQUIRED if f not in present]
    if missing:
        errors = [
            _error(1, c.field, "", *(t.format(label=c.label, label_en=c.label_en)
                                     for t in REASONS["no_column"]))
            for c in missing
        ]  # fmt: skip
        raise _row_error(errors)
    checker = _Checker()
    for row_number, values in rows:
        checker.row(row_number, values)
    if checker.errors:
        raise _row_error(checker.errors)
    return sorted(checker.groups.values(), key=lambda g: (g.effective_on, g.rows[0]))


def _row_error(errors: list[dict[str, Any]]) -> RowError:
    message = ngettext(
        "The file has %(count)d error; nothing was imported.",
        "The file has %(count)d errors; nothing was imported.",
        len(errors),
    )
    return RowError(message % {"count": len(errors)}, errors)


def _assignment(group: ChangeGroup) -> tuple[dict[int, str], list[dict[str, Any]]]:
    """A split's compounds by name → {compound id: new code}, read when the change is recorded
    (an earlier change in the file may have moved compounds into the old community)."""
    if not group.compounds:
        return {}, []
    old = group.old_codes[0]
    ids = compound_ids_by_name(old)
    assignment: dict[int, str] = {}
    errors = []
    for row, code, names in group.compounds:
        for name in names:
            zh = en = ""
            if name not in ids:
                zh, en = (t.format(code=old, name=name) for t in REASONS["compound_unknown"])
            elif ids[name] in assignment:
                zh, en = (t.format(name=name) for t in REASONS["compound_twice"])
            else:
                assignment[ids[name]] = code
            if zh:
                errors.append(_error(row, "compounds", name, zh, en))
    return assignment, errors


def _service_error(group: ChangeGroup, exc: ApplicationError) -> dict[str, Any]:
    """A refusal of the service, pointed at the row and column it is about."""
    fieldname = SERVICE_FIELDS.get(str(exc.extra.get("field", "")), "")
    value = str(exc.extra.get("value", ""))
    row = group.rows[0]
    for link_row, old, new in group.links:
        if (fieldname == "old_code" and value == old) or (
            fieldname in ("new_code", "new_name") and value == new
        ):
            row = link_row
            break
    if fieldname == "compounds":
        row = next((r for r, _c, _n in group.compounds), row)
    reason = str(exc.extra.get("reason") or exc.message)
    reason_en = str(exc.extra.get("reason_en") or exc.message)
    return _error(row, fieldname, value, reason, reason_en)


class _Rollback(Exception):
    pass


def changes_import(
    *, actor: Any, rows: Sequence[Row], dry_run: bool = False
) -> ChangesImportResult:
    """Record every change of the file as `actor`, or none (see the module docstring)."""
    groups = changes_check(rows=rows)
    result = ChangesImportResult(groups=groups, dry_run=dry_run)
    errors: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            for group in groups:
                assignment, problems = _assignment(group)
                if problems:
                    errors += problems
                    continue
                try:
                    with transaction.atomic():
                        change = division_change_record(
                            actor=actor,
                            kind=group.kind,
                            effective_on=group.effective_on,
                            old_codes=group.old_codes,
                            new_regions=group.new_regions,
                            document=group.document,
                            note="；".join(group.notes),
                            compound_assignment=assignment or None,
                        )
                except ApplicationError as exc:
                    errors.append(_service_error(group, exc))
                    continue
                result.changes.append(change)
                result.leftovers += division_change_leftovers(change).count()
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        raise _row_error(errors)
    if dry_run:
        result.changes = []
    return result
