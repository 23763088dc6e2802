import pytest
from django.core.management import call_command

from greencommunity.access.models import User
from greencommunity.access.roles import Role
from greencommunity.audit.services import audit_verify
from greencommunity.demo import data
from greencommunity.regions.models import Region


@pytest.fixture(autouse=True)
def _storage_in_memory(settings):
    """The demo's evidence files go to memory, not to MEDIA_ROOT."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.mark.django_db
def test_demo_loads_huantai_with_21_communities_and_one_account_per_role():
    call_command("load_demo", "--if-empty")
    county = Region.objects.get(code="370321000000")
    assert county.name == "桓台县" and county.parent.name == "淄博市"
    assert county.parent.parent.name == "山东省"
    communities = Region.objects.filter(level="community", code__startswith="370321")
    assert communities.count() == 21
    by_street = {
        s.name: list(s.children.order_by("code").values_list("name", flat=True))
        for s in county.children.all()
    }
    assert len(by_street["城区街道"]) == 14 and by_street["果里镇"] == ["鸿嘉社区"]
    assert by_street["索镇"][0] == "永安社区" and len(by_street["索镇"]) == 6
    # every role has a demo account that can log in with the documented password
    held = set(User.objects.values_list("roles__role", flat=True))
    assert held == {r.value for r in Role}
    for username, *_ in data.ACCOUNTS:
        assert User.objects.get(username=username).check_password(data.DEMO_PASSWORD)
    assert audit_verify().ok


@pytest.mark.django_db
def test_demo_is_loaded_only_into_an_empty_database():
    call_command("load_demo", "--if-empty")
    before = (Region.objects.count(), User.objects.count())
    call_command("load_demo", "--if-empty")  # re-running `make run` keeps the data
    assert (Region.objects.count(), User.objects.count()) == before
    with pytest.raises(SystemExit):
        call_command("load_demo")


@pytest.mark.django_db
def test_demo_has_assessments_in_several_states():
    from greencommunity.assessments.models import Assessment

    call_command("load_demo", "--if-empty")
    states = {
        a.community.region.name: (a.status, a.passed)
        for a in Assessment.objects.select_related("community__region")
    }
    assert states["西苑社区"] == ("submitted", True)
    assert states["宝龙社区"] == ("submitted", False)
    assert states["恒星社区"][0] == "draft" and states["兴华社区"][0] == "draft"


@pytest.mark.django_db
def test_demo_assessments_have_evidence_of_each_kind():
    from django.core.files.storage import default_storage

    from greencommunity.assessments.models import Assessment, Evidence

    call_command("load_demo", "--if-empty")
    for assessment in Assessment.objects.all():
        files = Evidence.objects.filter(answer__assessment=assessment)
        assert {e.kind for e in files} == {"image", "pdf", "word"}, assessment
    photo = Evidence.objects.filter(kind="image").first()
    assert photo.content_type == "image/jpeg" and photo.thumbnail
    assert default_storage.exists(photo.file.name) and default_storage.exists(photo.thumbnail.name)
    suffixes = {e.file.name.rsplit(".", 1)[1] for e in Evidence.objects.all()}
    assert suffixes == {"jpg", "pdf", "docx"}
    assert Evidence.objects.filter(original_name="社区绿色生活公约.docx").exists()


@pytest.mark.django_db
def test_demo_has_applications_at_every_step_of_huantais_chain():
    from django.core.files.storage import default_storage

    from greencommunity.reviews.models import (
        Application,
        NamingDecision,
        NoticeStatus,
        Objection,
        PublicNotice,
        Title,
    )
    from greencommunity.reviews.selectors_batches import accepts_objections

    call_command("load_demo", "--if-empty")
    applications = Application.objects.select_related("community__region", "current_step")
    where = {
        a.community.region.name: (a.status, a.current_step.key if a.current_step else None)
        for a in applications
    }
    assert all(a.chain.key == "county" for a in applications)
    assert where["西苑社区"] == ("draft", None)
    assert where["宝发社区"] == ("in_review", "street")
    assert where["东城社区"] == ("in_review", "county")
    returned = applications.get(community__region__name="锦秋社区")
    assert returned.status == "returned" and returned.returned_from.key == "county"
    assert returned.decisions.get(verdict="return").opinion
    # one on the running (public) notice with an open objection
    assert where["玫瑰城社区"] == ("in_review", "notice")
    notice = PublicNotice.objects.get(entries__application__community__region__name="玫瑰城社区")
    assert notice.status == NoticeStatus.OPEN and accepts_objections(notice)
    assert Objection.objects.filter(notice=notice, status="open").count() == 1
    # the named ones: titles with unique certificate numbers, one decision with its PDF
    named = [name for name, (status, _step) in where.items() if status == "named"]
    assert sorted(named) == ["新民社区", "西镇社区", "赵家社区"]
    titles = Title.objects.filter(community__region__name__in=named, status="valid")
    numbers = [t.certificate_number for t in titles]
    assert len(numbers) == 3 and all(numbers) and len(set(numbers)) == 3
    decision = NamingDecision.objects.get()
    assert decision.document_number.startswith("桓建发〔") and decision.document_number[-1] == "号"
    assert {t.decision_id for t in titles} == {decision.pk}
    assert decision.document and default_storage.exists(decision.document.name)
    assert default_storage.open(decision.document.name).read(5) == b"%PDF-"
    assert PublicNotice.objects.filter(status=NoticeStatus.CLOSED).count() == 1
    assert Objection.objects.filter(status="dismissed").count() == 1
