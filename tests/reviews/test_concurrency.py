"""Two reviewers deciding the same step: exactly one decision applies, the other is told to
reload, and nothing of the second is written."""

import threading

import pytest
from django.db import connections
from django.utils import translation

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError
from greencommunity.reviews.models import Application, Decision
from greencommunity.reviews.services import application_decide

STALE = "This step was decided by someone else meanwhile; reload the page."


@pytest.fixture
def second_street(sc, person):
    return person("street", sc["street"], "duyuanjie2")


def test_the_same_expected_version_decides_once(sc, sc_users, second_street, apply):
    # given an application at the street step, its page showing version 2 to two officers
    application = apply(sc_users["committee"], sc["c1"])
    shown = application.version
    # when both decide from that page
    application_decide(actor=sc_users["street"], application=application, verdict="approve",
                       opinion="同意", expected_version=shown)  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        reloaded = Application.objects.get(pk=application.pk)  # the second officer's post
        application_decide(actor=second_street, application=reloaded, verdict="reject",
                           opinion="不同意", expected_version=shown)  # fmt: skip
    # then the second is told to reload, and only the first decision exists
    assert refused.value.message == STALE
    assert list(Decision.objects.values_list("verdict", "actor")) == [
        ("approve", sc_users["street"].pk)
    ]
    assert Event.objects.filter(verb__in=["application.approve", "application.reject"]).count() == 1
    application.refresh_from_db()
    assert (application.status, application.current_step.key) == ("in_review", "county")


def test_two_copies_in_memory_hit_the_conditional_update(sc, sc_users, second_street, apply):
    # given two officers who loaded the same application (the same step, the same version)
    submitted = apply(sc_users["committee"], sc["c1"])
    first = Application.objects.get(pk=submitted.pk)
    second = Application.objects.get(pk=submitted.pk)
    # when the first returns it and the second approves its stale copy
    application_decide(actor=sc_users["street"], application=first, verdict="return",
                       opinion="请补充")  # fmt: skip
    with pytest.raises(ApplicationError, match="decided by someone else meanwhile"):
        application_decide(actor=second_street, application=second, verdict="approve",
                           opinion="同意")  # fmt: skip
    # then the return stands alone
    assert list(Decision.objects.values_list("verdict", flat=True)) == ["return"]
    first.refresh_from_db()
    assert (first.status, first.version) == ("returned", 3)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_the_same_moment(sc, sc_users, second_street, apply):
    # given two officers, each on their own database connection, deciding at the same moment
    submitted = apply(sc_users["committee"], sc["c1"])
    barrier, outcomes = threading.Barrier(2), {}

    def reviewer(actor, verdict):
        translation.activate("en")  # a new thread starts in the default language
        try:
            application = Application.objects.select_related("current_step").get(pk=submitted.pk)
            barrier.wait()
            application_decide(actor=actor, application=application, verdict=verdict,
                               opinion="意见")  # fmt: skip
            outcomes[verdict] = "decided"
        except ApplicationError as exc:
            outcomes[verdict] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=reviewer, args=(sc_users["street"], "approve")),
        threading.Thread(target=reviewer, args=(second_street, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one decision applied and the other was told to reload
    assert sorted(outcomes.values()) == sorted(["decided", STALE])
    assert Decision.objects.count() == 1
    decided = Decision.objects.get().verdict
    assert outcomes[decided] == "decided"
    application = Application.objects.get(pk=submitted.pk)
    assert application.version == 3
    assert application.status == ("in_review" if decided == "approve" else "rejected")
