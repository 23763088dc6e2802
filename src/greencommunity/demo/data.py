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
