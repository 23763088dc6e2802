"""The built-in review chains and the jurisdictions that use them (loaded by the data migration
0002_builtin_chains, and by tests after a flush has emptied the tables).

Plain data: the seeds give the order of the Sichuan chain and who takes each step (seed 001
四、(四)); every due date, the Tianjin chain and the county chain are assumptions, stated in
each chain's description. The community's own submission is not a step.
"""

from typing import Any

# key, name, kind, level, role, scoring, joint departments, due days
Step = tuple[str, str, str, str, str, bool, str, int]

SICHUAN: list[Step] = [
    ("street", "街道推荐", "review", "street", "street", False, "", 15),
    ("county", "县级初审", "review", "county", "housing", True, "", 20),
    ("city", "市级复核", "review", "city", "housing", False, "", 20),
    ("province-sampling", "省级抽验", "sampling", "province", "housing", False, "", 30),
    ("notice", "公示", "notice", "province", "housing", False, "", 15),
    ("naming", "命名", "naming", "province", "housing", False, "", 30),
]
TIANJIN: list[Step] = [
    ("street", "街道推荐", "review", "street", "street", False, "", 15),
    ("district", "区级审核", "review", "county", "housing", False, "", 20),
    ("city", "市级验收", "review", "city", "housing", True, "市民政局\n市生态环境局", 30),
    ("notice", "公示", "notice", "city", "housing", False, "", 15),
    ("naming", "命名", "naming", "city", "housing", False, "", 30),
]
COUNTY: list[Step] = [
    ("street", "街道（镇）推荐", "review", "street", "street", False, "", 15),
    ("county", "县级审核", "review", "county", "housing", True, "", 20),
    ("notice", "公示", "notice", "county", "housing", False, "", 15),
    ("naming", "命名", "naming", "county", "housing", False, "", 30),
]

CHAINS: dict[str, tuple[str, str, list[Step]]] = {
    "sichuan": (
        "四川省：社区申报、街道推荐、县级初审、市级复核、省级抽验",
        "Seed 001 四、(四): the community applies to its street office, which recommends it; the "
        "county housing department reviews it (with the reviewer's own score against the "
        "standard), the city housing department re-checks it, the province decides the batch "
        "its cities passed with a sampling inspection, then public notice and naming. "
        "Assumed: the days each step has (the seed sets none) and that the province publishes "
        "the notice and names.",
        SICHUAN,
    ),
    "tianjin": (
        "天津市：街道推荐、区级审核、市级验收",
        "Assumed. Seed 002 says only that the city departments accept communities against the "
        "standard before each year end (市级各相关部门……每年年底前按照绿色社区创建标准进行验收). "
        "Assumed: street recommendation, district review, city acceptance by the housing "
        "commission with the joint opinions of 市民政局 and 市生态环境局 and its own score, "
        "then public notice and naming by the city; the days of every step.",
        TIANJIN,
    ),
    "county": (
        "县级：街道（镇）推荐、县级审核",
        "Assumed. Seed 003 (桓台县) gives no procedure. The street office or town recommends, "
        "the county housing department reviews with its own score, publishes the notice and "
        "names; the days of every step are assumed too. Used wherever no other chain is "
        "assigned.",
        COUNTY,
    ),
}
DEFAULT_CHAIN = "county"

# division code, title kind, chain key
ASSIGNMENTS = [
    ("510000000000", "green", "sichuan"),
    ("510000000000", "demonstration", "sichuan"),
    ("120000000000", "green", "tianjin"),
    ("370321000000", "green", "county"),
]


def builtin_chains_ensure(chain_model: Any, step_model: Any, assignment_model: Any) -> None:
    """Create the built-in chains, their steps and assignments where missing (the model
    classes are passed: historical ones in the migration). Existing rows are left alone, so a
    deployment's changes to a built-in chain survive."""
    chains = {}
    for key, (name, description, steps) in CHAINS.items():
        chain, created = chain_model.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "builtin": True}
        )
        chains[key] = chain
        if not created and step_model.objects.filter(chain=chain).exists():
            continue
        step_model.objects.bulk_create(
            [
                step_model(
                    chain=chain,
                    position=position,
                    key=step_key,
                    name=step_name,
                    kind=kind,
                    level=level,
                    role=role,
                    scoring=scoring,
                    joint_departments=joint,
                    due_days=due_days,
                )
                for position, (
                    step_key,
                    step_name,
                    kind,
                    level,
                    role,
                    scoring,
                    joint,
                    due_days,
                ) in enumerate(steps, start=1)
            ]
        )
    for code, title_kind, key in ASSIGNMENTS:
        assignment_model.objects.get_or_create(
            region_code=code, title_kind=title_kind, defaults={"chain": chains[key]}
        )
