"""Evidence files of self-assessment answers through the services and selectors: storage,
refusals, drafts only, sharing with the next revision, permissions and audit events."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments.evidence_samples import doc_bytes, docx_bytes, image_bytes, pdf_bytes
from greencommunity.assessments.models import AnswerSource, Evidence
from greencommunity.assessments.selectors import access_evidence, evidence_by_answer
from greencommunity.assessments.services import (
    answer_set,
    assessment_reopen,
    assessment_start,
    assessment_submit,
    evidence_add,
    evidence_delete,
)
from greencommunity.assessments.services.evidence import MAX_FILES_PER_ANSWER
from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied

YEAR = 2024


@pytest.fixture
def storage(settings):
    """Default storage in memory: every file goes through the storage API, none to disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.core.files.storage import default_storage

    return default_storage


def stored_files(storage):
    names = []
    directories, _files = storage.listdir("evidence") if storage.exists("evidence") else ([], [])
    for directory in directories:
        names += [f"evidence/{directory}/{f}" for f in storage.listdir(f"evidence/{directory}")[1]]
    return sorted(names)


@pytest.fixture
def national(standards):
    return standards["national"]


@pytest.fixture
def draft(community, national, storage):
    return assessment_start(actor=None, community=community, standard=national, year=YEAR)


@pytest.fixture
def c1(national):
    return national.criteria.get(number=1)


def add(actor, assessment, criterion, content, filename, **kwargs):
    upload = SimpleUploadedFile(filename, content)
    return evidence_add(
        actor=actor, assessment=assessment, criterion_id=criterion.pk, upload=upload, **kwargs
    )


def submit(assessment, community, indicator_set):
    indicator_set(community, "property_management_coverage", "45")
    for a in assessment.answers.select_related("criterion"):
        if a.source == AnswerSource.SELF:
            answer_set(actor=None, assessment=assessment, criterion=a.criterion, met=True)
    return assessment_submit(actor=None, assessment=assessment)


# ---------------------------------------------------------------------------- adding


def test_a_photo_is_stored_under_a_random_name_with_a_thumbnail(draft, c1, committee, storage):
    # given a JPEG uploaded from a Windows path under a misleading suffix
    content = image_bytes("JPEG", size=(1200, 800))
    # when the committee adds it to criterion 1
    evidence = add(committee, draft, c1, content, "C:\\照片\\活动 现场.png")
    # then the row keeps the base name, and the file is stored by kind under the random key
    evidence.refresh_from_db()
    assert evidence.original_name == "活动 现场.png"
    assert (evidence.kind, evidence.content_type) == ("image", "image/jpeg")
    assert len(evidence.stored_key) == 32
    key = evidence.stored_key
    assert evidence.file.name == f"evidence/{key[:2]}/{key}.jpg"
    assert evidence.thumbnail.name == f"evidence/{key[:2]}/{key}.thumb.jpg"
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == committee and evidence.answer.criterion == c1
    with storage.open(evidence.file.name) as stored:
        assert stored.read() == content
    with storage.open(evidence.thumbnail.name) as stored:
        assert Image.open(stored).size == (320, 213)
    assert stored_files(storage) == sorted([evidence.file.name, evidence.thumbnail.name])


@pytest.mark.parametrize(
    ("make", "name", "kind", "suffix"),
    [
        (pdf_bytes, "活动记录.jpg", "pdf", ".pdf"),
        (docx_bytes, "公约", "word", ".docx"),
        (doc_bytes, "旧文件.pdf", "word", ".doc"),
        (lambda: image_bytes("WEBP"), "a.gif", "image", ".webp"),
    ],
)
def test_documents_are_stored_by_their_sniffed_kind(draft, c1, storage, make, name, kind, suffix):
    evidence = add(None, draft, c1, make(), name)
    assert (evidence.kind, evidence.original_name) == (kind, name)
    assert evidence.file.name.endswith(f"/{evidence.stored_key}{suffix}")
    assert bool(evidence.thumbnail) == (kind == "image")
    assert storage.exists(evidence.file.name)


def test_a_name_can_be_given_and_is_cleaned(draft, c1):
    evidence = add(None, draft, c1, pdf_bytes(), "scan0001.pdf", name="../../x/  会议\x00纪要.pdf ")
    assert evidence.original_name == "会议纪要.pdf"
    long = "很长的名字" * 60 + ".pdf"
    evidence = add(None, draft, c1, pdf_bytes(), long)
    assert len(evidence.original_name) == 200 and evidence.original_name.endswith("很.pdf")


def test_a_file_without_a_size_is_read_from_its_chunks(draft, c1):
    upload = File(io.BytesIO(docx_bytes()), name="公约.docx")
    evidence = evidence_add(actor=None, assessment=draft, criterion_id=c1.pk, upload=upload)
    assert evidence.kind == "word" and evidence.size == len(docx_bytes())


def test_the_audit_event_records_the_file(draft, c1, committee, community):
    content = pdf_bytes()
    add(committee, draft, c1, content, "记录.pdf")
    event = Event.objects.get(verb="evidence.add")
    assert event.actor_id == committee.pk and event.region_code == community.region.code
    assert event.summary == "记录.pdf" and event.target_id == str(draft.pk)
    assert event.after == {
        "criterion": 1, "name": "记录.pdf", "kind": "pdf", "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }  # fmt: skip


# ---------------------------------------------------------------------------- refusals


def assert_nothing_written(storage):
    assert stored_files(storage) == []
    assert not Evidence.objects.exists()
    assert not Event.objects.filter(verb__startswith="evidence.").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + bytes(300), "setup.jpg", "“setup.jpg” is not an accepted file"),
        (b"just some text", "notes.pdf", "“notes.pdf” is not an accepted file"),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 10, "p.png", "“p.png” is damaged"),
        (b"", "empty.pdf", "“empty.pdf” is empty"),
    ],
)
def test_refused_files_leave_nothing_behind(draft, c1, storage, content, name, message):
    with pytest.raises(ApplicationError, match=message):
        add(None, draft, c1, content, name)
    assert_nothing_written(storage)


def test_a_truncated_jpeg_is_refused_when_its_thumbnail_is_made(draft, c1, storage):
    noisy = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(noisy, "JPEG")
    with pytest.raises(ApplicationError, match="damaged or incomplete"):
        add(None, draft, c1, noisy.getvalue()[:-4000], "cut.jpg")
    assert_nothing_written(storage)


class Unread:
    """An upload declaring its size; reading it fails the test."""

    name = "big.pdf"
    size = 5000

    def chunks(self, chunk_size=None):
        raise AssertionError("read although the declared size is too large")


class Undeclared:
    """An upload that does not know its size in advance."""

    name = "stream.pdf"

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.4\n"
        while True:
            yield bytes(400)


def test_an_oversize_file_is_refused_before_it_is_read(draft, c1, storage, settings):
    settings.EVIDENCE_MAX_BYTES = 4000
    with pytest.raises(ApplicationError, match=r"“big\.pdf” is larger than 3\.91 KB"):
        evidence_add(actor=None, assessment=draft, criterion_id=c1.pk, upload=Unread())
    assert_nothing_written(storage)


def test_a_file_of_unknown_size_is_refused_while_it_is_read(draft, c1, storage, settings):
    settings.EVIDENCE_MAX_BYTES = 4000
    with pytest.raises(ApplicationError, match="is larger than"):
        evidence_add(actor=None, assessment=draft, criterion_id=c1.pk, upload=Undeclared())
    assert_nothing_written(storage)
    settings.EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    with pytest.raises(ApplicationError, match=r"“x\.pdf” is larger than 20 MB"):
        add(None, draft, c1, bytes(20 * 1024 * 1024 + 1), "x.pdf")


def test_at_most_20_files_per_answer(draft, c1, storage):
    first = add(None, draft, c1, pdf_bytes(), "1.pdf")
    answer = first.answer
    same = {f: getattr(first, f) for f in ("kind", "content_type", "size", "sha256")}
    Evidence.objects.bulk_create(
        [
            Evidence(
                answer=answer,
                stored_key=f"{i:032x}",
                file=f"evidence/{i}.pdf",
                original_name=f"{i}.pdf",
                uploaded_at=first.uploaded_at,
                **same,
            )
            for i in range(MAX_FILES_PER_ANSWER - 1)
        ]
    )
    with pytest.raises(ApplicationError, match="At most 20 files per criterion"):
        add(None, draft, c1, pdf_bytes(), "21.pdf")
    assert len(stored_files(storage)) == 1
    # another criterion still takes files
    add(None, draft, draft.standard.criteria.get(number=2), pdf_bytes(), "other.pdf")


def test_the_criterion_must_belong_to_the_assessment(draft, standards, storage):
    foreign = standards["tianjin"].criteria.get(number=1)
    for criterion_id in (foreign.pk, 0, "1", None):
        with pytest.raises(NotFound, match="not part of the assessment"):
            evidence_add(actor=None, assessment=draft, criterion_id=criterion_id,
                         upload=ContentFile(pdf_bytes(), name="a.pdf"))  # fmt: skip
    assert_nothing_written(storage)


def test_files_written_are_deleted_when_the_transaction_fails(draft, c1, storage, monkeypatch):
    # given the audit log failing after the file and thumbnail were written
    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("greencommunity.assessments.services.evidence.audit_record", broken)
    # when a photo is added, then it fails and nothing is left in storage or the database
    with pytest.raises(RuntimeError):
        add(None, draft, c1, image_bytes("PNG"), "p.png")
    assert stored_files(storage) == [] and not Evidence.objects.exists()


# ---------------------------------------------------------------------------- drafts, revisions


@pytest.fixture
def submitted(draft, c1, community, indicator_set):
    add(None, draft, c1, image_bytes("JPEG"), "photo.jpg")
    return submit(draft, community, indicator_set)


def test_a_submitted_assessment_refuses_adding_and_deleting(submitted, c1, committee, storage):
    with pytest.raises(ApplicationError, match="Submitted assessments are locked"):
        add(committee, submitted, c1, pdf_bytes(), "late.pdf")
    evidence = Evidence.objects.get()
    with pytest.raises(ApplicationError, match="Submitted assessments are locked"):
        evidence_delete(actor=committee, evidence=evidence)
    assert Evidence.objects.count() == 1 and len(stored_files(storage)) == 2


def test_reopen_shares_the_files_and_keeps_those_the_submitted_revision_uses(
    submitted, c1, committee, storage, django_capture_on_commit_callbacks
):
    # given the submitted revision 1 with a photo on criterion 1
    original = Evidence.objects.get()
    # when it is reopened
    draft = assessment_reopen(actor=committee, assessment=submitted)
    # then revision 2 has a copy of the row referring to the same stored files
    copy = Evidence.objects.get(answer__assessment=draft)
    assert copy.pk != original.pk and copy.answer.criterion_id == c1.pk
    same = ("stored_key", "original_name", "kind", "content_type", "size", "sha256")
    assert all(getattr(copy, f) == getattr(original, f) for f in same)
    assert (copy.file.name, copy.thumbnail.name) == (original.file.name, original.thumbnail.name)
    assert len(stored_files(storage)) == 2
    # when the copy is deleted from the draft
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(actor=committee, evidence=copy)
    # then revision 1 still has its file and thumbnail
    assert list(Evidence.objects.all()) == [original]
    assert storage.exists(original.file.name) and storage.exists(original.thumbnail.name)


def test_deleting_the_last_reference_removes_the_files(
    draft, c1, committee, storage, django_capture_on_commit_callbacks
):
    evidence = add(committee, draft, c1, image_bytes("PNG"), "p.png")
    keep = add(committee, draft, c1, pdf_bytes(), "keep.pdf")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        evidence_delete(actor=committee, evidence=evidence)
    assert len(callbacks) == 1
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert stored_files(storage) == [keep.file.name]
    event = Event.objects.get(verb="evidence.delete")
    assert event.summary == "p.png" and event.before["kind"] == "image"
    assert event.before["criterion"] == 1 and event.after is None


def test_files_stay_until_the_deletion_commits(draft, c1, storage):
    evidence = add(None, draft, c1, pdf_bytes(), "a.pdf")
    evidence_delete(actor=None, evidence=evidence)  # the test's transaction never commits
    assert storage.exists(evidence.file.name)


def test_deleting_a_deleted_file_is_not_found(draft, c1):
    evidence = add(None, draft, c1, pdf_bytes(), "a.pdf")
    evidence_delete(actor=None, evidence=evidence)
    with pytest.raises(NotFound):
        evidence_delete(actor=None, evidence=evidence)


# ---------------------------------------------------------------------------- selectors


def test_evidence_by_answer_in_one_query(draft, c1, national, django_assert_num_queries):
    c2 = national.criteria.get(number=2)
    a = add(None, draft, c1, pdf_bytes(), "a.pdf")
    b = add(None, draft, c2, docx_bytes(), "b.docx")
    c = add(None, draft, c1, image_bytes("GIF"), "c.gif")
    with django_assert_num_queries(1):
        files = evidence_by_answer(draft)
    assert files == {a.answer_id: [a, c], b.answer_id: [b]}


# ---------------------------------------------------------------------------- permissions

# role, region key in the tree fixture, outcome of adding to and deleting from 西苑社区's draft
MATRIX = [
    ("community", "community", None),
    ("housing", "county", None),
    ("admin", "province", None),
    ("street", "street", PermissionDenied),
    ("department", "county", PermissionDenied),
    ("expert", "county", PermissionDenied),
    ("street", "other_street", NotFound),
    ("housing", "other_county", NotFound),
]


@pytest.mark.parametrize(("role", "where", "refusal"), MATRIX)
def test_matrix(tree, make_user, draft, c1, storage, role, where, refusal):
    actor = make_user(role, tree[where])
    existing = add(None, draft, c1, pdf_bytes(), "existing.pdf")
    if refusal is None:
        evidence = add(actor, draft, c1, pdf_bytes(), "mine.pdf")
        evidence_delete(actor=actor, evidence=evidence)
        evidence_delete(actor=actor, evidence=existing)
        assert not Evidence.objects.exists()
        return
    with pytest.raises(refusal):
        add(actor, draft, c1, pdf_bytes(), "mine.pdf")
    with pytest.raises(refusal):
        evidence_delete(actor=actor, evidence=existing)
    assert list(Evidence.objects.all()) == [existing]


def test_another_communitys_committee_finds_nothing(sibling, make_user, draft, c1):
    other = make_user("community", sibling.region)
    evidence = add(None, draft, c1, pdf_bytes(), "a.pdf")
    with pytest.raises(NotFound):
        add(other, draft, c1, pdf_bytes(), "b.pdf")
    with pytest.raises(NotFound):
        evidence_delete(actor=other, evidence=evidence)
    with pytest.raises(NotFound):
        access_evidence(other, evidence.pk)


@pytest.mark.parametrize(
    ("role", "where", "sees"),
    [
        ("community", "community", True),
        ("street", "street", True),
        ("expert", "county", True),
        ("street", "other_street", False),
        ("admin", "other_city", False),
    ],
)
def test_access_evidence(tree, make_user, draft, c1, role, where, sees):
    evidence = add(None, draft, c1, pdf_bytes(), "a.pdf")
    actor = make_user(role, tree[where])
    if sees:
        found = access_evidence(actor, evidence.pk)
        assert found == evidence and found.answer.assessment.community.region == tree["community"]
        assert found.answer.criterion.number == 1
    else:
        with pytest.raises(NotFound, match="Evidence file not found"):
            access_evidence(actor, evidence.pk)


def test_access_evidence_of_a_missing_id_is_not_found(committee, db):
    for evidence_id in (999_999, "abc", None):
        with pytest.raises(NotFound):
            access_evidence(committee, evidence_id)


def test_the_default_file_system_storage_keeps_files_under_media_root(
    community, national, c1, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    evidence = add(None, draft, c1, image_bytes("GIF"), "a.gif")
    key = evidence.stored_key
    assert (tmp_path / "evidence" / key[:2] / f"{key}.gif").read_bytes() == image_bytes("GIF")
    assert (tmp_path / "evidence" / key[:2] / f"{key}.thumb.jpg").exists()
