"""Demo data: 桓台县 (Huantai county, seed 003) under 山东省 > 淄博市, with the 21 communities
of the seed's creation list (附件2) and one account per role.

The county, city and province codes are the real statistical codes. The street/town and
community codes are INVENTED in the right ranges (streets 001-099, towns 100-199; residents'
committees 001-199): the seed's 2021 divisions differ from the 2022 code table.
"""

PROVINCE = ("370000000000", "山东省")
CITY = ("370300000000", "淄博市")
COUNTY = ("370321000000", "桓台县")

# street/town code, name, communities (in the order of the seed's list)
STREETS = [
    (
        "370321001000",
        "城区街道",
        [
            "宝龙社区",
            "西苑社区",
            "兴华社区",
            "恒星社区",
            "少海社区",
            "兰香园社区",
            "宝发社区",
            "东城社区",
            "商城社区",
            "云涛社区",
            "锦秋社区",
            "紫悦城社区",
            "玫瑰城社区",
            "东岳国际社区",
        ],
    ),
    ("370321110000", "果里镇", ["鸿嘉社区"]),
    (
        "370321100000",
        "索镇",
        ["永安社区", "新民社区", "西镇社区", "永和社区", "赵家社区", "五里社区"],
    ),
]

DEMO_PASSWORD = "Demo-2026-green"  # noqa: S105 - documented demo password

# username, full name, role, region code, department
ACCOUNTS = [
    ("admin", "平台管理员", "admin", PROVINCE[0], ""),
    ("province", "省住房城乡建设厅 审核员", "housing", PROVINCE[0], "住房和城乡建设厅"),
    ("city", "淄博市住房城乡建设局 审核员", "housing", CITY[0], "住房和城乡建设局"),
    ("county", "桓台县住房城乡建设局 审核员", "housing", COUNTY[0], "住房和城乡建设局"),
    ("county_admin", "桓台县 账号管理员", "admin", COUNTY[0], ""),
    ("department", "桓台县民政局 联络员", "department", COUNTY[0], "民政局"),
    ("street", "城区街道办事处 联络员", "street", "370321001000", ""),
    ("community", "西苑社区居委会 联络员", "community", "370321001002", ""),
    ("expert", "绿色社区专家", "expert", CITY[0], ""),
]

# Invented leaders' names for the demo profiles.
LEADERS = ["王芳", "李强", "张丽", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴军"]

# Applications through Huantai's review chain (the built-in county chain: street → county
# review → public notice → naming), one community at each stage. Invented, like the profiles.
# community code, stage; each applies with a submitted, passing self-assessment of this year
# (so the communities have this year's indicators, which decide one criterion)
APPLICATIONS = [
    ("370321001002", "draft"),  # 西苑社区: the community account's own draft
    ("370321001007", "street"),  # 宝发社区: waits for the street's recommendation
    ("370321001008", "county"),  # 东城社区: waits for the county review
    ("370321001011", "returned"),  # 锦秋社区: returned by the county, with the reason
    ("370321001013", "notice"),  # 玫瑰城社区: on the running public notice, with an objection
    ("370321100002", "named"),  # 新民社区 (索镇)
    ("370321100003", "named"),  # 西镇社区 (索镇): an objection, dismissed
    ("370321100005", "named"),  # 赵家社区 (索镇)
]

BASIC_SITUATION = (
    "{name}位于{division}，辖区居民约{households}户。近年来社区以“绿色社区”创建为抓手，"
    "建立了党组织领导、居委会主导、居民参与的创建机制，完成了老旧小区节能改造和垃圾分类"
    "投放点建设，开展绿色生活宣传活动，居民绿色生活意识明显提高。"
)
STREET_OPINION = "同意推荐。"
COUNTY_OPINION = "经审核，符合绿色社区创建标准，同意公示。"
RETURN_REASON = (
    "佐证材料不完整：请补充垃圾分类投放点运行台账和近一年的居民满意度调查结果后重新提交。"
)
NOTICE_BODY = (
    "根据《桓台县绿色社区创建行动实施方案》，经街道（镇）推荐、县住房和城乡建设局审核，"
    "拟命名以下社区为“绿色社区”，现予以公示。公示期间，如有异议，请通过本页面提交。"
)
OBJECTION = (
    "社区东侧垃圾分类投放点长期满溢，分类桶混投现象严重，与申报材料中的描述不符。",
    "刘先生",
    "13905330000",
)
DISMISSED_OBJECTION = (
    "听说该社区的节能改造还没有完工。",
    "居民",
    "13905331111",
    "经现场核查，节能改造已于公示前完工并通过验收，异议不成立。",
)
NAMING_NUMBER = "桓建发〔{year}〕12号"
NAMING_HEADING = "关于命名{year}年度桓台县绿色社区的决定"
NAMING_BODY = (
    "经社区申报、街道（镇）推荐、县住房和城乡建设局审核和公示，决定命名以下社区为"
    "“绿色社区”。希望被命名的社区珍惜荣誉，持续巩固创建成果。"
)
