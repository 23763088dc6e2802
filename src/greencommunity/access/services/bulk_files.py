"""The files of a bulk account import: the template an administrator fills in, the result
with the initial passwords to hand over, and the job handler that runs an uploaded file."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError
from greencommunity.documents.services import job_attach_result
from greencommunity.documents.xlsx import read_table, write_xlsx
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from ..roles import ROLE_LEVELS, Role
from .bulk import (
    ACCOUNT_ALIASES,
    COLUMNS,
    ROLE_LABELS_ZH,
    ROLE_NAMES,
    ImportResult,
    Progress,
    accounts_import,
    role_levels_zh,
)


def _region_text(region: Region | None) -> str:
    return f"{region.name} {region.code}" if region is not None else ""


RESULT_HEADERS = ["行号", "用户名", "姓名", "单位", "所属区划", "角色", "角色区划", "初始密码"]


def accounts_result_xlsx(result: ImportResult) -> bytes:
    """The accounts created, with their initial passwords, for the administrator to hand over."""
    rows = [
        [c.row.row, c.user.username, c.user.full_name, c.user.organisation,
         _region_text(c.row.home_region), ROLE_LABELS_ZH[Role(c.row.role)] if c.row.role else "",
         _region_text(c.row.role_region), c.password]
        for c in result.created
    ]  # fmt: skip
    notes = [
        ["每个账号首次登录时必须修改初始密码。"],
        ["请把初始密码分别交给本人，交接后删除本文件。"],
        ["Each account must change its initial password at first sign-in."],
        ["Hand each password to its owner only, then delete this file."],
    ]
    return write_xlsx(
        RESULT_HEADERS, rows, title="账号", more_sheets=[("说明", ["说明 / Notes"], notes)]
    )


def accounts_template_xlsx(*, example_region: Region | None = None) -> bytes:
    """An empty import file: Chinese headers, one example row, and a sheet explaining both."""
    region_code, organisation, role = "370321001002", "城区街道西苑社区居委会", Role.COMMUNITY
    if example_region is not None:
        region_code = example_region.code
        if example_region.level != Level.COMMUNITY:
            organisation = example_region.name
            role = next(
                r for r in (Role.STREET, Role.HOUSING, Role.DEPARTMENT)
                if example_region.level in ROLE_LEVELS[r]
            )  # fmt: skip
    example = {
        "username": "zhangsan", "full_name": "张三", "phone": "13800000000",
        "organisation": organisation, "home_region": region_code,
        "role": ROLE_LABELS_ZH[role], "role_region": "", "department": "",
    }  # fmt: skip
    help_rows: list[list[Any]] = [
        *([c.label, c.field, "是" if c.required else "否", c.help, c.help_en] for c in COLUMNS),
        [],
        ["角色名称", "角色代码", "可设的区划层级", "Role"],
        *([zh, r.value, role_levels_zh(r), en] for r, (zh, en, _o) in ROLE_NAMES.items()),
        [],
        ["整个文件一次导入：任一行有错误时不导入任何账号，并逐行列出错误。"],
        ["The file is imported as a whole: if any row has an error, nothing is imported."],
        ["以 = + - @ 开头的文本须在前面加英文单引号 '。"],
        ["Text starting with = + - @ must be preceded by a single quote '."],
    ]
    text_fields = {"username", "phone", "home_region", "role_region"}
    return write_xlsx(
        [c.label for c in COLUMNS],
        [[example[c.field] for c in COLUMNS]],
        title="账号",
        more_sheets=[("填写说明", ["列名", "英文列名", "必填", "说明", "Description"], help_rows)],
        text_columns=[i for i, c in enumerate(COLUMNS) if c.field in text_fields],
    )


def accounts_import_job(job: Any, progress: Progress) -> dict[str, Any]:
    """Job handler (kind "accounts.import"): import `job.input_file` as the job's creator and
    attach the created accounts with their initial passwords as the result file."""
    if not job.input_file:
        raise ApplicationError(_("The job has no file to import."))
    with job.input_file.open("rb") as f:
        rows = read_table(f, aliases=ACCOUNT_ALIASES, name=job.input_name)
    dry_run = bool(job.params.get("dry_run"))
    progress(0, len(rows), _("Checking rows"))
    result = accounts_import(actor=job.created_by, rows=rows, dry_run=dry_run, progress=progress)
    if dry_run:
        progress(len(rows), len(rows), _("Checked; nothing was created."))
    else:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job_attach_result(job, f"accounts-{stamp}.xlsx", accounts_result_xlsx(result))
        progress(result.count, result.count, _("Accounts created."))
    return {"checked": len(result.rows), "created": result.count, "dry_run": dry_run}
