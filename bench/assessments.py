"""The self-assessment benchmark (issue 4): re-score 10,000 draft assessments of the Huantai
standard (20 criteria, one of them decided by the property-management-coverage indicator) after
an indicator import changed the communities' values; the goal is <= 10 s on SQLite. The baseline
is reading the same answers and indicator values, in the same run.

Run alone: `python -m bench.assessments` (a scratch SQLite database); BENCH_ASSESSMENTS sets the
number of drafts (10,000).
"""

import os
import random
import statistics
import time
from decimal import Decimal

YEAR = 2024
PER_STREET = 100
ROUNDS = 3


def _regions(n: int) -> list[int]:
    """桓台县 with ceil(n / 100) streets of up to 100 urban communities; the community ids."""
    from django.utils import timezone

    from greencommunity.core.bulk import insert_rows
    from greencommunity.regions.codes import code_prefix
    from greencommunity.regions.models import Community, Region

    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    parent_id = None
    for code, name, level in [
        ("370000000000", "山东省", "province"),
        ("370300000000", "淄博市", "city"),
        ("370321000000", "桓台县", "county"),
    ]:
        parent_id = Region.objects.create(code=code, name=name, level=level, parent_id=parent_id).pk
    streets = (n + PER_STREET - 1) // PER_STREET
    insert_rows(
        Region, ["code", "name", "level", "prefix", "parent"],
        ((f"370321{s:03d}000", f"街道{s}", "street", f"370321{s:03d}", parent_id)
         for s in range(1, streets + 1)),
        same=stamps,
    )  # fmt: skip
    street_ids = dict(Region.objects.filter(level="street").values_list("code", "pk"))
    codes = [f"370321{1 + i // PER_STREET:03d}{1 + i % PER_STREET:03d}" for i in range(n)]
    insert_rows(
        Region, ["code", "name", "level", "prefix", "parent"],
        ((code, f"社区{code[-6:]}", "community", code_prefix(code, "community"),
          street_ids[code[:9] + "000"]) for code in codes),
        same=stamps,
    )  # fmt: skip
    region_ids = list(Region.objects.filter(level="community").values_list("pk", flat=True))
    insert_rows(
        Community, ["region"], ((pk,) for pk in region_ids),
        same={"kind": "residents", "urban_rural_code": "111", "address": "", "leader_name": "",
              "leader_phone": "", "notes": "", **stamps},
    )  # fmt: skip
    return region_ids


def _drafts(community_ids: list[int]) -> int:
    """A Huantai draft per community, scored by hand on 18 or 19 of its 19 self-scored criteria,
    and the property management coverage of two communities in three."""
    from django.utils import timezone

    from greencommunity.assessments.models import Assessment, AssessmentAnswer
    from greencommunity.assessments.services.rescoring import deciding_rule_criteria
    from greencommunity.core.bulk import insert_rows
    from greencommunity.regions.models import Indicator, IndicatorValue
    from greencommunity.standards.models import Standard

    now = timezone.now()
    huantai = Standard.objects.get(key="huantai-2021", version=1)
    criteria = list(huantai.criteria.order_by("number").values_list("pk", flat=True))
    by_indicator = deciding_rule_criteria(huantai)
    insert_rows(
        Assessment, ["community"], ((pk,) for pk in community_ids),
        same={"standard": huantai.pk, "year": YEAR, "revision": 1, "status": "draft",
              "total": Decimal(0), "maximum": Decimal(0), "met_count": 0, "answered_count": 0,
              "created_at": now, "updated_at": now},
    )  # fmt: skip
    assessments = list(Assessment.objects.values_list("pk", flat=True))
    rng = random.Random(YEAR)  # noqa: S311 (reproducible sample data)
    steps = [Decimal(k) / 2 for k in range(11)]  # 0 to 5 by 0.5

    def answers():  # type: ignore[no-untyped-def]
        for pk in assessments:
            skipped = rng.choice(criteria)
            for c in criteria:
                if c in by_indicator:
                    yield pk, c, None, None, "indicator"
                elif c == skipped and rng.random() < 0.5:
                    yield pk, c, None, None, "self"
                else:
                    points = rng.choice(steps)
                    yield pk, c, points == 5, points, "self"

    count = insert_rows(
        AssessmentAnswer, ["assessment", "criterion", "met", "points", "source"], answers(),
        same={"ticked": "[]", "notes": ""},
    )  # fmt: skip
    coverage = Indicator.objects.get(code="property_management_coverage")
    insert_rows(
        IndicatorValue, ["community", "value"],
        ((pk, Decimal(100) if i % 2 else Decimal(rng.randint(30, 99)))
         for i, pk in enumerate(community_ids) if i % 3),
        same={"indicator": coverage.pk, "year": YEAR, "source": "imported", "created_at": now,
              "updated_at": now},
    )  # fmt: skip
    return count


def _import_changes_values() -> int:
    """What an indicator import does to the table: full coverage becomes partial and the other
    way round (so every draft with a value changes its criterion 15)."""
    from django.db.models import Case, Value, When

    from greencommunity.regions.models import IndicatorValue

    return IndicatorValue.objects.update(
        value=Case(When(value__gte=100, then=Value(Decimal(60))), default=Value(Decimal(100)))
    )


def run() -> list[tuple[str, str, str, str]]:
    """Called with Django set up on a migrated, empty database."""
    from greencommunity.assessments.models import AssessmentAnswer
    from greencommunity.assessments.services import assessments_rescore_drafts
    from greencommunity.regions.models import IndicatorValue

    n = int(os.environ.get("BENCH_ASSESSMENTS", "10000"))
    answers = _drafts(_regions(n))
    assert assessments_rescore_drafts() == n  # every draft scored once, as after its answers

    timings = []
    for _ in range(ROUNDS):
        changed = _import_changes_values()
        t0 = time.perf_counter()
        count = assessments_rescore_drafts()
        timings.append(time.perf_counter() - t0)
        assert count == n and changed > 0

    def read_only() -> None:
        list(
            AssessmentAnswer.objects.filter(assessment__status="draft").values_list(
                "pk", "assessment_id", "criterion_id", "met", "points", "indicator_value"
            )
        )
        list(
            IndicatorValue.objects.filter(year=YEAR).values_list(
                "community_id", "indicator_id", "year", "value"
            )
        )

    reads = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        read_only()
        reads.append(time.perf_counter() - t0)
    best, worst, read = min(timings), max(timings), min(reads)
    return [
        (
            f"assessments_rescore_drafts: {n:,} Huantai drafts ({answers:,} answers) after "
            "an indicator import (goal <= 10 s)",
            f"{best:.2f} s (median {statistics.median(timings):.2f}, worst {worst:.2f})",
            f"{read:.2f} s (read the same answers and indicator values)",
            f"{best / read:.2f}x",
        )
    ]


def main() -> None:
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gc-bench-assessments-") as var_dir:
        from bench.__main__ import setup_django

        setup_django(var_dir)
        print(json.dumps(run(), ensure_ascii=False))


if __name__ == "__main__":
    main()
