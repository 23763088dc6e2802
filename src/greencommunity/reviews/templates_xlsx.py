"""The downloadable template of the titles import: the headers the importer reads, example
rows, and a sheet explaining each column."""

from greencommunity.documents.xlsx import write_xlsx

from .services.titles_import import COLUMNS

NOTES = [
    ["整个文件一次导入：任一行有错误时不导入任何数据，并逐行列出错误。"],
    ["The file is imported as a whole: if any row has an error, nothing is imported."],
    ["区划代码：社区一级的 12 位统计用区划代码，须为您辖区内已登记的城市社区。"],
    ["称号：绿色社区 或 省级示范绿色社区（也可写 green / demonstration）。"],
    ["年度：命名年度；命名日期可空，默认为该年 12 月 31 日（当年则为今天）。"],
    ["证书编号可空：按本辖区的编号规则自动生成，例如 SC-LSSQ-2022-0001。"],
    ["状态：有效、整改中 或 已撤销，默认有效；已撤销的须填写撤销日期（不早于命名日期）。"],
    ["日期格式 YYYY-MM-DD。CSV 文件可为 UTF-8 或 GB18030（Excel 中文版另存的 CSV）。"],
    ["Columns: code, title (green/demonstration), year, named_on, certificate_number,"
     " status (valid/under_rectification/revoked), revoked_on; dates as YYYY-MM-DD."],
]  # fmt: skip
EXAMPLES = [
    ["510104001001", "绿色社区", "2021", "2021-12-20", "", "有效", ""],
    ["510104001002", "省级示范绿色社区", "2022", "", "SC-SFLSSQ-2022-0007", "整改中", ""],
    ["510104001003", "绿色社区", "2020", "2020-12-31", "", "已撤销", "2023-06-30"],
]


def titles_template() -> bytes:
    headers = [label for _field, label, _en, _aliases in COLUMNS]
    return write_xlsx(headers, EXAMPLES, title="称号", text_columns=[0, 4],
                      more_sheets=[("说明", ["说明 / Notes"], NOTES)])  # fmt: skip
