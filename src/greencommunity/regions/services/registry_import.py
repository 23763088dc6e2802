"""Import the region tree and community profiles from a spreadsheet (社区信息库).

All or nothing: every row is checked first against the file and the database; any problem
raises RowError with one {row, column, value, reason, reason_en} per problem and nothing is
written. Otherwise regions are upserted by code, level by level, in one transaction, and one
audit event records the import. Only the columns present in the file are written, so a file
of codes and names never blanks a profile.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.bulk import insert_rows
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import Row, clean_text, is_formula_like, row_error

from ..codes import (
    LEVEL_ORDER,
    PREFIX_LENGTH,
    CodeError,
    Level,
    code_prefix,
    common_ancestor_code,
    community_kind_of_code,
    level_fits_code,
    level_of_code,
    normalise_code,
)
from ..models import Community, Region
from ..policies import can_edit_tree
from .fields import (
    LEVEL_NAMES,
    FieldError,
    parse_count,
    parse_date,
    parse_decimal,
    parse_kind,
    parse_level,
    parse_phone,
    parse_urban_rural_code,
    parse_yes_no,
)

Progress = Callable[..., None]
CHUNK = 2000
DEPTH = {str(level): i for i, level in enumerate(LEVEL_ORDER)}
ZEROS = {n: "0" * (12 - n) for n in (2, 4, 6, 9)}
SCAN_ABOVE = 20_000


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    label_en: str
    parse: Callable[[str], Any] | None = None
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("code", "区划代码", "Code", None, ("统计用区划代码", "代码", "division code")),
    Column("name", "名称", "Name", None, ("区划名称", "社区名称")),
    Column("level", "层级", "Level", parse_level),
    Column("urban_rural_code", "城乡分类代码", "Urban-rural code", parse_urban_rural_code,
           ("城乡分类",)),
    Column("kind", "社区类型", "Kind", parse_kind),
    Column("urban_override", "城市社区", "Urban", parse_yes_no, ("是否城市社区",)),
    Column("address", "居委会地址", "Address", clean_text, ("地址",)),
    Column("leader_name", "负责人", "Leader", clean_text, ("负责人姓名", "书记", "主任")),
    Column("leader_phone", "联系电话", "Leader phone", parse_phone, ("负责人电话", "电话")),
    Column("households", "户数", "Households", parse_count, ("总户数",)),
    Column("residents", "人口", "Residents", parse_count, ("常住人口", "人口数", "居民人数")),
    Column("area_ha", "面积（公顷）", "Area (ha)", parse_decimal, ("面积(公顷)", "面积", "area")),
    Column("notes", "备注", "Notes", clean_text),
    Column("valid_from", "生效日期", "Valid from", parse_date),
]  # fmt: skip
ALIASES = {c.field: (c.label, c.label_en, *c.aliases) for c in COLUMNS}
PROFILE_FIELDS = [
    "urban_rural_code", "kind", "urban_override", "address", "leader_name", "leader_phone",
    "households", "residents", "area_ha", "notes",
]  # fmt: skip
LABEL = {c.field: c.label for c in COLUMNS}
REGION_INSERT_FIELDS = ["code", "name", "level", "parent", "prefix", "valid_from", "valid_to"]
COMMUNITY_INSERT_FIELDS = PROFILE_FIELDS
# Columns of free text, where = + - @ would start a formula; the others are parsed strictly.
FREE_TEXT = {"address", "leader_name", "notes"}
MAX_NAME = 100
REASONS = {
    "formula": (
        "以 = + - @ 开头的内容会被当作公式执行；如确需如此，请在前面加英文单引号 '",
        "text starting with = + - @ would run as a formula; quote it with '",
    ),
    "profile_not_community": (
        "只有社区一级可以填写社区信息",
        "community details are for community-level rows only",
    ),
    "not_admin": (
        "您无权维护该区划（须为其上级的平台管理员）",
        "you do not administer this region",
    ),
    "no_parent": (
        "在数据库和本文件中都找不到它的上级区划",
        "no parent region in the database or in this file",
    ),
}


@dataclass
class RegionRow:
    row: int
    code: str
    name: str
    level: str
    values: dict[str, Any]  # parsed profile/validity values, only for columns in the file
    parent_code: str = ""


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    communities: int = 0
    dry_run: bool = False
    by_level: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "checked": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "communities": self.communities,
            "dry_run": self.dry_run,
            "by_level": self.by_level,
        }


def _chunks(items: Sequence[Any]) -> Any:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _existing(codes: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{code: {field: value}} of the regions among `codes` that exist. Many codes (a national
    file) are found by one scan of the table rather than hundreds of IN queries."""
    wanted = set(codes)
    if len(wanted) > SCAN_ABOVE:
        rows = Region.objects.values("code", *fields).iterator(chunk_size=CHUNK)
        return {r["code"]: r for r in rows if r["code"] in wanted}
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(wanted)):
        for r in Region.objects.filter(code__in=chunk).values("code", *fields):
            found[r["code"]] = r
    return found


class _Checker:
    def __init__(self, actor: Any, columns: set[str]) -> None:
        self.actor = actor
        self.columns = columns
        self.errors: list[dict[str, Any]] = []
        # Only the parsed columns the file has (a file of codes and names skips them all).
        self.value_columns = [c for c in COLUMNS[3:] if c.parse is not None and c.field in columns]

    def error(self, row: int, fieldname: str, value: Any, reason: str, reason_en: str) -> None:
        self.errors.append(
            row_error(row, LABEL.get(fieldname, fieldname), value, reason, reason_en, fieldname)
        )

    def parse_row(
        self, number: int, cells: dict[str, str], seen: dict[str, int]
    ) -> RegionRow | None:
        ok = True
        raw_code = cells.get("code", "")
        try:
            code = normalise_code(raw_code)
        except CodeError as exc:
            self.error(number, "code", raw_code, exc.reason, exc.reason_en)
            return None
        if code in seen:
            self.error(
                number,
                "code",
                raw_code,
                f"区划代码与第 {seen[code]} 行重复",
                f"the code repeats row {seen[code]}",
            )
            return None
        seen[code] = number
        name = clean_text(cells.get("name", ""))
        if not name:
            self.error(number, "name", name, "名称不能为空", "the name is required")
            ok = False
        elif is_formula_like(name):
            self.error(number, "name", name, *REASONS["formula"])
            ok = False
        elif len(name) > MAX_NAME:
            self.error(
                number,
                "name",
                name,
                f"名称不能超过 {MAX_NAME} 个字",
                f"the name is longer than {MAX_NAME} characters",
            )
            ok = False
        level: str = level_of_code(code)
        if cells.get("level", "").strip():
            try:
                level = parse_level(cells["level"])
            except FieldError as exc:
                self.error(number, "level", cells["level"], exc.reason, exc.reason_en)
                return None
            if not level_fits_code(code, level):
                self.error(
                    number,
                    "level",
                    cells["level"],
                    f"层级“{LEVEL_NAMES[Level(level)][0]}”与区划代码 {code} 不符",
                    f"the level {level} does not match the code {code}",
                )
                return None
        values: dict[str, Any] = {}
        for column in self.value_columns:
            text = cells.get(column.field)
            if text is None:
                continue
            if column.field in FREE_TEXT and is_formula_like(text):
                self.error(number, column.field, text, *REASONS["formula"])
                ok = False
                continue
            try:
                values[column.field] = column.parse(text)  # type: ignore[misc]  # value_columns
            except FieldError as exc:
                self.error(number, column.field, text, exc.reason, exc.reason_en)
                ok = False
        profile = values and {f for f in PROFILE_FIELDS if values.get(f) not in (None, "")}
        if profile and level != Level.COMMUNITY:
            f = sorted(profile, key=PROFILE_FIELDS.index)[0]
            self.error(number, f, cells.get(f, ""), *REASONS["profile_not_community"])
            ok = False
        if not can_edit_tree(self.actor, None, code):
            self.error(number, "code", raw_code, *REASONS["not_admin"])
            ok = False
        return RegionRow(number, code, name, level, values) if ok else None


def regions_check(
    *, actor: Any, rows: Sequence[Row], progress: Progress | None = None
) -> tuple[list[RegionRow], dict[str, dict[str, Any]]]:
    """Every row checked against the file and the database; RowError lists every problem.

    Returns the parsed rows and what the database holds of their codes and their ancestors'
    ({code: {id, level, name, valid_from}}), read once."""
    columns = set().union(*(r[1].keys() for r in rows)) if rows else set()
    checker = _Checker(actor, columns)
    if not rows:
        raise RowError(
            _("The file has no data rows."),
            [row_error(0, "", "", "文件中没有数据行", "the file has no data rows")],
        )
    missing = [f for f in ("code", "name") if f not in columns]
    if missing:
        raise RowError(
            _("The file lacks required columns."),
            [
                row_error(
                    1,
                    LABEL[f],
                    "",
                    f"缺少必需的列“{LABEL[f]}”",
                    f"the required column {f} is missing",
                    f,
                )
                for f in missing
            ],
        )
    seen: dict[str, int] = {}
    parsed: list[RegionRow] = []
    for i, (number, cells) in enumerate(rows, start=1):
        row = checker.parse_row(number, cells, seen)
        if row is not None:
            parsed.append(row)
        if progress is not None and i % 5000 == 0:
            progress(i, len(rows), _("Checking rows"))
    known = _check_against_database(checker, parsed)
    if checker.errors:
        raise RowError(
            _("%(count)d problem(s) in the file; nothing was imported.")
            % {"count": len(checker.errors)},
            sorted(checker.errors, key=lambda e: e["row"]),
        )
    return parsed, known


def _check_against_database(
    checker: _Checker, parsed: list[RegionRow]
) -> dict[str, dict[str, Any]]:
    """Parents (the nearest ancestor in the file or the database) and levels of existing rows."""
    in_file = {r.code: r.level for r in parsed}
    candidates = [_ancestor_candidates(r.code, r.level) for r in parsed]
    wanted: set[str] = set(in_file)
    for c in candidates:
        wanted.update(c)
    known = _existing(sorted(wanted), ["id", "level", "name", "valid_from"])
    in_db = {c: v["level"] for c, v in known.items()}
    for r, ancestors in zip(parsed, candidates, strict=True):
        if r.code in in_db and in_db[r.code] != r.level:
            checker.error(
                r.row,
                "level",
                r.level,
                f"该区划已按“{LEVEL_NAMES[Level(in_db[r.code])][0]}”一级登记，层级不能改变",
                f"the region exists as {in_db[r.code]}; its level cannot change",
            )
            continue
        if r.level == Level.PROVINCE:
            continue
        depth = DEPTH[r.level]
        for candidate in ancestors:
            level = in_file.get(candidate) or in_db.get(candidate)
            if level and DEPTH[level] < depth:
                r.parent_code = candidate
                break
        if not r.parent_code:
            checker.error(r.row, "code", r.code, *REASONS["no_parent"])
    return known


def _ancestor_candidates(code: str, level: str) -> list[str]:
    """Possible ancestors, nearest first: the code's 9, 6, 4 and 2-digit prefixes, padded."""
    own = PREFIX_LENGTH[level]  # type: ignore[index]  # Level is a str enum: str keys work
    out: list[str] = []
    for n in (9, 6, 4, 2):
        if n < own:
            candidate = code[:n] + ZEROS[n]
            if candidate != code and candidate not in out:
                out.append(candidate)
    return out


def _ids_of(codes: list[str], level: str) -> dict[str, int]:
    """{code: id} of regions just inserted at `level`."""
    if len(codes) > SCAN_ABOVE:
        wanted = set(codes)
        pairs = Region.objects.filter(level=level).values_list("code", "id").iterator(CHUNK)
        return {code: pk for code, pk in pairs if code in wanted}
    return {c: v["id"] for c, v in _existing(codes, ["id"]).items()}


def regions_import(
    *, actor: Any, rows: Sequence[Row], dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    parsed, known = regions_check(actor=actor, rows=rows, progress=progress)
    summary = ImportSummary(rows=len(parsed), dry_run=dry_run)
    existing = {r.code: known[r.code] for r in parsed if r.code in known}
    summary.created = sum(1 for r in parsed if r.code not in existing)
    summary.communities = sum(1 for r in parsed if r.level == Level.COMMUNITY)
    for r in parsed:
        summary.by_level[r.level] = summary.by_level.get(r.level, 0) + 1
    # A dry run does the same writes and rolls them back: its counts are exactly the import's.
    with transaction.atomic():
        ids = {c: v["id"] for c, v in known.items()}  # the file's codes and their ancestors
        changed = _write_regions(parsed, existing, ids, progress)
        changed |= _write_communities(parsed, ids)
        summary.updated = len(changed)
        audit_record(
            actor=actor,
            verb="registry.import_regions",
            region_code=common_ancestor_code([r.code for r in parsed]),
            summary=_("Imported %(rows)d regions: %(created)d new, %(updated)d updated.")
            % {"rows": summary.rows, "created": summary.created, "updated": summary.updated},
            after=summary.as_dict(),
        )
        if dry_run:
            transaction.set_rollback(True)
    summary.unchanged = summary.rows - summary.created - summary.updated
    return summary


def _write_regions(
    parsed: list[RegionRow],
    existing: dict[str, dict[str, Any]],
    ids: dict[str, int],
    progress: Progress | None,
) -> set[str]:
    now = timezone.now()
    done = 0
    changed: set[str] = set()
    for level in LEVEL_ORDER:
        batch = [r for r in parsed if r.level == level]
        if not batch:
            continue
        new = [r for r in batch if r.code not in existing]
        insert_rows(
            Region,
            REGION_INSERT_FIELDS,
            (
                (r.code, r.name, r.level, ids.get(r.parent_code), code_prefix(r.code, r.level),
                 r.values.get("valid_from"), None)
                for r in new
            ),
            same={"created_at": now, "updated_at": now},
        )  # fmt: skip
        if new:
            ids.update(_ids_of([r.code for r in new], level))
        for r in batch:
            old = existing.get(r.code)
            if old is None:
                continue
            fields: dict[str, Any] = {"name": r.name}
            if "valid_from" in r.values:
                fields["valid_from"] = r.values["valid_from"]
            if any(old[k] != v for k, v in fields.items()):
                Region.objects.filter(pk=old["id"]).update(updated_at=now, **fields)
                changed.add(r.code)
        done += len(batch)
        if progress is not None:
            progress(done, len(parsed), _("Writing regions"))
    return changed


def _write_communities(parsed: list[RegionRow], ids: dict[str, int]) -> set[str]:
    """Create the Community rows of new communities; update changed profiles. Returns the codes
    of existing communities whose profile changed."""
    rows = [r for r in parsed if r.level == Level.COMMUNITY]
    if not rows:
        return set()
    region_ids = [ids[r.code] for r in rows]
    have: dict[int, dict[str, Any]] = {}
    if len(region_ids) > SCAN_ABOVE:
        wanted = set(region_ids)
        for c in Community.objects.values("region_id", *PROFILE_FIELDS).iterator(CHUNK):
            if c["region_id"] in wanted:
                have[c["region_id"]] = c
    else:
        for chunk in _chunks(region_ids):
            for c in Community.objects.filter(region_id__in=chunk).values(
                "region_id", *PROFILE_FIELDS
            ):
                have[c["region_id"]] = c
    now = timezone.now()
    defaults = {
        f.name: f.get_default()
        for f in Community._meta.concrete_fields
        if f.name in COMMUNITY_INSERT_FIELDS
    }
    kind_at = COMMUNITY_INSERT_FIELDS.index("kind")
    new, changed = [], set()
    for r in rows:
        values = {k: v for k, v in r.values.items() if k in PROFILE_FIELDS}
        old = have.get(ids[r.code])
        if old is None:
            merged = {**defaults, **values}
            row = [ids[r.code], *(merged[f] for f in COMMUNITY_INSERT_FIELDS)]
            if row[1 + kind_at] in (None, ""):
                row[1 + kind_at] = community_kind_of_code(r.code)
            new.append(row)
            continue
        if values.get("kind") in (None, ""):
            values.pop("kind", None)  # an empty kind cell keeps the recorded kind
        diff = {k: v for k, v in values.items() if old[k] != v}
        if diff:
            Community.objects.filter(pk=ids[r.code]).update(updated_at=now, **diff)
            changed.add(r.code)
    insert_rows(
        Community,
        ["region", *COMMUNITY_INSERT_FIELDS],
        new,
        same={"created_at": now, "updated_at": now},
    )
    return changed
