"""Evidence files (佐证材料) of a self-assessment's answers: adding, deleting, and copying them
onto the next revision when an assessment is reopened.

A file is read once, in chunks, into a spooled temporary file while its size and SHA-256 are
taken (refused as soon as it passes `settings.EVIDENCE_MAX_BYTES`); its kind comes from the
content (`evidence_files.sniff`), never from its name. It is stored through the FileField, so
through Django's default storage (disk, or S3-compatible storage by configuration), under a
random key and the suffix of the sniffed kind; the uploader's name is kept on the row only.
Reopening copies the rows, not the files: a stored file is deleted only when the last row
referring to its key is.
"""

import hashlib
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound

from ..evidence_files import HEAD_BYTES, FileKind, sniff, thumbnail
from ..models import Assessment, AssessmentAnswer, Evidence, EvidenceKind
from .checks import check_draft, check_edit, load_assessment, user_or_none

MAX_FILES_PER_ANSWER = 20
MAX_NAME = 200
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_SPOOL_IN_MEMORY = 2 * 1024 * 1024  # larger files spill to a temporary file while checked


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_name(name: str) -> str:
    """The uploader's base name for display: no directories, no control characters, at most
    200 characters (the suffix kept when shortened)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C"))
    base = " ".join(base.split()).strip(" .")
    if len(base) > MAX_NAME:
        stem, suffix = os.path.splitext(base)
        suffix = suffix if len(suffix) <= 16 else ""
        base = stem[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return base


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


def _too_big(name: str, limit: int) -> ApplicationError:
    return ApplicationError(
        _("“%(name)s” is larger than %(max)s: upload a smaller file.")
        % {"name": name, "max": _size_label(limit)},
        {"field": "file", "name": name, "max_bytes": limit},
    )


def _read(upload: Any, name: str) -> tuple[IO[bytes], int, str]:
    """The content in a spooled temporary file, its size and SHA-256; refused when empty or
    larger than the limit (before reading when the upload's size is known, else on the way)."""
    limit = max_bytes()
    try:
        declared = upload.size
    except (AttributeError, OSError, ValueError):
        declared = None
    if isinstance(declared, int) and declared > limit:
        raise _too_big(name, limit)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        digest, size = hashlib.sha256(), 0
        chunks = (
            upload.chunks(_CHUNK)
            if hasattr(upload, "chunks")
            else iter(lambda: upload.read(_CHUNK), b"")
        )
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise _too_big(name, limit)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ApplicationError(
                _("“%(name)s” is empty.") % {"name": name}, {"field": "file", "name": name}
            )
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool, size, digest.hexdigest()


def _answer(assessment: Assessment, criterion_id: int) -> AssessmentAnswer:
    if isinstance(criterion_id, bool) or not isinstance(criterion_id, int):
        raise NotFound(_("This criterion is not part of the assessment's standard."))
    try:
        return AssessmentAnswer.objects.select_related("criterion").get(
            assessment=assessment, criterion_id=criterion_id
        )
    except AssessmentAnswer.DoesNotExist:
        raise NotFound(_("This criterion is not part of the assessment's standard.")) from None


def _check_room(answer: AssessmentAnswer) -> None:
    if Evidence.objects.filter(answer=answer).count() >= MAX_FILES_PER_ANSWER:
        raise ApplicationError(
            _("At most %(max)d files per criterion: delete one before adding another.")
            % {"max": MAX_FILES_PER_ANSWER},
            {"field": "file", "max": MAX_FILES_PER_ANSWER},
        )


def _facts(evidence: Evidence, number: int) -> dict[str, Any]:
    return {
        "criterion": number,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


@dataclass(frozen=True)
class _Checked:
    """An upload read and checked, ready to store."""

    content: IO[bytes]
    name: str
    size: int
    sha256: str
    kind: FileKind
    thumbnail: bytes | None


def evidence_add(
    *, actor: Any, assessment: Assessment, criterion_id: int, upload: Any, name: str | None = None
) -> Evidence:
    """Attach the file `upload` (a Django File or UploadedFile) to the answer to criterion
    `criterion_id` of a draft, under the display name `name` (default: the upload's name).
    The file is read and checked before the assessment is locked; the row, the stored files
    and the audit event "evidence.add" are written in one transaction, and the stored files
    are deleted again when anything fails."""
    original = clean_name(name or getattr(upload, "name", "") or "")
    label = original or "evidence"  # names the file in messages
    current = load_assessment(assessment, lock=False)
    check_edit(actor, current)
    check_draft(current)
    _check_room(_answer(current, criterion_id))
    content, size, sha256 = _read(upload, label)
    written: list[str] = []
    try:
        kind = sniff(content.read(HEAD_BYTES), content, name=label)
        thumb = thumbnail(content, name=label) if kind.kind == EvidenceKind.IMAGE else None
        content.seek(0)
        checked = _Checked(content, original or f"evidence{kind.suffix}", size, sha256, kind, thumb)
        with transaction.atomic():
            evidence = _store(actor, assessment, criterion_id, checked, written)
            locked = evidence.answer.assessment
            audit_record(
                actor=actor, verb="evidence.add", target=locked,
                region_code=locked.community.region.code, summary=evidence.original_name,
                after=_facts(evidence, evidence.answer.criterion.number),
            )  # fmt: skip
    except BaseException:
        for stored in written:
            default_storage.delete(stored)
        raise
    finally:
        content.close()
    return evidence


def _store(
    actor: Any, assessment: Assessment, criterion_id: int, checked: _Checked, written: list[str]
) -> Evidence:
    """Lock the assessment, check again, write the file (and thumbnail) to storage and save
    the row; the names written are appended to `written` as soon as they exist."""
    locked = load_assessment(assessment)
    check_edit(actor, locked)
    check_draft(locked)
    answer = _answer(locked, criterion_id)
    _check_room(answer)
    answer.assessment = locked
    key = uuid.uuid4().hex
    evidence = Evidence(
        answer=answer, stored_key=key, original_name=checked.name, kind=checked.kind.kind,
        content_type=checked.kind.content_type, size=checked.size, sha256=checked.sha256,
        uploaded_by=user_or_none(actor), uploaded_at=timezone.now(),
    )  # fmt: skip
    evidence.file.save(f"{key}{checked.kind.suffix}", File(checked.content), save=False)
    written.append(str(evidence.file.name))
    if checked.thumbnail is not None:
        evidence.thumbnail.save(f"{key}.thumb.jpg", ContentFile(checked.thumbnail), save=False)
        written.append(str(evidence.thumbnail.name))
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    """Remove a file from a draft's answer. The stored file and thumbnail are deleted after
    commit, and only when no other row (another revision's copy) still refers to them."""
    try:
        row = Evidence.objects.select_related("answer__criterion", "answer__assessment").get(
            pk=evidence.pk
        )
    except Evidence.DoesNotExist:
        raise NotFound(_("Evidence file not found.")) from None
    assessment = load_assessment(row.answer.assessment)
    check_edit(actor, assessment)
    check_draft(assessment)
    facts = _facts(row, row.answer.criterion.number)
    key, names = row.stored_key, [n for n in (row.file.name, row.thumbnail.name) if n]
    row.delete()
    audit_record(
        actor=actor, verb="evidence.delete", target=assessment,
        region_code=assessment.community.region.code, summary=facts["name"], before=facts,
    )  # fmt: skip
    transaction.on_commit(lambda: _delete_unreferenced(key, names))


def _delete_unreferenced(key: str, names: list[str]) -> None:
    if Evidence.objects.filter(stored_key=key).exists():
        return
    for stored in names:
        default_storage.delete(stored)


def evidence_copy(*, source: Assessment, target: Assessment) -> int:
    """Copy the evidence rows of `source`'s answers onto the answers of `target` (a new
    revision) to the same criteria; the copies share the stored files. Part of the caller's
    transaction (`assessment_reopen`); returns how many rows were copied."""
    answers = dict(
        AssessmentAnswer.objects.filter(assessment=target).values_list("criterion_id", "pk")
    )
    rows = Evidence.objects.filter(answer__assessment=source).select_related("answer")
    copies = []
    for e in rows.order_by("pk"):
        if e.answer.criterion_id not in answers:
            continue
        copies.append(
            Evidence(
                answer_id=answers[e.answer.criterion_id], stored_key=e.stored_key,
                file=e.file.name, thumbnail=e.thumbnail.name, original_name=e.original_name,
                kind=e.kind, content_type=e.content_type, size=e.size, sha256=e.sha256,
                uploaded_by_id=e.uploaded_by_id, uploaded_at=e.uploaded_at,
            )
        )  # fmt: skip
    Evidence.objects.bulk_create(copies)
    return len(copies)
