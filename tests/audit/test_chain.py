"""The audit trail: append-only, hash-chained, verifiable, serialised under concurrency."""

import itertools
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from greencommunity.audit.guard import guard_remove
from greencommunity.audit.models import AppendOnlyError, Event
from greencommunity.audit.services import GENESIS, audit_record, audit_verify


def _append(n, verb="test.event", actor=None):
    return [
        audit_record(actor=actor, verb=verb, summary=f"event {i}", after={"i": i}) for i in range(n)
    ]


@pytest.mark.django_db
def test_events_link_into_a_chain():
    events = _append(5)
    assert events[0].prev_hash == GENESIS
    for prev, event in itertools.pairwise(events):
        assert event.prev_hash == prev.hash
        assert event.seq == prev.seq + 1
    report = audit_verify()
    assert report.ok and report.checked == 5


@pytest.mark.django_db
def test_before_and_after_are_recorded_with_the_actor(make_user, tree):
    user = make_user("admin", tree["province"])
    event = audit_record(
        actor=user,
        verb="region.rename",
        target=tree["county"],
        region_code=tree["county"].code,
        before={"name": "桓台县"},
        after={"name": "新桓台县"},
    )
    event.refresh_from_db()
    assert event.actor_id == user.pk and event.actor_label == user.username
    assert event.target_type == "regions.region" and event.target_id == str(tree["county"].pk)
    assert (event.before, event.after) == ({"name": "桓台县"}, {"name": "新桓台县"})


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_events():
    event = _append(1)[0]
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.update(summary="x")


@pytest.mark.django_db
def test_the_database_refuses_to_change_events():
    event = _append(1)[0]
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET summary = 'x' WHERE id = %s", [event.pk])


def _tamper(sql, params):
    """What an intruder with database rights could do: drop the guard, change a row."""
    guard_remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_a_tampered_event_is_detected():
    events = _append(6)
    _tamper("UPDATE audit_event SET after = %s WHERE seq = %s", ['{"i": 99}', events[3].seq])
    report = audit_verify()
    assert not report.ok
    assert report.first_bad_seq == events[3].seq
    assert report.checked == 3


@pytest.mark.django_db
def test_a_deleted_event_is_detected():
    events = _append(4)
    _tamper("DELETE FROM audit_event WHERE seq = %s", [events[1].seq])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == events[1].seq


@pytest.mark.django_db
def test_audit_verify_command_fails_on_a_broken_chain(capsys):
    _append(3)
    call_command("audit_verify")
    assert "3 events verified" in capsys.readouterr().out
    _tamper("UPDATE audit_event SET summary = 'forged' WHERE seq = 2", [])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="#2"):
        call_command("audit_verify")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    # given two writers, each on its own database connection, appending at the same time
    per_writer, errors = 25, []
    barrier = threading.Barrier(2)

    def writer(name):
        try:
            barrier.wait()
            for i in range(per_writer):
                audit_record(actor=None, verb=f"test.{name}", after={"i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every event is on one unbroken chain
    assert errors == []
    assert Event.objects.count() == 2 * per_writer
    assert sorted(Event.objects.values_list("seq", flat=True)) == list(range(1, 2 * per_writer + 1))
    report = audit_verify()
    assert report.ok and report.checked == 2 * per_writer
