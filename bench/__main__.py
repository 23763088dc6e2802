"""`make bench`: platform benchmarks on a scratch SQLite database (or DATABASE_URL).

Each figure is printed with the baseline measured in the same run, as a Markdown table to paste
into docs/benchmarks.md (ratios hold on a noisy machine, absolute times less so).
"""

import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "divisions-2022"


def setup_django(var_dir: str) -> None:
    os.environ["GREENCOMMUNITY_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greencommunity.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def load_divisions() -> int:
    """Every province, city, county and township of 2022 as regions (about 44,700)."""
    from greencommunity.regions.models import Region

    rows, seen = [], set()
    for name, level, width in [
        ("provinces", "province", 2),
        ("cities", "city", 4),
        ("areas", "county", 6),
        ("streets", "street", 9),
    ]:
        with open(SHARED / f"{name}.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                code = r["code"].ljust(12, "0")
                if code in seen:  # 东莞/中山/儋州 repeat the city as a county: keep the city
                    continue
                seen.add(code)
                rows.append(
                    Region(code=code, name=r["name"], level=level, prefix=r["code"][:width])
                )
    Region.objects.bulk_create(rows, batch_size=2000)
    by_code = dict(Region.objects.values_list("code", "pk"))
    updates = []
    for region in Region.objects.exclude(level="province").only("pk", "code", "level"):
        parent_len = {"city": 2, "county": 4, "street": 6}[region.level]
        parent_code = region.code[:parent_len].ljust(12, "0")
        if parent_code not in by_code and region.level == "street":
            parent_code = region.code[:4].ljust(12, "0")  # towns directly under a city
        region.parent_id = by_code.get(parent_code)
        updates.append(region)
    Region.objects.bulk_update(updates, ["parent"], batch_size=2000)
    return len(rows)


def bench_audit(n: int) -> list[tuple[str, str, str, str]]:
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from greencommunity.audit.models import Event
    from greencommunity.audit.services import audit_record, audit_verify

    def chained():
        for i in range(n):
            audit_record(
                actor=None,
                verb="bench.event",
                region_code="510104001000",
                before={"i": i},
                after={"i": i + 1},
                summary="bench",
            )

    base_seq = [10_000_000]

    def plain():  # the same rows, one transaction each, no lock, no hashing of the chain
        for i in range(n):
            base_seq[0] += 1
            with transaction.atomic():
                Event.objects.create(
                    seq=base_seq[0],
                    created_at=timezone.now(),
                    actor_label="system",
                    verb="bench.plain",
                    region_code="510104001000",
                    summary="bench",
                    before={"i": i},
                    after={"i": i + 1},
                    prev_hash="0" * 64,
                    hash=hashlib.sha256(str(base_seq[0]).encode()).hexdigest(),
                )

    def read_only():
        for _e in Event.objects.order_by("seq").iterator(2000):
            pass

    t_chain = timed(chained, repeat=1)
    report = audit_verify()
    assert report.ok and report.checked == n, report
    t_verify = timed(audit_verify, repeat=2)
    t_read = timed(read_only, repeat=2)
    t_plain = timed(plain, repeat=1)  # after verify: these rows are not on the chain
    return [
        (
            "audit_record: append one event (own transaction)",
            f"{n / t_chain:,.0f} events/s",
            f"{n / t_plain:,.0f} events/s (plain ORM insert)",
            f"{t_plain / t_chain:.2f}x",
        ),
        (
            f"audit_verify over {n:,} events",
            f"{t_verify * 1000:,.0f} ms",
            f"{t_read * 1000:,.0f} ms (read the same rows)",
            f"{t_verify / t_read:.2f}x",
        ),
    ]


def bench_scope() -> list[tuple[str, str, str, str]]:
    from greencommunity.access.models import RoleAssignment, User
    from greencommunity.access.policies import scope_regions
    from greencommunity.regions.models import Region

    rows = []
    province = Region.objects.get(code="510000000000")
    admin = User.objects.create(username="bench-province", home_region=province)
    RoleAssignment.objects.create(user=admin, role="housing", region=province)

    def scoped():
        return scope_regions(admin, Region.objects.all()).count()

    def baseline():
        return Region.objects.filter(code__startswith="51").count()

    assert scoped() == baseline()
    t_s, t_b = timed(scoped, 5), timed(baseline, 5)
    rows.append(
        (
            f"scope_regions, province grant ({baseline():,} of {Region.objects.count():,})",
            f"{t_s * 1000:.1f} ms",
            f"{t_b * 1000:.1f} ms (hand-written prefix filter)",
            f"{t_s / t_b:.2f}x",
        )
    )

    streets = list(Region.objects.filter(level="street", code__startswith="5101")[:20])
    multi = User.objects.create(username="bench-streets", home_region=province)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=multi, role="street", region=s) for s in streets]
    )

    def scoped_multi():
        return list(scope_regions(multi, Region.objects.all()).values_list("code", flat=True))

    def baseline_multi():
        codes = [s.code for s in streets]
        return list(Region.objects.filter(code__in=codes).values_list("code", flat=True))

    t_s, t_b = timed(scoped_multi, 5), timed(baseline_multi, 5)
    rows.append(
        (
            "scope_regions, 20 street grants (OR of prefixes)",
            f"{t_s * 1000:.1f} ms",
            f"{t_b * 1000:.1f} ms (code IN list)",
            f"{t_s / t_b:.2f}x",
        )
    )
    return rows


def main() -> int:
    n = int(os.environ.get("BENCH_AUDIT_EVENTS", "2000"))
    with tempfile.TemporaryDirectory(prefix="gc-bench-") as var_dir:
        setup_django(var_dir)
        from django.db import connection

        rows: list[tuple[str, str, str, str]] = []
        if SHARED.exists():
            t0 = time.perf_counter()
            count = load_divisions()
            rows.append(
                (
                    f"load {count:,} regions of the 2022 division codes (bulk)",
                    f"{time.perf_counter() - t0:.1f} s",
                    "-",
                    "-",
                )
            )
            rows += bench_scope()
        else:
            print(f"note: {SHARED} not found; region benchmarks skipped", file=sys.stderr)
        rows += bench_audit(n)
        scenarios = ["bench.assessments", "bench.assessment_page"]
        if SHARED.exists() and os.environ.get("BENCH_PROGRESS", "1") == "1":
            scenarios.append("bench.progress")
        if SHARED.exists() and os.environ.get("BENCH_REGISTRY", "1") == "1":
            scenarios.insert(0, "bench.registry")
        for module in scenarios:
            # Each on a database of its own, in a process of its own.
            out = subprocess.run(
                [sys.executable, "-m", module], capture_output=True, text=True, check=True,
                env={k: v for k, v in os.environ.items()
                     if k not in ("DJANGO_SETTINGS_MODULE", "GREENCOMMUNITY_VAR_DIR")},
            )  # fmt: skip
            rows += [tuple(r) for r in json.loads(out.stdout.splitlines()[-1])]
        print(
            f"## {date.today().isoformat()} — `make bench` ({connection.vendor}, "
            f"Python {platform.python_version()}, {os.cpu_count()} cores)\n"
        )
        print("| scenario | result | baseline (same run) | ratio |")
        print("|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
