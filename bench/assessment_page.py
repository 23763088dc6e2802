"""The assessment page benchmark (issue 4): the page of a self-assessment against the Sichuan
standard (28 criteria, points mode, 27 with sub-conditions), every criterion answered, with 50
evidence photos (tiny PNGs stored with their thumbnails in a scratch MEDIA_ROOT), fetched N
times through the Django test client as the community committee; p50/p95 and the queries per
request; goal p95 <= 150 ms. Baseline in the same run: the community's registry page (the
community detail page), fetched the same way by the same user.

Run alone: `python -m bench.assessment_page` (a scratch SQLite database); BENCH_PAGE_REQUESTS
sets N (200).
"""

import io
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

YEAR = 2024
FILES = 50


def _png(i: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 36), (20 + i * 4 % 200, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def _setup() -> tuple[Any, Any]:
    """锦江区 > 督院街街道 > 东城根社区, its committee, and a complete Sichuan assessment with
    50 photos; returns (user, assessment)."""
    from django.core.files.base import ContentFile

    from greencommunity.access.models import RoleAssignment, User
    from greencommunity.assessments.models import AnswerSource
    from greencommunity.assessments.services import answer_set, assessment_start
    from greencommunity.assessments.services.evidence import evidence_add
    from greencommunity.regions.services.tree import region_create
    from greencommunity.standards.models import Standard

    parent = None
    for code, name in [
        ("510000000000", "四川省"),
        ("510100000000", "成都市"),
        ("510104000000", "锦江区"),
        ("510104001000", "督院街街道"),
        ("510104001001", "东城根社区"),
    ]:
        parent = region_create(actor=None, code=code, name=name, parent=parent)
    assert parent is not None
    user = User.objects.create(
        username="bench-dongchenggen", home_region=parent, must_change_password=False
    )
    RoleAssignment.objects.create(user=user, role="community", region=parent)
    sichuan = Standard.objects.get(key="sichuan-2020", version=1)
    assert sichuan.criteria.count() == 28
    assessment = assessment_start(
        actor=None, community=parent.community, standard=sichuan, year=YEAR
    )
    answers = list(
        assessment.answers.select_related("criterion").prefetch_related("criterion__sub_conditions")
    )
    for a in answers:
        if a.source == AnswerSource.SELF:
            subs = [s.number for s in a.criterion.sub_conditions.all()]
            answer_set(
                actor=None, assessment=assessment, criterion=a.criterion,
                ticked=subs[: max(1, len(subs) - 1)] or None, notes="自评说明",
            )  # fmt: skip
    for i in range(FILES):
        a = answers[i % len(answers)]
        evidence_add(
            actor=None, assessment=assessment, criterion_id=a.criterion_id,
            upload=ContentFile(_png(i), name=f"现场照片{i}.png"),
        )  # fmt: skip
    assessment.refresh_from_db()
    return user, assessment


def _timed_gets(client: Any, url: str, n: int) -> list[float]:
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    return timings


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def _p(timings: list[float], fn: Callable[[list[float]], float]) -> str:
    return f"{fn(timings) * 1000:.0f} ms"


def run() -> list[tuple[str, str, str, str]]:
    """Called with Django set up on a migrated, empty database."""
    from django.test import Client
    from django.urls import reverse

    from greencommunity.assessments.models import Evidence

    n = int(os.environ.get("BENCH_PAGE_REQUESTS", "200"))
    user, assessment = _setup()
    assert Evidence.objects.filter(answer__assessment=assessment).count() == FILES
    client = Client()
    client.force_login(user)
    page = reverse("assessments:detail", args=[assessment.pk])
    community = reverse("regions:community_detail", args=[assessment.community.region.code])
    for url in (page, community):  # warm up: compile templates, fill the connection
        client.get(url)
    queries = _queries(client, page)
    base_queries = _queries(client, community)
    times = _timed_gets(client, page, n)
    base = _timed_gets(client, community, n)

    def p95(t: list[float]) -> float:
        return statistics.quantiles(t, n=20)[-1]

    return [
        (
            f"assessment page, Sichuan standard (28 criteria, all answered, {FILES} photos), "
            f"{n} GETs: p50 / p95 (goal p95 <= 150 ms)",
            f"{_p(times, statistics.median)} / {_p(times, p95)}",
            f"{_p(base, statistics.median)} / {_p(base, p95)} (the community detail page)",
            f"{p95(times) / p95(base):.2f}x at p95; {queries} queries a request "
            f"(baseline {base_queries})",
        )
    ]


def main() -> None:
    import json
    import tempfile

    os.environ["GREENCOMMUNITY_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["GREENCOMMUNITY_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"  # no collectstatic needed
    )
    with tempfile.TemporaryDirectory(prefix="gc-bench-page-") as var_dir:
        os.environ["GREENCOMMUNITY_MEDIA_ROOT"] = os.path.join(var_dir, "media")
        from bench.__main__ import setup_django

        setup_django(var_dir)
        print(json.dumps(run(), ensure_ascii=False))


if __name__ == "__main__":
    main()
