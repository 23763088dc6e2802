"""The national registry benchmark (issue 3): the real 2022 division codes plus ~150,000
generated communities, imported from a CSV file, against a raw sqlite3 `executemany` of the
same rows in the same run; the import's peak RSS; and the community list page of a province,
filtered and paginated (p95 and queries per page)."""

import csv
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "divisions-2022"


def national_csv(path: Path) -> tuple[int, int]:
    """Write the registry file; returns (regions, communities)."""
    seen: set[str] = set()
    regions = communities = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["区划代码", "名称", "城乡分类代码"])
        for name in ("provinces", "cities", "areas", "streets"):
            with open(SHARED / f"{name}.csv", encoding="utf-8") as src:
                for r in csv.DictReader(src):
                    code = r["code"].ljust(12, "0")
                    if code in seen:  # 东莞/中山/儋州 repeat the city as a county
                        continue
                    seen.add(code)
                    w.writerow([r["code"], r["name"], ""])
                    regions += 1
        with open(SHARED / "streets.csv", encoding="utf-8") as src:
            for j, r in enumerate(csv.DictReader(src)):
                for i in range(1, 4 + (j % 3 == 0) + (j % 5 == 0)):
                    villagers = i >= 3 and j % 2 == 0
                    number = 200 + i if villagers else i
                    w.writerow([f"{r['code']}{number:03d}", f"{r['name']}第{i}社区",
                                "220" if villagers else "111"])  # fmt: skip
                    communities += 1
    return regions + communities, communities


def raw_baseline(db: Path, csv_path: Path) -> float:
    """The same rows with sqlite3 alone: executemany of regions, then of communities."""
    from greencommunity.regions.codes import code_prefix, community_kind_of_code, level_of_code

    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    # The table's CHECK (code REGEXP ...) needs the function Django registers on its connections.
    con.create_function(
        "REGEXP", 2, lambda pattern, text: text is not None and bool(re.search(pattern, text)),
        deterministic=True,
    )  # fmt: skip
    now = "2026-01-01 00:00:00"
    region_rows = []
    for code, name, _urban in rows:
        code = code.ljust(12, "0")
        level = level_of_code(code)
        region_rows.append((code, name, level, code_prefix(code, level), now, now))
    con.executemany(
        "INSERT INTO regions_region (code, name, level, prefix, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        region_rows,
    )
    ids = dict(con.execute("SELECT code, id FROM regions_region"))
    community_rows = [
        (ids[code.ljust(12, "0")], community_kind_of_code(code), urban, "", "", "", "", now, now)
        for code, _name, urban in rows
        if len(code) == 12
    ]
    con.executemany(
        "INSERT INTO regions_community (region_id, kind, urban_rural_code, address, leader_name,"
        " leader_phone, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        community_rows,
    )
    con.commit()
    con.close()
    return time.perf_counter() - t0


IMPORT_CHILD = """
import os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "greencommunity.settings"
import django
django.setup()
from greencommunity.access.models import User
from greencommunity.documents.xlsx import read_table
from greencommunity.regions.services.registry_import import ALIASES, regions_import
actor = User.objects.create(username="bench-root", is_superuser=True)
t0 = time.perf_counter()
rows = read_table(sys.argv[1], aliases=ALIASES, max_rows=10**6)
summary = regions_import(actor=actor, rows=rows)
elapsed = time.perf_counter() - t0
print(elapsed, summary.created, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(var_dir: str) -> list[tuple[str, str, str, str]]:
    """Called with Django set up on a migrated, empty database in `var_dir`."""
    from django.db import connection

    tmp = Path(var_dir)
    csv_path = tmp / "national.csv"
    total, communities = national_csv(csv_path)
    db = Path(connection.settings_dict["NAME"])
    connection.close()
    empty = tmp / "empty.sqlite3"
    shutil.copy(db, empty)
    raw_db = tmp / "raw.sqlite3"
    shutil.copy(empty, raw_db)
    t_raw = raw_baseline(raw_db, csv_path)
    # The import runs in a child process of its own, so its peak RSS is its own.
    child = subprocess.run(
        [sys.executable, "-c", IMPORT_CHILD, str(csv_path)],
        capture_output=True, text=True, check=True,
        env={**_env(), "GREENCOMMUNITY_VAR_DIR": var_dir},
    )  # fmt: skip
    elapsed, created, maxrss_kb = child.stdout.split()[-3:]
    t_import = float(elapsed)
    rows = [
        (f"import the national registry from CSV ({total:,} regions, {communities:,} communities)",
         f"{t_import:.1f} s", f"{t_raw:.1f} s (raw sqlite3 executemany)",
         f"{t_import / t_raw:.2f}x"),
        ("peak RSS of the import process", f"{int(maxrss_kb) / 1024:.0f} MB", "-", "-"),
    ]  # fmt: skip
    assert int(created) == total
    rows += community_list_timing()
    return rows


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


def community_list_timing() -> list[tuple[str, str, str, str]]:
    """The community list page of a province user: filtered (urban) and paginated."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from greencommunity.access.models import RoleAssignment, User
    from greencommunity.regions.models import Region

    province = Region.objects.get(code="510000000000")
    user = User.objects.create(username="bench-sichuan", home_region=province,
                               must_change_password=False)  # fmt: skip
    RoleAssignment.objects.create(user=user, role="housing", region=province)
    client = Client()
    client.force_login(user)
    url = reverse("regions:community_list")
    client.get(url, {"urban": "yes"})  # warm up: compile templates, fill the connection
    timings, queries = [], set()
    for page in range(1, 41):
        params = {"urban": "yes", "page": str(page)}
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        queries.add(len(captured))
    t0 = time.perf_counter()
    client.get(reverse("core:home"))
    home = time.perf_counter() - t0
    p95 = statistics.quantiles(timings, n=20)[-1]
    return [
        ("community list of 四川省, urban filter, pages 1-40: p95",
         f"{p95 * 1000:.0f} ms", f"{home * 1000:.0f} ms (the home page)",
         f"{max(queries)} queries a page (all pages: {sorted(queries)})"),
    ]  # fmt: skip


def main() -> None:
    import json
    import os
    import tempfile

    os.environ["GREENCOMMUNITY_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["GREENCOMMUNITY_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"  # no collectstatic needed
    )
    with tempfile.TemporaryDirectory(prefix="gc-bench-registry-") as var_dir:
        from bench.__main__ import setup_django

        setup_django(var_dir)
        print(json.dumps(run(var_dir), ensure_ascii=False))


if __name__ == "__main__":
    main()
