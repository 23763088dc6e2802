"""Downloadable import templates: the headers the importers read, an example row, and a
sheet explaining each column."""

from datetime import date
from typing import Any

from greencommunity.documents.xlsx import write_xlsx

from .models import Indicator
from .services.data_import import COMPOUND_LABELS
from .services.registry_import import COLUMNS

NOTES = [
    ["整个文件一次导入：任一行有错误时不导入任何数据，并逐行列出错误。"],
    ["The file is imported as a whole: if any row has an error, nothing is imported."],
    ["区划代码可写 2、4、6、9 或 12 位，系统自动补零。"],
    ["以 = + - @ 开头的文字请在前面加英文单引号 '。"],
    ["Codes may have 2, 4, 6, 9 or 12 digits. Quote text starting with = + - @ with '."],
]  # fmt: skip


def registry_template(kind: str) -> bytes:
    if kind == "regions":
        headers = [c.label for c in COLUMNS]
        example = ["370321001002", "西苑社区", "社区", "111", "居委会", "", "桓台县少海路 1 号",
                   "王芳", "0533-8211111", "1200", "3600", "35.5", "", ""]  # fmt: skip
        text = [0, 3, 8]
    elif kind == "compounds":
        headers = list(COMPOUND_LABELS.values())
        example = ["370321001002", "西苑小区", "1998", "改造中", "2025"]
        text = [0]
    else:
        indicators = list(Indicator.objects.filter(computed=False))
        headers = ["社区代码", "年度"] + [
            f"{i.name}（{i.unit}）" if i.unit else i.name for i in indicators
        ]
        example = ["370321001002", str(date.today().year)] + ["" for _ in indicators]
        text = [0]
    return write_xlsx(headers, [example], title="数据", text_columns=text,
                      more_sheets=[("说明", ["说明 / Notes"], NOTES)])  # fmt: skip


def survey_xlsx(coverage: Any) -> bytes:
    """The coverage report: what each incomplete community lacks, and the counts."""
    t = coverage.totals
    summary = [
        ["区划", f"{coverage.region.name}（{coverage.region.code}）"],
        ["年度", coverage.year],
        ["社区总数", t.communities],
        ["其中城市社区", t.urban],
        ["社区信息完整", t.profile_complete],
        ["本年度指标齐全", t.indicators_complete],
        ["摸底完成（两者兼备）", t.complete],
        ["完成率", f"{t.rate:.1%}"],
    ]
    rows = [
        [g.code, g.name, g.street, "是" if g.is_urban else "否", "、".join(g.missing_fields),
         "、".join(g.missing_indicators)]
        for g in coverage.gaps
    ]  # fmt: skip
    return write_xlsx(
        [
            "区划代码",
            "社区名称",
            "所属街道（乡镇）",
            "城市社区",
            "缺少的社区信息",
            "缺少的年度指标",
        ],
        rows,
        title="未完成的社区",
        text_columns=[0],
        more_sheets=[("汇总", ["项目", "数值"], summary)],
    )
