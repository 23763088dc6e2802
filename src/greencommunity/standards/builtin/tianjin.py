# ruff: noqa: E501
"""Tianjin's standard: the attachment 《天津市绿色社区创建标准（试行）》 of
《天津市绿色社区创建行动实施方案》 (seed 002), issued 2020-11-03 by eight municipal departments.

Its 16 criteria in 5 areas are the national ones word for word (the tests check both texts
against the seed), so they are copied from the national module. What Tianjin adds is the
responsible departments: each of the five creation contents (三、创建内容 （一）…（五）) ends
with the departments that guide it; they are assigned here to the criteria of that area.
Pure data: no Django imports.
"""

import copy
from typing import Any

from .national import NATIONAL

# The parenthesised closing sentence of each creation content paragraph, by area number.
DEPARTMENTS = {
    1: "市民政局、市城市管理委、市水务局按照职责分工指导推动，各区人民政府组织实施",
    2: "市住房城乡建设委、市城市管理委、市水务局、市消防救援总队按照职责分工指导推动，各区人民政府组织实施",
    3: "市城市管理委、市民政局、市生态环境局、市卫生健康委按照职责分工指导推动，各区人民政府组织实施",
    4: "市公安局、市城市管理委、市住房城乡建设委按照职责分工指导推动，各区人民政府组织实施",
    5: "市住房城乡建设委、市生态环境局、市城市管理委、市文化和旅游局、市规划资源局按照职责分工指导推动，各区人民政府组织实施",
}


def _areas() -> list[dict[str, Any]]:
    areas: list[dict[str, Any]] = copy.deepcopy(NATIONAL["areas"])
    for area in areas:
        for criterion in area["criteria"]:
            criterion["departments"] = DEPARTMENTS[area["number"]]
    return areas


TIANJIN: dict[str, Any] = {
    "key": "tianjin-2020",
    "name": "天津市绿色社区创建标准（试行）",
    "issuing_region": "120000000000",
    "version": 1,
    "source": "《天津市绿色社区创建行动实施方案》附件《天津市绿色社区创建标准（试行）》（市住房城乡建设委等八部门印发，2020年11月3日）",
    "scoring_mode": "met",
    "pass_rule": {"all_met": True},
    "description": (
        "天津市绿色社区创建标准：逐条转载全国标准，5项创建内容、16条创建标准，逐条判定“达到”或“未达到”；"
        "各条的责任部门取自实施方案“三、创建内容”中对应创建内容段末的分工。"
        "通过条件为假设：方案只要求“达到创建要求”，未规定通过条件，本平台假设16条全部达到为通过。"
        "第12条“物业管理覆盖面不低于30%”按社区年度指标“物业管理覆盖率”≥30%自动判定。"
        "方案规定各区进一步细化本区标准和指标体系，市级部门每年年底前按本标准验收。"
    ),
    "areas": _areas(),
}
