"""Sichuan's standard: attachment 1 《四川省绿色社区创建标准细则（试行）》 of
《四川省绿色社区创建行动实施方案》 (seed 001; the seed prints no document number or date).

28 criteria (创建标准) worth 2 to 5 points (分值), 100 in all; areas (考核内容) 25/25/25/10/15.
Each criterion's scoring standard (评分标准) becomes its sub-conditions: the numbered items
1) 2) … one per sub-condition, numbering and the trailing separators (；/;/。) dropped; an
unnumbered scoring standard is one sub-condition, except criterion 6 whose scoring standard
repeats its text word for word (no sub-condition).

The seed's table text is garbled; read as follows (the tests pin each point):
- criterion 15 (社区公共空间布局合理, 5) is printed in area 2's block, followed by the row
  "25 营造社区宜居环境" (area 3's total and name). It opens area 3 (items 15-21): area 2 is
  7-14 = 25 points without it, area 3 is 15-21 = 25 with it;
- the unattached scoring standard printed after that area row (环境干净整洁…绿地率达到25%…)
  belongs to criterion 16 (社区环境品质良好), whose own row has none;
- "10 物业服务水平提升 3" and "15 开展定期培训，实现教育常态化 4": the area subtotals 10 and 15
  are printed where the criterion numbers belong; they are criteria 23 and 26 (the sequence
  runs 22, ?, 24 and 25, ?, 27, and the areas then total 10 and 15).

No responsible departments: the plan names none per creation content (only the general
division of labour in 四、(二)). The seed sets no pass mark.
Pure data: no Django imports.
"""

from typing import Any


def _rule(indicator: str, operator: str, threshold: int) -> dict:
    return {"indicator": indicator, "operator": operator, "threshold": threshold}


# Every quantitative threshold of the table on a catalogue indicator, keyed by (criterion,
# sub-condition number). A criterion holds one numeric rule (the format's numeric_rule); in
# Sichuan the thresholds sit in single sub-conditions, and criterion 21 has two. Criterion 6's
# rule is its whole text and has no sub-condition (key None).
NUMERIC_RULES_BY_SUB_CONDITION = {
    (6, None): _rule("satisfaction_management", ">", 80),
    (15, 1): _rule("public_green_per_person", ">=", 1),
    (16, 3): _rule("green_ratio", ">=", 25),
    (21, 1): _rule("service_facility_coverage", ">=", 90),
    (21, 2): _rule("satisfaction_facilities", ">=", 80),
    (23, 1): _rule("property_management_coverage", ">=", 30),
}


def _criterion(
    number: int,
    text: str,
    points: int,
    sub_conditions: list[str],
    numeric_rule: dict | None = None,
) -> dict:
    return {
        "number": number,
        "text": text,
        "points": points,
        "sub_conditions": sub_conditions,
        "evidence": "",
        "departments": "",
        "numeric_rule": numeric_rule,
        "veto": False,
    }


SICHUAN: dict[str, Any] = {
    "key": "sichuan-2020",
    "name": "四川省绿色社区创建标准细则（试行）",
    "issuing_region": "510000000000",
    "version": 1,
    "source": "《四川省绿色社区创建行动实施方案》附件1《四川省绿色社区创建标准细则（试行）》",
    "scoring_mode": "points",
    "pass_rule": None,
    "description": (
        "四川省绿色社区创建标准细则：5项考核内容、28条创建标准，每条2至5分，合计100分"
        "（各考核内容25/25/25/10/15分）；各条“评分标准”中的编号条款列为子条件。"
        "原文未设定合格分数线：采用本标准的辖区须先设定通过条件，社区方可据此申报。"
        "原文表格排版错乱，已按分值与序号更正：第15条“社区公共空间布局合理”（5分）属于“营造社区宜居环境”（第15-21条）；"
        "紧随“营造社区宜居环境”一行的评分标准属于第16条“社区环境品质良好”；"
        "序号处印成“10”“15”的两条（物业服务水平提升、开展定期培训，实现教育常态化）为第23、26条，10与15是所在考核内容的小计。"
        "按社区年度指标自动判定的门槛：管理满意度>80%（第6条）、人均公共绿地≥1平方米（第15条）、绿地率≥25%（第16条）、"
        "服务设施覆盖率≥90%与公共设施满意度≥80%（第21条）、物业管理覆盖率≥30%（第23条）；"
        "除第6条外，门槛只是该条的一项子条件。第13条“改造完工率达到年度计划目标”以各县（区）年度计划为准，没有固定数值。"
    ),
    "areas": [
        {
            "number": 1,
            "name": "建立健全社区人居环境建设和整治机制",
            "national_area": 1,
            "points": 25,
            "criteria": [
                _criterion(
                    1,
                    "创建工作有组织保障",
                    2,
                    ["成立专门的社区领导组织体系和执行机构，负责绿色社区创建工作"],
                ),
                _criterion(
                    2,
                    "制定有完整可行的创建工作计划",
                    5,
                    ["社区协商制定“绿色社区”工作计划", "创建计划内容完整，切实可行"],
                ),
                _criterion(
                    3,
                    "建立绿色社区长效管理机制",
                    5,
                    [
                        "社区党组织领导作用突出",
                        "建立社区管理的公众参与机制，定期召开联席会议，共同推进创建工作",
                        "各主体共同参与社区人居环境建设和整治工作，显著提高问题发现和处理效率",
                        "社区实现网格化管理全覆盖",
                    ],
                ),
                _criterion(
                    4,
                    "搭建沟通议事平台，开展多种形式基层协商",
                    5,
                    ["利用“互联网+共建共治共享”等线上线下手段，开展多种形式基层协商"],
                ),
                _criterion(
                    5,
                    "开展效果较好的设计服务进社区活动",
                    5,
                    [
                        "开展有设计师、工程师进社区活动，辅导居民有效谋划人居环境建设和整治方案，提供专业培训"
                    ],
                ),
                _criterion(
                    6,
                    "居民对社区管理满意度大于80%",
                    3,
                    [],
                    NUMERIC_RULES_BY_SUB_CONDITION[(6, None)],
                ),
            ],
        },
        {
            "number": 2,
            "name": "推进社区基础设施绿色化",
            "national_area": 2,
            "points": 25,
            "criteria": [
                _criterion(
                    7,
                    "各类市政基础设施完善",
                    4,
                    [
                        "社区内供水、排水、电力、电信等市政基础设施建设完善",
                        "社区内各小区无长时间积水或污水漫溢现象",
                    ],
                ),
                _criterion(8, "开展道路综合整治", 3, ["破损路面得到综合整治，交通安全设施完善"]),
                _criterion(
                    9, "社区安全设施完善", 3, ["社区内消防、照明、视频监控等安全设施满足规范要求"]
                ),
                _criterion(
                    10,
                    "推行垃圾分类",
                    3,
                    ["健全生活垃圾分类配套体系，生活垃圾分类投放设施实现全覆盖"],
                ),
                _criterion(
                    11,
                    "提升建筑绿色水平",
                    3,
                    [
                        "结合老旧小区改造，有条件的社区开展既有居住建筑节能改造，改造满足国家规范要求",
                        "社区内新建建筑能耗满足国家规范要求",
                    ],
                ),
                _criterion(
                    12, "开展海绵化改造和建设", 3, ["因地制宜开展海绵绿地、海绵道路等设施建设"]
                ),
                _criterion(
                    13,
                    "协同老旧小区改造共同推进创建",
                    3,
                    ["社区内纳入县（区）老旧小区年度改造任务的小区，改造完工率达到年度计划目标"],
                ),
                _criterion(
                    14,
                    "在基础设施改造建设中落实经济适用、绿色环保的理念",
                    3,
                    [
                        "在改进建设中采用环保技术、环保材料，注重资源循环利用，实施绿色施工",
                        "社区内各小区公共设施应当充分利用自然采光，普及使用可再生能源路灯、节水器具等",
                    ],
                ),
            ],
        },
        {
            "number": 3,
            "name": "营造社区宜居环境",
            "national_area": 3,
            "points": 25,
            "criteria": [
                _criterion(
                    15,
                    "社区公共空间布局合理",
                    5,
                    [
                        "社区绿地布局合理，人均公共绿地面积不低于1平方米",
                        "公共活动空间满足不同季节、不同类型居民活动需求",
                    ],
                    NUMERIC_RULES_BY_SUB_CONDITION[(15, 1)],
                ),
                _criterion(
                    16,
                    "社区环境品质良好",
                    5,
                    [
                        "社区内各小区环境干净整洁，生活垃圾分类管理规范，无杂物乱堆、小广告乱贴现象，建筑外立面清洁",
                        "力争电线、通讯线、有线电视信号线地下铺设，各类线路统一美观",
                        "社区绿地率达到25%；绿化管理较好，植物无枯死、缺株、草坪常修剪，因地制宜做到见缝插绿、见空造园",
                    ],
                    NUMERIC_RULES_BY_SUB_CONDITION[(16, 3)],
                ),
                _criterion(
                    17,
                    "出行环境安全、便捷",
                    3,
                    [
                        "社区停车秩序规范，无占压消防、救护等生命通道的情况",
                        "倡导绿色出行，社区内人行空间连续、安全",
                    ],
                ),
                _criterion(
                    18,
                    "关爱老年、儿童、特殊人群需求",
                    3,
                    [
                        "公共空间开展了适老化改造和无障碍设施建设",
                        "学校、幼儿园周边环境良好、无安全隐患",
                    ],
                ),
                _criterion(
                    19,
                    "无噪音污染",
                    3,
                    [
                        "对噪声扰民等问题进行了有效治理，社区内各小区无固定超标噪声源，严格执行社区内建筑施工及室外装修施工时间的相关规定",
                        "社区内所有的商业噪声源(中央空调、凉水塔、风机)实现达标排放",
                    ],
                ),
                _criterion(
                    20,
                    "公共空间管理有序",
                    3,
                    [
                        "户外经济、夜间经济发展机制良好，管理规范有序",
                        "无违法搭建、焚烧垃圾、树叶、露天烧烤等现象",
                    ],
                ),
                _criterion(
                    21,
                    "公共服务设施满足居民需求",
                    3,
                    [
                        "根据十五分钟生活圈要求，社区公共服务设施配套完善，幼儿园、卫生服务站、菜市场等服务设施覆盖率达到90%以上",
                        "社区居民对公共服务设施满意度达80%以上",
                    ],
                    # The second threshold (satisfaction_facilities >= 80, sub-condition 2) does
                    # not fit the one-rule format: see NUMERIC_RULES_BY_SUB_CONDITION.
                    NUMERIC_RULES_BY_SUB_CONDITION[(21, 1)],
                ),
            ],
        },
        {
            "number": 4,
            "name": "提高社区信息化智能化水平",
            "national_area": 4,
            "points": 10,
            "criteria": [
                _criterion(
                    22,
                    "因地制宜开展信息基础设施改造",
                    4,
                    [
                        "建设了门禁管理、停车管理、公共服务设施监管、公共活动区域监测、新型基础建设",
                        "推动5G、充电桩等新型基础建设",
                    ],
                ),
                _criterion(
                    23,
                    "物业服务水平提升",
                    3,
                    [
                        "物业管理覆盖面不低于30%",
                        "通过信息技术应用，实现小区安防消防监控和管理",
                        "拓展物业“线上+线下”多元服务",
                    ],
                    NUMERIC_RULES_BY_SUB_CONDITION[(23, 1)],
                ),
                _criterion(
                    24,
                    "信息化技术应用",
                    3,
                    [
                        "通过信息化技术应用，实现对社会人口、社会组织管理、社会治安等方面的服务优化提升"
                    ],
                ),
            ],
        },
        {
            "number": 5,
            "name": "培育社区绿色文化",
            "national_area": 5,
            "points": 15,
            "criteria": [
                _criterion(
                    25,
                    "宣传教育到位",
                    4,
                    [
                        "社区有固定宣传场所和设施，能定期发布创建信息",
                        "宣传内容每季更换1次，每年“六五”环境日等重要时间节点集中开展宣传",
                        "在社区居民公共活动场所因地制宜地建设绿色社区宣传角或开设微讲堂，每年组织2-4次环保主体活动",
                    ],
                ),
                _criterion(
                    26,
                    "开展定期培训，实现教育常态化",
                    4,
                    [
                        "对社区工作者、物业服务从业者等相关人员定期开展培训",
                        "实施“互联网+社区”行动，运用社区论坛、微博、微信、移动端等新媒体向居民宣传环境保护、生态建设",
                        "与社区周边机关、企事业单位、中小学校等单位开展绿色共建活动",
                        "社区成立以居民为主体的环保志愿者队伍，每年开展2次以上志愿活动",
                    ],
                ),
                _criterion(
                    27,
                    "达成绿色生活公约",
                    3,
                    [
                        "发布了社区居民绿色生活习惯公约",
                        "社区居民环境意识较高，自觉保护环境，社区内各单位和居民能自觉遵守环保法规",
                        "积极参与或组织绿色家庭评选活动，引导社区居民实施绿色消费，践行绿色生活",
                    ],
                ),
                _criterion(
                    28,
                    "社区文化资源保护",
                    4,
                    [
                        "社区相关文物古迹、历史建筑、古树名木等历史文化资源得到有效保护",
                        "社区文化得到充分展示与体现",
                    ],
                ),
            ],
        },
    ],
}
