# ruff: noqa: E501
"""The national standard: 建城〔2020〕68号《绿色社区创建行动方案》's attachment
《绿色社区创建标准（试行）》, 16 criteria in the 5 national areas, each met or not met.

The national document itself is not among the seeds. Tianjin's plan (seed 002) reproduces its
16 criteria word for word in its attachment, so the texts here are copied from there; Quanzhou's
plan (seed 000) names the attachment 《绿色社区创建标准（试行）》 without including it.
Pure data: no Django imports (the data migration and the tests read it).
"""

from typing import Any

NATIONAL: dict[str, Any] = {
    "key": "national-2020",
    "name": "绿色社区创建标准（试行）",
    "issuing_region": "",
    "version": 1,
    "source": "《住房和城乡建设部等部门关于印发绿色社区创建行动方案的通知》（建城〔2020〕68号）附件《绿色社区创建标准（试行）》",
    "scoring_mode": "met",
    "pass_rule": {"all_met": True},
    "description": (
        "全国绿色社区创建标准：5项创建内容、16条创建标准，逐条判定“达到”或“未达到”。"
        "国家文件原文不在本平台的依据材料中，条文取自《天津市绿色社区创建行动实施方案》附件"
        "（逐条转载国家标准）；泉州市方案所附创建标准未收录，按本标准执行。"
        "通过条件为假设：文件只要求“达到创建要求”，未规定通过条件，本平台假设16条全部达到为通过。"
        "第12条“物业管理覆盖面不低于30%”按社区年度指标“物业管理覆盖率”≥30%自动判定。"
    ),
    "areas": [
        {
            "number": 1,
            "name": "建立健全社区人居环境建设和整治机制",
            "national_area": 1,
            "points": None,
            "criteria": [
                {
                    "number": 1,
                    "text": "坚持美好环境与幸福生活共同缔造理念，各主体共同参与社区人居环境建设和整治工作",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 2,
                    "text": "搭建沟通议事平台，利用“互联网+共建共治共享”等线上线下手段，开展多种形式基层协商",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 3,
                    "text": "设计师、工程师进社区，辅导居民有效谋划人居环境建设和整治方案",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
            ],
        },
        {
            "number": 2,
            "name": "推进社区基础设施绿色化",
            "national_area": 2,
            "points": None,
            "criteria": [
                {
                    "number": 4,
                    "text": "社区各类基础设施比较完善",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 5,
                    "text": "开展了社区道路综合治理、海绵化改造和建设，生活垃圾分类居民小区全覆盖",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 6,
                    "text": "在基础设施改造建设中落实经济适用、绿色环保的理念",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
            ],
        },
        {
            "number": 3,
            "name": "营造社区宜居环境",
            "national_area": 3,
            "points": None,
            "criteria": [
                {
                    "number": 7,
                    "text": "社区绿地布局合理，有公共活动空间和设施",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 8,
                    "text": "社区停车秩序规范，无占压消防、救护等生命通道的情况",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 9,
                    "text": "公共空间开展了适老化改造和无障碍设施建设",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 10,
                    "text": "对噪声扰民等问题进行了有效治理",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
            ],
        },
        {
            "number": 4,
            "name": "提高社区信息化智能化水平",
            "national_area": 4,
            "points": None,
            "criteria": [
                {
                    "number": 11,
                    "text": "建设了智能化安防系统",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 12,
                    "text": "物业管理覆盖面不低于30%",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": {
                        "indicator": "property_management_coverage",
                        "operator": ">=",
                        "threshold": 30,
                    },
                    "veto": False,
                },
            ],
        },
        {
            "number": 5,
            "name": "培育社区绿色文化",
            "national_area": 5,
            "points": None,
            "criteria": [
                {
                    "number": 13,
                    "text": "社区有固定宣传场所和设施，能定期发布创建信息",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 14,
                    "text": "对社区工作者、物业服务从业者等相关人员定期开展培训",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 15,
                    "text": "发布了社区居民绿色生活行为公约",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
                {
                    "number": 16,
                    "text": "社区相关文物古迹、历史建筑、古树名木等历史文化资源得到有效保护",
                    "points": None,
                    "sub_conditions": [],
                    "evidence": "",
                    "departments": "",
                    "numeric_rule": None,
                    "veto": False,
                },
            ],
        },
    ],
}
