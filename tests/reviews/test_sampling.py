"""省级抽验: fixing the seed, the draw (reproducible from the published seed, with hashlib and
with docs/sampling.md's script), inspections, the batch decision that returns a failed sample
to the city re-check and fills the province row of the others' 审批表, permissions, and
concurrency (a move meanwhile refuses the whole batch; two officers deciding at once)."""

import csv
import re
import subprocess
import sys
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections
from django.db.models import F
from django.utils import timezone, translation

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.reviews.approval_form import approval_form
from greencommunity.reviews.models import (
    Application,
    Decision,
    ReviewChain,
    ReviewStep,
    SamplingDraw,
    SamplingItem,
)
from greencommunity.reviews.sampling_rules import draw as rule_draw
from greencommunity.reviews.services import (
    application_withdraw,
    sampling_decide,
    sampling_draw_create,
    sampling_draw_run,
    sampling_inspect,
)
from greencommunity.reviews.services.sampling import recheck_step
from reviews import fixtures_batches
from reviews.fixtures_batches import SEED, recompute

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling = fixtures_batches.to_sampling

APP = "application__community__region"
DOC = Path(__file__).resolve().parents[2] / "docs" / "sampling.md"


@pytest.fixture
def waiting(sc, mianyang, to_sampling):
    """Four applications of 成都市 and two of 绵阳市 at the sampling step."""
    communities = [sc["c1"], sc["c2"], sc["c3"], sc["other"], mianyang["m1"], mianyang["m2"]]
    return [to_sampling(c) for c in communities]


@pytest.fixture
def drawn(sc, sc_users, waiting):
    draw = sampling_draw_create(actor=sc_users["province"], province=sc["province"],
                                share="0.3", seed=SEED)  # fmt: skip
    return sampling_draw_run(actor=sc_users["province"], draw=draw)


def inspect_all(actor, draw, failing=()):
    for item in SamplingItem.objects.filter(draw=draw, sampled=True):
        failed = item.application_id in failing
        sampling_inspect(actor=actor, item=item, result="failed" if failed else "passed",
                         notes="垃圾分类设施不足。" if failed else "")  # fmt: skip


# ---------------------------------------------------------------- the seed


def test_the_seed_is_fixed_and_audited_before_the_draw(sc, sc_users):
    draw = sampling_draw_create(actor=sc_users["province"], province=sc["province"], share="0.3")
    assert draw.status == "open" and draw.share == Decimal("0.300")
    assert draw.seed.isprintable() and len(draw.seed) >= 16
    event = Event.objects.get(verb="sampling.create")
    assert event.after == {"seed": draw.seed, "share": "0.300"}
    assert event.region_code == "510000000000" and event.actor_id == sc_users["province"].pk
    other = sampling_draw_create(actor=sc_users["province"], province=sc["province"], share="1")
    assert other.seed != draw.seed


@pytest.mark.parametrize("share", ["0", "1.5", "0.1234", "abc", "-0.1", "NaN"])
def test_the_share_is_above_0_and_at_most_1(sc, sc_users, share):
    with pytest.raises(ApplicationError, match="share sampled"):
        sampling_draw_create(actor=sc_users["province"], province=sc["province"], share=share)


@pytest.mark.parametrize("seed", ["", "   ", "x" * 65, "a\nb"])
def test_a_given_seed_is_printable(sc, sc_users, seed):
    with pytest.raises(ApplicationError, match="printable"):
        sampling_draw_create(actor=sc_users["province"], province=sc["province"], share="0.3",
                             seed=seed)  # fmt: skip


def test_who_fixes_a_seed(sc, sc_users, person):
    admin = person("admin", sc["province"], "sc_admin")
    assert sampling_draw_create(actor=admin, province=sc["province"], share="0.3")
    with pytest.raises(PermissionDenied):  # sees the province, does not take its batches
        sampling_draw_create(actor=person("expert", sc["province"], "sc_expert"),
                             province=sc["province"], share="0.3")  # fmt: skip
    for who in ("city", "county", "street", "committee"):
        with pytest.raises(NotFound):
            sampling_draw_create(actor=sc_users[who], province=sc["province"], share="0.3")
    with pytest.raises(ApplicationError, match="province"):  # a city does not sample
        sampling_draw_create(actor=sc_users["city"], province=sc["city"], share="0.3")
    assert SamplingDraw.objects.count() == 1


# ---------------------------------------------------------------- the draw


def test_the_draw_ranks_each_city_by_the_published_rule(sc, sc_users, drawn, waiting):
    items = list(SamplingItem.objects.filter(draw=drawn).select_related(APP))
    assert drawn.status == "drawn" and drawn.drawn_at is not None
    assert len(items) == 6
    # recomputed independently with hashlib from the seed and the candidates' codes
    candidates = [(i.city_code, i.application.community.region.code) for i in items]
    expected = recompute(SEED, "0.3", candidates)
    assert {i.application.community.region.code: (i.rank, i.sampled) for i in items} == expected
    assert {i.city_code for i in items} == {"510100000000", "510700000000"}
    assert sum(i.sampled for i in items if i.city_code == "510100000000") == 2  # ceil(1.2)
    assert sum(i.sampled for i in items if i.city_code == "510700000000") == 1  # ceil(0.6)
    # and by the platform's pure rule
    ranked = rule_draw(SEED, "0.3", candidates)
    assert [(r.community_code, r.rank_key, r.rank, r.sampled) for r in ranked] == [
        (i.application.community.region.code, i.rank_key, i.rank, i.sampled) for i in items
    ]
    event = Event.objects.get(verb="sampling.draw")
    assert event.after["seed"] == SEED and len(event.after["sampled"]) == 3


def test_the_published_script_recomputes_the_stored_sample(drawn, tmp_path):
    # given the candidates of the draw as a CSV and the script printed in docs/sampling.md
    items = list(SamplingItem.objects.filter(draw=drawn).select_related(APP))
    with open(tmp_path / "c.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows((i.city_code, i.application.community.region.code) for i in items)
    script = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    (tmp_path / "sample.py").write_text(script, encoding="utf-8")
    # when it runs outside the platform with the published seed and share
    out = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "sample.py"), SEED, "0.3", str(tmp_path / "c.csv")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.split("\n")  # fmt: skip
    # then it prints exactly the stored ranks and sample
    stored = [
        f"{i.city_code} {code} {i.rank} {'sampled' if i.sampled else '-'}"
        for i in items
        if (code := i.application.community.region.code)
    ]
    assert [line for line in out if line] == stored


def test_no_candidates_no_draw_and_one_draw_at_a_time(sc, sc_users, to_sampling):
    province = sc_users["province"]
    empty = sampling_draw_create(actor=province, province=sc["province"], share="0.3")
    with pytest.raises(ApplicationError, match="No application of 四川省 waits"):
        sampling_draw_run(actor=province, draw=empty)
    first = to_sampling(sc["c1"])
    sampling_draw_run(actor=province, draw=empty)
    with pytest.raises(ApplicationError, match="drawn already"):
        sampling_draw_run(actor=province, draw=empty)
    # an application in an undecided draw is not a candidate of another
    to_sampling(sc["c2"])
    second = sampling_draw_create(actor=province, province=sc["province"], share="1")
    sampling_draw_run(actor=province, draw=second)
    assert list(second.items.values_list("application__community__region__code", flat=True)) == [
        "510104001002"
    ]
    assert first.sampling_items.get().draw_id == empty.pk


def test_who_draws(sc, sc_users, person, to_sampling):
    to_sampling(sc["c1"])
    draw = sampling_draw_create(actor=sc_users["province"], province=sc["province"], share="1")
    with pytest.raises(NotFound):
        sampling_draw_run(actor=sc_users["city"], draw=draw)
    with pytest.raises(PermissionDenied):
        sampling_draw_run(actor=person("expert", sc["province"], "sc_expert"), draw=draw)
    assert not SamplingItem.objects.exists()


# ---------------------------------------------------------------- inspections


def test_inspections(sc, sc_users, person, drawn):
    province = sc_users["province"]
    sampled = SamplingItem.objects.filter(draw=drawn, sampled=True).first()
    not_sampled = SamplingItem.objects.filter(draw=drawn, sampled=False).first()
    with pytest.raises(ApplicationError, match="not sampled"):
        sampling_inspect(actor=province, item=not_sampled, result="passed", notes="")
    with pytest.raises(ApplicationError, match="passed or failed"):
        sampling_inspect(actor=province, item=sampled, result="pending", notes="")
    with pytest.raises(ApplicationError, match="Say what failed"):
        sampling_inspect(actor=province, item=sampled, result="failed", notes=" ")
    with pytest.raises(NotFound):
        sampling_inspect(actor=sc_users["city"], item=sampled, result="passed", notes="")
    with pytest.raises(PermissionDenied):
        sampling_inspect(actor=person("expert", sc["province"], "sc_expert"), item=sampled,
                         result="passed", notes="")  # fmt: skip
    sampling_inspect(actor=province, item=sampled, result="failed", notes="台账缺失。")
    item = sampling_inspect(actor=province, item=sampled, result="passed", notes="已核实。")
    assert (item.result, item.notes, item.inspected_by) == ("passed", "已核实。", province)
    event = Event.objects.filter(verb="sampling.inspect").order_by("seq").last()
    assert event.before == {"result": "failed", "notes": "台账缺失。"}
    assert event.target_type == "reviews.application"


# ---------------------------------------------------------------- the batch decision


def test_the_batch_decision(sc, sc_users, drawn, png, media):
    province = sc_users["province"]
    items = list(SamplingItem.objects.filter(draw=drawn).select_related(APP))
    failing = next(i for i in items if i.sampled)
    with pytest.raises(ApplicationError, match="not inspected yet"):
        sampling_decide(actor=province, draw=drawn, opinion="同意。")
    inspect_all(province, drawn, failing=[failing.application_id])
    with pytest.raises(ApplicationError, match="batch opinion"):
        sampling_decide(actor=province, draw=drawn, opinion="")
    with pytest.raises(ApplicationError, match="future"):
        sampling_decide(actor=province, draw=drawn, opinion="同意。",
                        decided_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    day = timezone.localdate() - timedelta(days=1)
    decided = sampling_decide(actor=province, draw=drawn, opinion="经抽验，符合要求，同意。",
                              decided_on=day, seal=png())  # fmt: skip
    assert decided.status == "decided" and drawn.status == "decided"
    assert decided.seal.name.startswith("seals/") and (media / decided.seal.name).exists()
    # the failed sample is back at the city re-check, with the inspection notes
    failed = Application.objects.get(pk=failing.application_id)
    assert (failed.status, failed.current_step.key) == ("in_review", "city")
    back = failed.decisions.get(step__key="province-sampling")
    assert (back.verdict, back.opinion, back.sampling_draw) == ("return", "垃圾分类设施不足。",
                                                               decided)  # fmt: skip
    # the rest are approved with the batch opinion and on at the notice
    others = Application.objects.exclude(pk=failed.pk)
    assert {a.current_step.key for a in others} == {"notice"}
    for application in others:
        decision = application.decisions.get(step__key="province-sampling")
        assert (decision.verdict, decision.decided_on) == ("approve", day)
        assert decision.seal.name == decided.seal.name and decision.actor == province
        province_row = approval_form(application).levels[-1]
        assert province_row.label == "省级" and province_row.opinion == "经抽验，符合要求，同意。"
        assert province_row.decided_on == day and province_row.seal.startswith(b"\x89PNG")
    event = Event.objects.get(verb="sampling.decide")
    assert event.after["returned"] == [failed.pk] and len(event.after["approved"]) == 5
    with pytest.raises(ApplicationError, match="decided already"):
        sampling_decide(actor=province, draw=drawn, opinion="再次")
    # the city re-checks it and it waits for the next draw
    fixtures_batches.decide(sc_users["city"], failed, opinion="已整改，复核通过。")
    assert failed.current_step.key == "province-sampling"


def test_who_decides_a_batch(sc, sc_users, person, drawn):
    inspect_all(sc_users["province"], drawn)
    with pytest.raises(NotFound):
        sampling_decide(actor=sc_users["city"], draw=drawn, opinion="同意。")
    with pytest.raises(PermissionDenied):
        sampling_decide(actor=person("expert", sc["province"], "sc_expert"), draw=drawn,
                        opinion="同意。")  # fmt: skip
    assert not Decision.objects.filter(step__key="province-sampling").exists()
    sampling_decide(actor=person("admin", sc["province"], "sc_admin"), draw=drawn, opinion="同意")


def test_the_recheck_step_is_found_by_level_not_key(chains):
    chain = ReviewChain.objects.create(key="custom", name="自定义")
    steps = [
        ReviewStep.objects.create(
            chain=chain, position=n, key=key, name=key, kind=kind, level=level, role="housing"
        )
        for n, (key, kind, level) in enumerate(
            [
                ("a", "review", "county"),
                ("b", "review", "city"),
                ("c", "review", "city"),
                ("d", "sampling", "province"),
                ("e", "notice", "province"),
            ],
            start=1,
        )
    ]
    assert recheck_step(steps[3]) == steps[2]
    assert recheck_step(chains["sichuan"].steps.get(key="province-sampling")).key == "city"


# ---------------------------------------------------------------- concurrency


def test_an_application_withdrawn_after_the_draw_refuses_the_batch(sc, sc_users, drawn, waiting):
    inspect_all(sc_users["province"], drawn)
    application_withdraw(actor=sc_users["committee2"], application=waiting[1])
    with pytest.raises(ApplicationError, match="南门社区 are no longer where the draw found"):
        sampling_decide(actor=sc_users["province"], draw=drawn, opinion="同意。")
    drawn.refresh_from_db()
    assert drawn.status == "drawn" and not Decision.objects.filter(sampling_draw=drawn).exists()


def test_a_move_meanwhile_rolls_the_whole_batch_back(sc, sc_users, drawn, waiting, monkeypatch):
    # given a batch ready to decide, and another writer moving 绵阳 东街 between the
    # decision's read and its conditional update
    inspect_all(sc_users["province"], drawn)
    from greencommunity.reviews.services import batches

    real_move, victim = batches.application_move, waiting[4]

    def concurrent_move(*, application, **kwargs):
        if application.pk == victim.pk:
            Application.objects.filter(pk=victim.pk).update(version=F("version") + 1)
        return real_move(application=application, **kwargs)

    monkeypatch.setattr(batches, "application_move", concurrent_move)
    # when the province decides
    with pytest.raises(ApplicationError, match="东街社区 was changed by someone else"):
        sampling_decide(actor=sc_users["province"], draw=drawn, opinion="同意。")
    # then nothing of the batch was written: no move, no decision, the draw still drawn
    assert set(Application.objects.values_list("current_step__key", flat=True)) == {
        "province-sampling"
    }
    assert not Decision.objects.filter(step__key="province-sampling").exists()
    drawn.refresh_from_db()
    assert drawn.status == "drawn" and not Event.objects.filter(verb="sampling.decide").exists()


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_the_batch_at_once(sc, sc_users, person, to_sampling):
    # given a drawn, inspected batch and two officers of the province on their own connections
    applications = [to_sampling(sc["c1"]), to_sampling(sc["c2"])]
    draw = sampling_draw_create(actor=sc_users["province"], province=sc["province"], share="1")
    sampling_draw_run(actor=sc_users["province"], draw=draw)
    inspect_all(sc_users["province"], draw)
    second = person("housing", sc["province"], "sichuan2")
    barrier, outcomes = threading.Barrier(2), {}

    def officer(actor, opinion):
        translation.activate("en")  # a thread starts in the default language
        try:
            mine = SamplingDraw.objects.get(pk=draw.pk)
            barrier.wait()
            sampling_decide(actor=actor, draw=mine, opinion=opinion)
            outcomes[opinion] = "decided"
        except ApplicationError as exc:
            outcomes[opinion] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer, args=(sc_users["province"], "甲")),
               threading.Thread(target=officer, args=(second, "乙"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one decided the batch, the other was told
    assert sorted(outcomes.values()) == ["This batch has been decided already.", "decided"]
    winner = next(k for k, v in outcomes.items() if v == "decided")
    decided = Decision.objects.filter(step__key="province-sampling")
    assert list(decided.values_list("opinion", flat=True)) == [winner, winner]
    for application in applications:
        application.refresh_from_db()
        assert application.current_step.key == "notice" and application.version == 6
