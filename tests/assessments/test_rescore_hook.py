"""Drafts are re-scored in the worker once a community's indicators change."""

from decimal import Decimal

import pytest

from greencommunity.assessments.models import Assessment
from greencommunity.assessments.services import assessment_start
from greencommunity.regions.models import Indicator
from greencommunity.regions.services.indicator_values import indicator_value_set
from greencommunity.standards.models import Standard


@pytest.mark.django_db
def test_entering_an_indicator_enqueues_a_rescore_of_drafts(
    tree, make_user, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    community = tree["community"].community
    user = make_user("community", tree["community"])
    national = Standard.objects.get(key="national-2020", version=1)
    assessment_start(actor=user, community=community, standard=national, year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        indicator_value_set(
            actor=user,
            community=community,
            indicator=Indicator.objects.get(code="property_management_coverage"),
            year=2025,
            value=Decimal(40),
        )
    queued = DBTaskResult.objects.get(task_path__endswith="rescore_drafts")
    assert queued.args_kwargs["kwargs"] == {"community_ids": [community.pk]}
    assert Assessment.objects.filter(community=community, status="draft").exists()
