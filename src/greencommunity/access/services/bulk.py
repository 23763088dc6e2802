"""Accounts in bulk from a spreadsheet: every row is checked first, then all accounts are
created in one transaction, or none is.

Columns (Chinese header, English header or field name; case and spaces do not matter):
用户名 username, 姓名 full_name, 手机 phone, 单位 organisation, 所属区划 home_region (12-digit
code), 角色 role, 角色区划 role_region (defaults to 所属区划), 部门 department.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, RowError
from greencommunity.documents.xlsx import Row, is_formula_like, row_error
from greencommunity.regions.codes import Level, common_ancestor_code, is_valid_code
from greencommunity.regions.models import Region

from ..models import User
from ..policies import can_administer_region, can_grant_role
from ..roles import ROLE_LEVELS, Role
from .users import generate_initial_password, user_create

JOB_KIND = "accounts.import"
Progress = Callable[..., None]


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the template's (Chinese) header
    label_en: str
    aliases: tuple[str, ...]
    max_length: int
    required: bool
    help: str
    help_en: str


# fmt: off
COLUMNS = [
    Column("username", "用户名", "Username", ("账号", "帐号", "登录名", "user name"), 150, True,
           "登录用的账号名，全平台唯一；字母、数字和 @ . + - _",
           "login name, unique on the platform; letters, digits and @ . + - _"),
    Column("full_name", "姓名", "Full name", ("名称", "name"), 100, False,
           "使用人姓名", "the person's name"),
    Column("phone", "手机", "Phone", ("手机号", "手机号码", "电话", "联系电话", "mobile"), 30,
           False, "联系电话", "contact phone number"),
    Column("organisation", "单位", "Organisation", ("工作单位", "organization", "unit"), 200,
           False, "所在单位", "the person's organisation"),
    Column("home_region", "所属区划", "Home region",
           ("所属区划代码", "区划代码", "区划", "region", "home region code"), 12, True,
           "12 位统计用区划代码；由该区划的管理员管理这个账号",
           "12-digit division code; administrators of this region manage the account"),
    Column("role", "角色", "Role", (), 30, False,
           "角色名称或代码，见下表；留空则不授予角色",
           "role name or code, see the table below; empty for no role"),
    Column("role_region", "角色区划", "Role region",
           ("角色区划代码", "授权区划", "role region code"), 12, False,
           "角色所在的 12 位区划代码；留空则与所属区划相同",
           "12-digit code of the region the role is held on; empty for the home region"),
    Column("department", "部门", "Department", ("所属部门", "dept"), 100, False,
           "其他部门角色填写部门名称，如 民政局",
           "for the other-department role, the department's name, e.g. 民政局"),
]
# role: (Chinese name in files, English name, other accepted names)
ROLE_NAMES = {
    Role.ADMIN: ("平台管理员", "Platform administrator", ("管理员", "账号管理员", "administrator")),
    Role.HOUSING: ("住建部门审核员", "Housing department (reviewer)",
                   ("住房城乡建设部门", "住建部门", "住建", "housing department", "reviewer")),
    Role.DEPARTMENT: ("其他部门", "Other department", ("部门", "other department")),
    Role.STREET: ("街道办事处", "Street office", ("街道", "街道办", "乡镇", "street office")),
    Role.COMMUNITY: ("社区居委会", "Community committee",
                     ("社区", "居委会", "community committee")),
    Role.EXPERT: ("专家", "Expert", ()),
}
LEVEL_LABELS_ZH = {Level.PROVINCE: "省级", Level.CITY: "市级", Level.COUNTY: "县级",
                   Level.STREET: "街道/镇级", Level.COMMUNITY: "社区级"}
# fmt: on
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
ACCOUNT_ALIASES = {c.field: (c.label, c.label_en, *c.aliases) for c in COLUMNS}
ROLE_LABELS_ZH = {role: names[0] for role, names in ROLE_NAMES.items()}


def _role_key(text: str) -> str:
    return "".join(text.split()).casefold()


ROLE_BY_NAME = {
    _role_key(name): role
    for role, (zh, en, others) in ROLE_NAMES.items()
    for name in (role.value, zh, en, *others)
}


def role_from_text(text: str) -> Role | None:
    """A role from its code, Chinese or English name (None when unknown)."""
    return ROLE_BY_NAME.get(_role_key(text))


def role_levels_zh(role: str) -> str:
    return "、".join(LEVEL_LABELS_ZH[lvl] for lvl in Level if lvl in ROLE_LEVELS[Role(role)])


@dataclass(frozen=True)
class AccountRow:
    """One checked row of the file, ready to create."""

    row: int
    username: str
    full_name: str
    phone: str
    organisation: str
    home_region: Region
    role: str
    role_region: Region | None
    department: str


@dataclass(frozen=True)
class CreatedAccount:
    row: AccountRow
    user: User
    password: str


@dataclass
class ImportResult:
    rows: list[AccountRow]
    created: list[CreatedAccount] = field(default_factory=list)
    dry_run: bool = False

    @property
    def count(self) -> int:
        return len(self.created)


def _error(row: int, fieldname: str, value: Any, reason: str, reason_en: str) -> dict[str, Any]:
    column = COLUMN_BY_FIELD[fieldname].label if fieldname in COLUMN_BY_FIELD else fieldname
    return row_error(row, column, value, reason, reason_en, field=fieldname)


# Why a row is refused: (Chinese, English), formatted with the row's values.
# fmt: off
REASONS = {
    "formula": ("以 = + - @ 开头的内容会被当作公式执行；如确为文本，请在前面加英文单引号 '",
                "text starting with = + - @ would run as a formula; if it is text, put a single "
                "quote ' before it"),
    "too_long": ("{label} 不能超过 {max} 个字符", "{label_en} may have at most {max} characters"),
    "no_rows": ("文件中没有账号行（第 1 行应为表头）",
                "no account rows in the file (row 1 holds the headers)"),
    "no_column": ("缺少“{label}”列", "the column {label_en} is missing"),
    "no_username": ("用户名不能为空", "the username is missing"),
    "bad_username": ("用户名只能包含字母、数字和 @ . + - _",
                     "a username may contain only letters, digits and @ . + - _"),
    "repeated": ("用户名在文件中重复（第 {first} 行已有）",
                 "the username is repeated in the file (first on row {first})"),
    "taken": ("用户名已被占用（平台中已有这个账号）", "the username is taken on the platform"),
    "no_region": ("所属区划不能为空，应为 12 位区划代码",
                  "the home region is missing: give a 12-digit code"),
    "bad_code": ("{label} '{code}' 应为 12 位数字", "'{code}' must be a 12-digit division code"),
    "unknown_code": ("区划代码 '{code}' 不存在", "there is no region with code '{code}'"),
    "outside": ("{name} 不在您管理的区划范围内", "{code} is outside the regions you administer"),
    "without_role": ("填写了{label}，但没有填写角色", "{label_en} given without a role"),
    "unknown_role": ("未知角色，应为：{names}", "unknown role; use one of: {codes}"),
    "wrong_level": ("“{role}”只能设在{levels}区划，{name}是{level}",
                    "the role {role_en} may be held only at {levels_en} level; {code} is a "
                    "{level_en}"),
    "admin_above": ("您不能在{name}授予“{role}”：管理员只能由其上级区划的管理员设置",
                    "you may not make an administrator of {code}: only an administrator of a "
                    "region above it may"),
    "grant_outside": ("您不能在{name}授予“{role}”：该区划不在您管理的范围内",
                      "you may not grant {role_en} on {code}: it is outside your regions"),
}
# fmt: on


@dataclass
class _FileFacts:
    """What checking a row needs to know about the whole file and the database, read once."""

    actor: Any
    present: set[str]  # the columns the file has
    regions: dict[str, Region]
    taken: set[str]  # case-folded usernames already on the platform
    seen: dict[str, int] = field(default_factory=dict)  # case-folded username -> first row


class _RowCheck:
    """Checks one row, collecting every problem it has."""

    def __init__(self, facts: _FileFacts, row: int, values: dict[str, Any]) -> None:
        self.facts, self.row = facts, row
        self.errors: list[dict[str, Any]] = []
        self.bad: set[str] = set()
        self.clean: dict[str, str] = {}
        for c in COLUMNS:
            raw = values.get(c.field, "")
            text = "" if raw is None else str(raw).strip()
            if is_formula_like(raw):
                self.add(c.field, raw, "formula")
            elif len(text) > c.max_length:
                self.add(c.field, text, "too_long", label=c.label, label_en=c.label_en,
                         max=c.max_length)  # fmt: skip
            else:
                self.clean[c.field] = text

    def add(self, fieldname: str, value: Any, reason: str, **params: Any) -> None:
        zh, en = REASONS[reason]
        self.errors.append(
            _error(self.row, fieldname, value, zh.format(**params), en.format(**params))
        )
        self.bad.add(fieldname)

    def ok(self, fieldname: str) -> bool:
        return fieldname not in self.bad

    def missing(self, fieldname: str) -> bool:
        """Empty in this row, in a column the file has (a missing column is reported once)."""
        return not self.clean.get(fieldname) and fieldname in self.facts.present

    def username(self) -> str:
        username = self.clean.get("username", "")
        if not self.ok("username") or not username:
            if self.ok("username") and self.missing("username"):
                self.add("username", "", "no_username")
            return username
        try:
            User.username_validator(username)
        except ValidationError:
            self.add("username", username, "bad_username")
        key, seen = username.casefold(), self.facts.seen
        if key in seen:
            self.add("username", username, "repeated", first=seen[key])
            return username
        seen[key] = self.row
        if key in self.facts.taken:
            self.add("username", username, "taken")
        return username

    def region(self, fieldname: str) -> Region | None:
        code = self.clean.get(fieldname, "")
        if not code or not self.ok(fieldname):
            return None
        if not is_valid_code(code):
            self.add(fieldname, code, "bad_code", label=COLUMN_BY_FIELD[fieldname].label, code=code)
            return None
        region = self.facts.regions.get(code)
        if region is None:
            self.add(fieldname, code, "unknown_code", code=code)
        return region

    def home_region(self) -> Region | None:
        if self.ok("home_region") and self.missing("home_region"):
            self.add("home_region", "", "no_region")
            return None
        region = self.region("home_region")
        if region is not None and not can_administer_region(self.facts.actor, region):
            self.add("home_region", region.code, "outside", name=region.name, code=region.code)
            return None
        return region

    def role(self, home_region: Region | None) -> tuple[Role | None, Region | None]:
        text = self.clean.get("role", "")
        if not self.ok("role"):
            return None, None
        if not text:
            for extra in ("role_region", "department"):
                if self.clean.get(extra):
                    c = COLUMN_BY_FIELD[extra]
                    self.add(extra, self.clean[extra], "without_role", label=c.label,
                             label_en=c.label_en)  # fmt: skip
            return None, None
        role = role_from_text(text)
        if role is None:
            names, codes = "、".join(ROLE_LABELS_ZH.values()), ", ".join(r.value for r in Role)
            self.add("role", text, "unknown_role", names=names, codes=codes)
            return None, None
        if self.clean.get("role_region"):
            region, region_field = self.region("role_region"), "role_region"
        else:
            region, region_field = home_region, "home_region"
        if region is None:
            return role, None
        about = {"role": ROLE_LABELS_ZH[role], "role_en": role.value, "name": region.name,
                 "code": region.code}  # fmt: skip
        levels = ROLE_LEVELS[role]
        if region.level not in levels:
            self.add(region_field, region.code, "wrong_level", **about,
                     levels=role_levels_zh(role), level=LEVEL_LABELS_ZH[Level(region.level)],
                     levels_en="/".join(lvl.value for lvl in Level if lvl in levels),
                     level_en=region.level)  # fmt: skip
        elif not can_grant_role(self.facts.actor, role, region):
            if role == Role.ADMIN:
                self.add("role", text, "admin_above", **about)
            else:
                self.add(region_field, region.code, "grant_outside", **about)
        return role, region

    def account(self) -> AccountRow | None:
        username = self.username()
        home_region = self.home_region()
        role, role_region = self.role(home_region)
        if self.errors or home_region is None:
            return None
        c = self.clean
        return AccountRow(
            row=self.row, username=username, full_name=c.get("full_name", ""),
            phone=c.get("phone", ""), organisation=c.get("organisation", ""),
            home_region=home_region, role=role.value if role else "",
            role_region=role_region if role else None, department=c.get("department", ""),
        )  # fmt: skip


def _file_facts(actor: Any, rows: Sequence[Row]) -> _FileFacts:
    present = {name for _n, values in rows for name in values}
    codes = {str(v.get(f, "")).strip() for _n, v in rows for f in ("home_region", "role_region")}
    regions = Region.objects.in_bulk([c for c in codes if is_valid_code(c)], field_name="code")
    usernames = {str(v.get("username", "")).strip().casefold() for _n, v in rows} - {""}
    taken = {
        u.casefold()
        for u in User.objects.annotate(key=Lower("username"))
        .filter(key__in=usernames)
        .values_list("key", flat=True)
    }
    return _FileFacts(actor=actor, present=present, regions=regions, taken=taken)


def accounts_check(
    *, actor: Any, rows: Sequence[Row], progress: Progress | None = None
) -> list[AccountRow]:
    """Every row checked: the rows ready to create, or RowError listing every problem."""
    if not rows:
        raise RowError(
            _("The file holds no accounts."), [row_error(2, "", "", *REASONS["no_rows"])]
        )
    facts = _file_facts(actor, rows)
    errors = [
        _error(1, c.field, "", *(r.format(label=c.label, label_en=c.label_en)
                                 for r in REASONS["no_column"]))
        for c in COLUMNS
        if c.required and c.field not in facts.present
    ]  # fmt: skip
    checked: list[AccountRow] = []
    for i, (row_number, values) in enumerate(rows, start=1):
        check = _RowCheck(facts, row_number, values)
        account = check.account()
        errors += check.errors
        if account is not None:
            checked.append(account)
        if progress is not None and (i % 50 == 0 or i == len(rows)):
            progress(i, len(rows), _("Checking rows"))
    if errors:
        message = ngettext(
            "The file has %(count)d error; nothing was imported.",
            "The file has %(count)d errors; nothing was imported.",
            len(errors),
        )
        raise RowError(message % {"count": len(errors)}, errors)
    return checked


def accounts_import(
    *, actor: Any, rows: Sequence[Row], dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Create one account per row (with its role), all or nothing.

    Every row is checked first; any problem raises RowError with one {row, column, value,
    reason, reason_en} per problem and nothing is written. Otherwise every account is created
    in one transaction with a generated initial password (to be changed at first sign-in),
    and one audit event records the import.
    """
    accounts = accounts_check(actor=actor, rows=rows, progress=progress)
    if dry_run:
        return ImportResult(rows=accounts, dry_run=True)
    total = len(accounts)
    created: list[CreatedAccount] = []
    # Password hashing is deliberately slow (~0.4 s): do it before taking the write lock.
    passwords = []
    for i, _a in enumerate(accounts, start=1):
        plain = generate_initial_password()
        passwords.append((plain, make_password(plain)))
        if progress is not None and (i % 10 == 0 or i == total):
            progress(i, total, _("Preparing initial passwords"))
    with transaction.atomic():
        for i, a in enumerate(accounts, start=1):
            roles = [(a.role, a.role_region, a.department)] if a.role and a.role_region else []
            try:
                user, password = user_create(
                    actor=actor, username=a.username, home_region=a.home_region,
                    full_name=a.full_name, phone=a.phone, organisation=a.organisation,
                    roles=roles, audit=False, password=passwords[i - 1][0],
                    password_hash=passwords[i - 1][1],
                )  # fmt: skip
            except ApplicationError as exc:  # e.g. the username was taken meanwhile
                fieldname = str(exc.extra.get("field", "username"))
                raise RowError(
                    _("Row %(row)d: %(reason)s") % {"row": a.row, "reason": exc.message},
                    [_error(a.row, fieldname, a.username, exc.message, exc.message)],
                ) from exc
            created.append(CreatedAccount(row=a, user=user, password=password))
            if progress is not None and (i % 10 == 0 or i == total):
                progress(i, total, _("Creating accounts"))
        audit_record(
            actor=actor,
            verb="user.bulk_import",
            region_code=common_ancestor_code([a.home_region.code for a in accounts]),
            summary=ngettext("Imported %(count)d account", "Imported %(count)d accounts", total)
            % {"count": total},
            after=[c.user.username for c in created],
        )
    return ImportResult(rows=accounts, created=created)
