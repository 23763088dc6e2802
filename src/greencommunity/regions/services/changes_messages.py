"""Why a division change is refused: one Chinese and English text per reason (the import
reports both; the web shows the active language)."""

from ..codes import Level
from ..models import ChangeKind

LEVEL_ZH = {
    Level.PROVINCE: "省级",
    Level.CITY: "市级",
    Level.COUNTY: "县级",
    Level.STREET: "街道/乡镇级",
    Level.COMMUNITY: "社区级",
}
KIND_ZH = {
    ChangeKind.RENAME: "更名",
    ChangeKind.MERGE: "合并",
    ChangeKind.SPLIT: "拆分",
    ChangeKind.MOVE: "迁移",
    ChangeKind.RECODE: "新代码",
    ChangeKind.ABOLISH: "撤销",
}

# Why a change is refused: (Chinese, English), formatted with the change's values.
# fmt: off
REASONS = {
    "unknown_kind": ("变更类型应为：更名、合并、拆分、迁移、新代码、撤销",
                     "the kind must be one of: rename, merge, split, move, recode, abolish"),
    "bad_code": ("区划代码 '{code}' 有误：{reason}", "division code '{code}': {reason_en}"),
    "no_old": ("请填写原区划代码", "give the old division code(s)"),
    "old_repeated": ("原区划代码 {code} 重复", "the old code {code} is given twice"),
    "new_repeated": ("新区划代码 {code} 重复", "the new code {code} is given twice"),
    "rename_shape": ("更名只涉及一个区划，新代码与原代码相同",
                     "a rename has one region and keeps its code"),
    "recode_shape": ("迁移或新代码应为一个原代码对应一个不同的新代码",
                     "a move or recode has one old code and one different new code"),
    "merge_shape": ("合并应为两个或以上原区划并入一个新区划",
                    "a merge has two or more old codes and one new code"),
    "split_shape": ("拆分应为一个原区划分为两个或以上新区划",
                    "a split has one old code and two or more new codes"),
    "abolish_shape": ("撤销没有新区划，请不要填写新区划代码",
                      "an abolition has no new code"),
    "no_date": ("请填写生效日期", "give the effective date"),
    "future": ("生效日期 {date} 晚于今天；请在变更生效后再登记",
               "the effective date {date} is in the future: record the change once it applies"),
    "outside": ("{code} 不在您管理的区划范围内，只有其上级管理员可以登记区划变更",
                "{code} is outside the regions you administer: only an administrator above it "
                "may record division changes"),
    "unknown_code": ("区划代码 {code} 不存在", "there is no region with code {code}"),
    "old_closed": ("{name}（{code}）已于 {valid_to} 撤销或变更，不能再变更",
                   "{code} closed on {valid_to}; it cannot change again"),
    "old_not_yet": ("{name}（{code}）自 {valid_from} 起才有效，生效日期 {date} 不能早于该日",
                    "{code} is valid only from {valid_from}; the change cannot take effect "
                    "before that ({date})"),
    "old_same_day": ("{name}（{code}）自 {valid_from} 起有效，生效日期应晚于该日",
                     "{code} began on {valid_from}; the change must take effect after that day"),
    "levels_differ": ("原区划 {code} 是{level}，与其他原区划层级不同",
                      "the old region {code} is at {level_en} level, unlike the others"),
    "level_mismatch": ("新区划代码 {code} 是{level}代码，原区划是{old_level}",
                       "the new code {code} names a {level_en}, but the old regions are "
                       "{old_level_en}"),
    "has_children": ("{name}（{code}）在 {date} 仍有 {count} 个下级区划；请先迁移或变更其下属社区",
                     "{code} still has {count} subordinate regions on {date}: move or recode "
                     "its communities first"),
    "name_missing": ("请填写新区划 {code} 的名称", "give the name of the new region {code}"),
    "name_too_long": ("名称不能超过 {max} 个字符", "a name may have at most {max} characters"),
    "same_name": ("新名称与现名称相同", "the new name is the current name"),
    "existing_name": ("区划 {code} 已存在，名称为“{name}”；如要改名请另行登记更名",
                      "{code} exists, named {name}: record a rename to change its name"),
    "target_closed": ("新区划 {code} 已于 {valid_to} 撤销或变更", "the new region {code} closed "
                      "on {valid_to}"),
    "target_existed": ("区划 {code} 已存在，且自 {valid_from} 起有效；"
                       "如要并入该区划，请把它也列为原区划",
                       "{code} exists and is valid from {valid_from}: to merge into it, list it "
                       "among the old codes too"),
    "no_parent": ("找不到新区划代码 {code} 的上级区划", "no region above the new code {code} "
                  "exists"),
    "parent_closed": ("新区划代码 {code} 的上级 {name}（{parent}）在 {date} 无效",
                      "the region above {code}, {parent}, is not valid on {date}"),
    "not_split": ("只有拆分社区时需要分配小区", "compounds are assigned only when a community "
                  "splits"),
    "compound_unknown": ("小区 {compound} 不属于 {code}", "the compound {compound} is not in "
                         "{code}"),
    "compound_target": ("小区 {compound} 分配到的 {target} 不是本次拆分的新区划",
                        "the compound {compound} is assigned to {target}, which is not a new code "
                        "of this split"),
    "compounds_unassigned": ("拆分时每个小区都应分配到一个新社区，尚未分配：{names}",
                             "a split assigns every compound to a new community; not assigned: "
                             "{names}"),
}
# fmt: on
