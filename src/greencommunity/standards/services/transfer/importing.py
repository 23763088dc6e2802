"""The last step of an import: the standard's own values checked, the version chosen, who may
import decided, and the new draft written in one transaction with one audit event."""

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import row_error
from greencommunity.regions.models import Indicator

from ...loader import standard_load
from ...models import Area, Criterion, ScoringMode, Standard, StandardStatus, SubCondition
from ...policies import can_edit_standard
from .checks import (
    _check_criteria,
    _check_pass_rule,
    _Checker,
    _code,
    _key,
    _mode,
    _text,
    _whole,
)
from .layout import INFO_LABEL, INFO_SHEET, LABEL, REASONS, Entry, StandardImport, Where


def _may_import(actor: Any, code: str) -> bool:
    return can_edit_standard(actor, Standard(issuing_code=code))


def _import(
    checker: _Checker, *, actor: Any, info: dict[str, Any], info_where: Where,
    entries: list[Entry], overrides: dict[str, Any], dry_run: bool, fmt: str,
) -> StandardImport:  # fmt: skip
    def where(field: str) -> tuple[int, str]:
        # A value given as an argument (command-line option) replaces the file's.
        return (0, INFO_LABEL[field]) if overrides.get(field) is not None else info_where(field)

    given = {f: v for f, v in overrides.items() if v is not None}
    values = {**info, **given}
    for field in ("key", "name", "scoring_mode"):
        if field not in values and info_where(field)[1] != INFO_SHEET:
            checker.error(where(field), "", "缺少这一项", "this item is missing")

    def get(name: str, parse: Callable[[Any], Any]) -> Any:
        return checker.get(where, name, values.get(name), parse) if name in values else None

    key = get("key", _key)
    name = get("name", _text(required=True, max_length=200))
    errors_before = len(checker.errors)
    code = get("issuing_region", _code) or ""
    code_ok = len(checker.errors) == errors_before
    file_version = get("version", _whole(required=False))
    mode = get("scoring_mode", _mode)
    description = get("description", _text()) or ""
    source = get("source", _text(max_length=300)) or ""
    if not entries and not checker.errors:
        checker.error((2, LABEL["number"]) if checker.spreadsheet else (0, "areas"), "",
                      *REASONS["no_criteria"])  # fmt: skip
    areas = _check_criteria(checker, entries, mode)
    count = sum(len(a["criteria"]) for a in areas)
    total = sum((a["points"] or Decimal(0) for a in areas), Decimal(0))
    rule = _check_pass_rule(checker, values, where, mode, count, total)
    if code_ok and not _may_import(actor, code):
        reason = REASONS["not_allowed" if code else "national_not_allowed"]
        checker.error(where("issuing_region"), code, *reason)
    version = _version(checker, key, code, file_version, overrides.get("version"), where)
    if checker.errors:
        raise checker.failure()
    assert key is not None and name is not None and mode is not None and version is not None
    data = {
        "key": key, "name": name, "issuing_region": code, "version": version, "source": source,
        "scoring_mode": mode, "pass_rule": rule, "description": description, "areas": areas,
    }  # fmt: skip
    standard = None if dry_run else _create(actor, data, fmt)
    return StandardImport(
        standard=standard, key=key, version=version, name=name, areas=len(areas),
        criteria=count, total_points=total if mode == ScoringMode.POINTS else None,
        dry_run=dry_run,
    )  # fmt: skip


def _version(
    checker: _Checker, key: str | None, code: str, file_version: int | None,
    wanted: int | None, where: Where,
) -> int | None:  # fmt: skip
    """The version the draft gets: `wanted` when asked for, else the next one of an existing
    key, else the file's. A key keeps its issuing region across versions."""
    if key is None:
        return None
    versions = Standard.objects.filter(key=key)
    latest = versions.order_by("-version").values("version", "issuing_code").first()
    if latest is not None and latest["issuing_code"] != code:
        checker.error(
            where("key"), key,
            f"标识 {key} 已被另一区划（{latest['issuing_code'] or '全国'}）的标准使用",
            f"the key {key} belongs to a standard of another region",
        )  # fmt: skip
    draft = versions.filter(status=StandardStatus.DRAFT).order_by("version").first()
    if draft is not None:  # one draft per key at a time, as `standard_new_version` keeps it
        checker.error(
            where("key"), key,
            f"标准 {key} 的第 {draft.version} 版仍是草稿：请先修改并发布它，或以新的标识导入",
            f"version {draft.version} of {key} is still a draft: publish it, or use another key",
        )  # fmt: skip
    if wanted is not None:
        if versions.filter(version=wanted).exists():
            checker.error(
                where("version"), wanted, f"标准 {key} 的第 {wanted} 版已存在",
                f"version {wanted} of {key} already exists",
            )  # fmt: skip
        return wanted
    if latest is not None:
        return int(latest["version"]) + 1
    return file_version or 1


def _create(actor: Any, data: dict[str, Any], fmt: str) -> Standard:
    models = SimpleNamespace(
        Standard=Standard, Area=Area, Criterion=Criterion, SubCondition=SubCondition,
        Indicator=Indicator,
    )  # fmt: skip
    try:
        with transaction.atomic():
            versions = Standard.objects.select_for_update().filter(key=data["key"])
            for version, status in versions.values_list("version", "status"):
                if version == data["version"] or status == StandardStatus.DRAFT:
                    raise IntegrityError  # imported or drafted by someone else since the check
            standard: Standard = standard_load(data, models, status=StandardStatus.DRAFT)
            count = sum(len(a["criteria"]) for a in data["areas"])
            audit_record(
                actor=actor, verb="standard.import", target=standard,
                region_code=standard.issuing_code,
                summary=f"导入创建标准 {standard.name} v{standard.version}（{count} 条，草稿）",
                after={"key": standard.key, "version": standard.version, "criteria": count,
                       "format": fmt},
            )  # fmt: skip
    except IntegrityError as exc:
        raise RowError(
            _("The standard was not imported: this version or a draft exists already."),
            [row_error(0, INFO_LABEL["version"], data["version"],
                       f"标准 {data['key']} 刚刚有了第 {data['version']} 版或新的草稿，请重新导入",
                       f"{data['key']} got version {data['version']} or a draft meanwhile: "
                       "import again")],
        ) from exc  # fmt: skip
    return standard


def standard_by_reference(reference: str) -> Standard | None:
    """A standard by id, or by key (its latest version): what `export-standard` is given."""
    if reference.isdigit():
        return Standard.objects.filter(pk=int(reference)).first()
    return Standard.objects.filter(key=reference).order_by("-version").first()
