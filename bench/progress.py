"""The progress benchmark (issue 6): the national registry of bench/registry.py (the real 2022
division codes plus ~146,000 generated communities, ~120,000 of them urban), ~60% of the urban
communities certified over 2020-2022 through imported titles (some demonstration titles, some
revoked), applications in every state, a creation list per county; then the progress of a
province, a city, a county and a street over HTTP (p95 of 200 requests each), against a
hand-written SQL GROUP BY of the same certified counts per child measured in the same run.

Run alone: `python -m bench.progress` (a database of its own in a temporary directory).
"""

import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

REQUESTS = 200
YEAR = 2022
SEED = 20261123


def load(var_dir: str) -> dict[str, int]:
    """The registry through its import service, then titles, applications and lists."""
    from django.db import transaction
    from django.utils import timezone

    from bench.registry import national_csv
    from greencommunity.access.models import User
    from greencommunity.assessments.models import Assessment
    from greencommunity.campaigns.models import CreationList, CreationListEntry
    from greencommunity.campaigns.services import plan_save, target_set
    from greencommunity.core.bulk import insert_rows
    from greencommunity.documents.xlsx import read_table
    from greencommunity.regions.models import Community, Region, urban_q
    from greencommunity.regions.services.registry_import import ALIASES, regions_import
    from greencommunity.reviews.models import Application, ReviewChain, Title
    from greencommunity.standards.models import Standard

    csv_path = Path(var_dir) / "national.csv"
    national_csv(csv_path)
    root = User.objects.create(username="bench-root", is_superuser=True)
    regions_import(actor=root, rows=read_table(str(csv_path), aliases=ALIASES, max_rows=10**6))
    rng = random.Random(SEED)  # noqa: S311 (benchmark data)
    urban = list(
        Community.objects.filter(urban_q()).order_by("pk").values_list("pk", "region__code")
    )
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    titles, applications, entries = [], [], []
    counts = {"urban": len(urban), "titles": 0, "revoked": 0, "demonstration": 0}
    chain_id = ReviewChain.objects.order_by("pk").values_list("pk", flat=True).first()
    standard_id = Standard.objects.filter(key="national-2020").values_list("pk", flat=True)[0]
    for n, (pk, _code) in enumerate(urban):
        r = rng.random()
        if r < 0.6:  # certified in 2020-2022
            named = date(2020, 6, 1) + timedelta(days=rng.randrange(0, 930))
            revoked = (
                named + timedelta(days=rng.randrange(30, 600)) if rng.random() < 0.02 else None
            )
            titles.append((pk, "green", named.year, named, f"LSSQ-{n:06d}",
                           "revoked" if revoked else "valid", revoked, "imported",
                           uuid.uuid4().hex))  # fmt: skip
            counts["revoked"] += revoked is not None
            if rng.random() < 0.08:
                titles.append((pk, "demonstration", named.year, named, f"SFLSSQ-{n:06d}",
                               "valid", None, "imported", uuid.uuid4().hex))  # fmt: skip
                counts["demonstration"] += 1
        elif r < 0.75:  # an application: in review, returned, rejected or withdrawn
            submitted = datetime(2022, 1, 1, 9) + timedelta(hours=rng.randrange(0, 24 * 700))
            status = rng.choice(["in_review", "in_review", "returned", "rejected", "withdrawn"])
            closed = submitted + timedelta(days=40) if status in ("rejected", "withdrawn") else None
            applications.append((pk, status, timezone.make_aware(submitted),
                                 timezone.make_aware(closed) if closed else None))  # fmt: skip
    counts["titles"] = len(titles)
    with transaction.atomic():
        insert_rows(Title, ["community", "kind", "year", "named_on", "certificate_number",
                            "status", "revoked_on", "source", "public_id"], titles,
                    same=stamps)  # fmt: skip
        insert_rows(
            Assessment, ["community", "standard", "year"],
            [(pk, standard_id, YEAR) for pk, *_rest in applications],
            same={**stamps, "revision": 1, "status": "submitted", "total": 0, "maximum": 0,
                  "met_count": 0, "answered_count": 0},
        )  # fmt: skip
        assessment = dict(Assessment.objects.filter(year=YEAR).values_list("community_id", "pk"))
        insert_rows(
            Application, ["community", "assessment", "status", "submitted_at", "closed_at"],
            [(pk, assessment[pk], s, sub, closed) for pk, s, sub, closed in applications],
            same={**stamps, "title_kind": "green", "year": YEAR, "chain": chain_id,
                  "version": 1, "division": "", "leader_name": "", "leader_phone": "",
                  "committee_address": "", "basic_situation": ""},
        )  # fmt: skip
        counties = Region.objects.filter(level="county").values_list("pk", "prefix")
        insert_rows(CreationList, ["region"], [(pk,) for pk, _p in counties],
                    same={**stamps, "year": YEAR, "notes": ""})  # fmt: skip
        lists = dict(CreationList.objects.filter(year=YEAR).values_list("region__prefix", "pk"))
        for pk, code in urban:
            list_id = lists.get(code[:6])
            if list_id is not None and rng.random() < 0.7:
                entries.append((list_id, pk, rng.random() < 0.1))
        insert_rows(CreationListEntry, ["creation_list", "community", "pilot"], entries,
                    same={"added_at": now})  # fmt: skip
    counts["applications"], counts["entries"] = len(applications), len(entries)
    for province in Region.objects.filter(level="province"):
        plan = plan_save(actor=None, region=province, name=f"{province.name}实施方案")
        target_set(actor=None, plan=plan, year=YEAR, kind="certified_share", value="0.6")
    return counts


def baseline_sql(region_prefix: str, length: int, day: date) -> list[tuple[str, int]]:
    """Certified urban communities valid on `day` per child prefix, by hand."""
    from django.db import connection

    sql = """
        SELECT substr(r.code, 1, %s) AS k, COUNT(DISTINCT t.community_id)
        FROM regions_region r
        JOIN regions_community c ON c.region_id = r.id
        JOIN reviews_title t ON t.community_id = c.region_id
        WHERE r.code >= %s AND r.code <= %s
          AND (r.valid_from IS NULL OR r.valid_from <= %s)
          AND (r.valid_to IS NULL OR r.valid_to > %s)
          AND (c.urban_override = %s OR (c.urban_override IS NULL AND c.kind = 'residents'
               AND c.urban_rural_code NOT LIKE '2%%'))
          AND t.named_on <= %s AND (t.revoked_on IS NULL OR t.revoked_on > %s)
        GROUP BY k ORDER BY k
    """
    lo, hi = region_prefix.ljust(12, "0"), region_prefix.ljust(12, "9")
    with connection.cursor() as cursor:
        cursor.execute(sql, [length, lo, hi, day, day, True, day, day])
        return [(k, n) for k, n in cursor.fetchall()]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def ms(samples: list[float]) -> str:
    return f"{p95(samples) * 1000:.1f} ms ({statistics.median(samples) * 1000:.1f})"


def measure(var_dir: str) -> list[tuple[str, str, str, str]]:
    from django.db import connection
    from django.test import Client

    from greencommunity.access.models import RoleAssignment, User
    from greencommunity.campaigns.selectors_progress import region_progress
    from greencommunity.regions.models import Community, Region

    t0 = time.perf_counter()
    counts = load(var_dir)
    t_load = time.perf_counter() - t0
    day = date(YEAR, 12, 31)
    # The largest province, and in it the largest city, county and street (by communities).
    sizes: dict[str, int] = {}
    for code in Community.objects.values_list("region__code", flat=True):
        for n in (2, 4, 6, 9):
            sizes[code[:n]] = sizes.get(code[:n], 0) + 1
    pick: dict[str, str] = {}
    for n, kind in ((2, "province"), (4, "city"), (6, "county"), (9, "street")):
        inside = [p for p in sizes if len(p) == n and p.startswith(pick.get("province", ""))]
        pick[kind] = max(inside, key=lambda p: sizes[p])
    regions = {k: Region.objects.get(prefix=p) for k, p in pick.items()}
    province_admin = User.objects.create(
        username="bench-province", home_region=regions["province"], must_change_password=False
    )
    RoleAssignment.objects.create(user=province_admin, role="admin", region=regions["province"])
    county_user = User.objects.create(
        username="bench-county", home_region=regions["county"], must_change_password=False
    )
    RoleAssignment.objects.create(user=county_user, role="housing", region=regions["county"])
    rows = [(f"load: registry import + {counts['titles']:,} titles ({counts['demonstration']:,} "
             f"demonstration, {counts['revoked']:,} revoked) for {counts['urban']:,} urban "
             f"communities, {counts['applications']:,} applications, {counts['entries']:,} list "
             f"entries", f"{t_load:.1f} s", "-", "-")]  # fmt: skip
    for kind, user in (("province", province_admin), ("city", province_admin),
                       ("county", county_user), ("street", province_admin)):  # fmt: skip
        region = regions[kind]
        client = Client()
        client.force_login(user)
        url = f"/api/v1/regions/{region.code}/progress"
        response = client.get(url, {"year": YEAR})  # warm up
        assert response.status_code == 200, response.content
        body = response.json()
        children = Region.objects.filter(parent=region)
        length = len(children.first().prefix) if children.exists() else len(region.prefix)
        expected = dict(baseline_sql(region.prefix, length, day))
        got = {c["region"]["code"][:length]: c["certified"] for c in body["children"]}
        assert {k: v for k, v in got.items() if v} == expected, (kind, got, expected)
        assert body["certified"] == sum(expected.values())
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url, {"year": YEAR})
        # Interleaved, so that the machine's noise falls on all three alike.
        timings, base, floor, selector = [], [], [], []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            client.get(url, {"year": YEAR})
            timings.append(time.perf_counter() - t)
            t = time.perf_counter()
            baseline_sql(region.prefix, length, day)
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.get("/api/v1/accounts/me")
            floor.append(time.perf_counter() - t)
            t = time.perf_counter()
            region_progress(region, YEAR)
            selector.append(time.perf_counter() - t)
        rows.append((
            f"progress of {kind} {region.name} ({body['communities']:,} urban communities, "
            f"{len(body['children'])} children) over HTTP as {user.username}: p95 (median)",
            f"{ms(timings)}; the selector alone {ms(selector)}; {len(queries)} queries a request",
            f"{ms(base)} (hand-written GROUP BY of certified per child); {ms(floor)} "
            "(GET /accounts/me: the request floor)",
            f"{p95(timings) / p95(base):.2f}x (selector alone {p95(selector) / p95(base):.2f}x)",
        ))  # fmt: skip
    return rows


def main() -> None:
    import json
    import os
    import tempfile

    os.environ["GREENCOMMUNITY_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["GREENCOMMUNITY_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    with tempfile.TemporaryDirectory(prefix="gc-bench-progress-") as var_dir:
        from bench.__main__ import setup_django

        setup_django(var_dir)
        rows = measure(var_dir)
        for row in rows:
            print(" | ".join(row), file=sys.stderr)
        print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
