"""Fixtures of the title tests (import them explicitly): a small Sichuan tree and users holding
each role over it.

四川省 > 成都市 > 锦江区 > 督院街街道 > 东御街社区, 岳府街社区, 玉泉社区, 红星村 (rural)
                 > 青羊区 > 少城街道 > 宽巷子社区
       > 绵阳市 > 涪城区 > 城厢街道 > 东街社区
The migration's title settings give 四川省 the pattern SC-{kind}-{year}-{seq:04d}.
"""

from datetime import date

import pytest

from greencommunity.documents.xlsx import read_table
from greencommunity.reviews.services.titles_import import ALIASES

SICHUAN_PATTERN = "SC-{kind}-{year}-{seq:04d}"
TREE = [
    ("province", "510000000000", "四川省", None),
    ("chengdu", "510100000000", "成都市", "province"),
    ("jinjiang", "510104000000", "锦江区", "chengdu"),
    ("duyuan", "510104001000", "督院街街道", "jinjiang"),
    ("dongyu", "510104001001", "东御街社区", "duyuan"),
    ("yuefu", "510104001002", "岳府街社区", "duyuan"),
    ("yuquan", "510104001003", "玉泉社区", "duyuan"),
    ("hongxing", "510104001201", "红星村", "duyuan"),
    ("qingyang", "510105000000", "青羊区", "chengdu"),
    ("shaocheng", "510105001000", "少城街道", "qingyang"),
    ("kuanxiang", "510105001001", "宽巷子社区", "shaocheng"),
    ("mianyang", "510700000000", "绵阳市", "province"),
    ("fucheng", "510703000000", "涪城区", "mianyang"),
    ("chengxiang", "510703001000", "城厢街道", "fucheng"),
    ("dongjie", "510703001001", "东街社区", "chengxiang"),
]


@pytest.fixture
def sichuan(db):
    """{key: Region} of the tree above."""
    from greencommunity.regions.services.tree import region_create
    from greencommunity.reviews.models import TitleConfig

    # seeded by a migration; a transactional test's flush empties the table
    TitleConfig.objects.get_or_create(
        region_code="510000000000", defaults={"certificate_pattern": SICHUAN_PATTERN}
    )

    regions: dict = {}
    for key, code, name, parent in TREE:
        regions[key] = region_create(
            actor=None, code=code, name=name, parent=regions[parent] if parent else None
        )
    return regions


@pytest.fixture
def people(sichuan, make_user):
    """Users by role: the province's and 锦江区's housing departments, 青羊区's administrator,
    绵阳市's housing department, 督院街's street office, 东御街's committee, an expert over
    锦江区, and a user without a role."""
    return {
        "province": make_user("housing", sichuan["province"], username="sc_housing"),
        "jinjiang": make_user("housing", sichuan["jinjiang"], username="jj_housing"),
        "qingyang_admin": make_user("admin", sichuan["qingyang"], username="qy_admin"),
        "mianyang": make_user("housing", sichuan["mianyang"], username="my_housing"),
        "street": make_user("street", sichuan["duyuan"], username="dy_street"),
        "committee": make_user("community", sichuan["dongyu"], username="dongyu"),
        "expert": make_user("expert", sichuan["jinjiang"], username="jj_expert"),
        "nobody": make_user(None, None, username="nobody"),
    }


def table(text: str, name: str = "t.csv"):
    """Rows of a CSV text as the importer reads them."""
    return read_table(text.encode("utf-8"), aliases=ALIASES, name=name)


def grant(region, kind="green", year=2022, named_on=None, **kwargs):
    """A title granted by the operator (actor None), as the naming service will."""
    from greencommunity.reviews.services.titles import title_grant

    return title_grant(
        actor=None,
        community=region.community,
        kind=kind,
        year=year,
        named_on=named_on or date(year, 12, 20),
        **kwargs,
    )
