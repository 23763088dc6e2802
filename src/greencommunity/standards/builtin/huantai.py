# ruff: noqa: E501
"""Huantai county's standard: attachment 1 《桓台县绿色社区创建标准（试行）》 of
《桓台县绿色社区创建行动实施方案》 (seed 003), issued 2021-01-07 by eleven county departments.

20 criteria of 5 points each (标准分 100), "绿色社区创建得分须不低于80分". The table prints no
area subtotals; the area points here are the sums of their criteria (20/25/20/15/20).
Responsible departments: each creation content paragraph (二、创建内容 （一）…（五）) ends with its
departments; they are assigned to the criteria of the matching table area.
Pure data: no Django imports.
"""

from typing import Any

# The parenthesised closing sentence of each creation content paragraph, by area number.
DEPARTMENTS = {
    1: "县住房和城乡建设局、县公安局、县民政局、县市场监督管理局、县综合行政执法局，县住房保障事务中心，索镇、果里镇，城区街道办事处按职责分工负责",
    2: "县住房和城乡建设局、县水利局、县综合行政执法局，县住房保障事务中心，索镇、果里镇，城区街道办事处按职责分工负责",
    3: "县住房和城乡建设局、县发展和改革局、县公安局、县民政局、县自然资源局、县综合行政执法局，县住房保障事务中心，索镇、果里镇，城区街道办事处按职责分工负责",
    4: "县民政局、县公安局、县住房和城乡建设局、县综合行政执法局，县大数据发展中心、县住房保障事务中心，索镇、果里镇，城区街道办事处按职责分工负责",
    5: "县民政局、县教育和体育局、县住房和城乡建设局、县综合行政执法局，县住房保障事务中心，市生态环境局桓台分局，索镇、果里镇，城区街道办事处按职责分工负责",
}


def _criterion(area: int, number: int, text: str, numeric_rule: dict | None = None) -> dict:
    return {
        "number": number,
        "text": text,
        "points": 5,
        "sub_conditions": [],
        "evidence": "",
        "departments": DEPARTMENTS[area],
        "numeric_rule": numeric_rule,
        "veto": False,
    }


HUANTAI: dict[str, Any] = {
    "key": "huantai-2021",
    "name": "桓台县绿色社区创建标准（试行）",
    "issuing_region": "370321000000",
    "version": 1,
    "source": "《桓台县绿色社区创建行动实施方案》附件1《桓台县绿色社区创建标准（试行）》（县住房城乡建设局、县发展改革局等11部门印发，2021年1月7日）",
    "scoring_mode": "points",
    "pass_rule": {"min_total": 80},
    "description": (
        "桓台县绿色社区创建标准：5项内容、20条创建标准，每条标准分5分，合计100分；"
        "表后说明“绿色社区创建得分须不低于80分”，即总分≥80分为通过。"
        "原表未列各项内容小计，各项分值为所含条目之和（20/25/20/15/20分）。"
        "各条的责任部门取自实施方案“二、创建内容”中对应创建内容段末的分工。"
        "第15条“社区实现物业管理全覆盖”按社区年度指标“物业管理覆盖率”≥100%自动判定（全覆盖按100%理解）。"
    ),
    "areas": [
        {
            "number": 1,
            "name": "建立健全社区人居环境建设和整治机制",
            "national_area": 1,
            "points": 20,
            "criteria": [
                _criterion(
                    1,
                    1,
                    "坚持美好环境与幸福生活共同缔造理念，各主体共同参与社区人居环境建设和整治工作",
                ),
                _criterion(
                    1,
                    2,
                    "搭建沟通议事平台，开展多种形式基层协商，推动决策共谋、发展共建、建设共管、效果共评、成果共享",
                ),
                _criterion(
                    1, 3, "设计师、工程师进社区，辅导居民谋划整治方案，参与社区人居环境建设"
                ),
                _criterion(
                    1, 4, "执法力量下沉社区，公示执法人员信息，及时查处社区内的违法违规行为"
                ),
            ],
        },
        {
            "number": 2,
            "name": "推进社区基础设施绿色化",
            "national_area": 2,
            "points": 25,
            "criteria": [
                _criterion(2, 5, "社区内各类基础设施比较完善"),
                _criterion(2, 6, "开展了社区道路综合治理、海绵化改造和建设"),
                _criterion(2, 7, "将节水型小区建设融入绿色社区创建，推动社区最大限度地节水"),
                _criterion(2, 8, "居民小区生活垃圾分类全覆盖"),
                _criterion(2, 9, "在基础设施改造建设中落实经济适用、绿色环保的理念"),
            ],
        },
        {
            "number": 3,
            "name": "营造社区宜居环境",
            "national_area": 3,
            "points": 20,
            "criteria": [
                _criterion(3, 10, "社区绿地布局合理，有公共活动空间和设施"),
                _criterion(3, 11, "社区停车秩序规范，无占压消防、救护等生命通道的情况"),
                _criterion(3, 12, "公共空间开展了适老化改造和无障碍设施建设"),
                _criterion(3, 13, "补齐在卫生防疫、养老服务等方面的短板，完善“15分钟生活圈”"),
            ],
        },
        {
            "number": 4,
            "name": "提高社区信息化智能化水平",
            "national_area": 4,
            "points": 15,
            "criteria": [
                _criterion(4, 14, "建设了智能化安防系统"),
                _criterion(
                    4,
                    15,
                    "社区实现物业管理全覆盖",
                    {
                        "indicator": "property_management_coverage",
                        "operator": ">=",
                        "threshold": 100,
                    },
                ),
                _criterion(4, 16, "搭建了社区公共服务综合信息平台"),
            ],
        },
        {
            "number": 5,
            "name": "培育社区绿色文化",
            "national_area": 5,
            "points": 20,
            "criteria": [
                _criterion(5, 17, "社区有固定宣传场所和设施，能定期发布绿色社区创建信息"),
                _criterion(5, 18, "对社区工作者、物业服务人员等定期开展培训"),
                _criterion(5, 19, "发布了社区居民绿色生活行为公约"),
                _criterion(5, 20, "社区相关文物古迹、历史建筑、古树名木等历史文化资源得到有效保护"),
            ],
        },
    ],
}
