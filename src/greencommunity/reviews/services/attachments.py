"""Attachments of an application and the seal images of decisions: files whose kind comes from
their content (`assessments.evidence_files.sniff`: photos, PDF, Word), never their name, at most
`settings.EVIDENCE_MAX_BYTES`, stored through Django's default storage under a random name."""

import tempfile
import uuid
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.assessments.evidence_files import HEAD_BYTES, FileKind, sniff
from greencommunity.assessments.models import EvidenceKind
from greencommunity.assessments.services.evidence import clean_name, max_bytes
from greencommunity.core.errors import ApplicationError, NotFound

from ..models import ApplicationAttachment
from ..models.applications import Application
from .common import check_edit, load_application, record, user_or_none

MAX_ATTACHMENTS = 30
_CHUNK = 64 * 1024
_SPOOL_IN_MEMORY = 2 * 1024 * 1024


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


def read_upload(upload: Any, name: str) -> tuple[IO[bytes], int, FileKind]:
    """The content in a spooled temporary file, its size and its sniffed kind; refused when
    empty, larger than the limit or of a kind not accepted. The caller closes the file."""
    limit = max_bytes()
    too_big = ApplicationError(
        _("“%(name)s” is larger than %(max)s: upload a smaller file.")
        % {"name": name, "max": _size_label(limit)},
        {"field": "file", "name": name, "max_bytes": limit},
    )
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise too_big
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        size = 0
        chunks = upload.chunks(_CHUNK) if hasattr(upload, "chunks") else iter(
            lambda: upload.read(_CHUNK), b""
        )  # fmt: skip
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise too_big
            spool.write(chunk)
        if size == 0:
            raise ApplicationError(
                _("“%(name)s” is empty.") % {"name": name}, {"field": "file", "name": name}
            )
        spool.seek(0)
        kind = sniff(spool.read(HEAD_BYTES), spool, name=name)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool, size, kind


def store(field: Any, folder_key: str, content: IO[bytes], kind: FileKind) -> str:
    """Save `content` into the FileField `field` under a random name; the stored name."""
    field.save(f"{folder_key}{kind.suffix}", File(content), save=False)
    return str(field.name)


def attachment_add(
    *, actor: Any, application: Application, upload: Any, name: str | None = None
) -> ApplicationAttachment:
    """Attach a file (a photo, PDF or Word document) to a draft or returned application. The
    file is checked before anything is written; a stored file is removed again when the
    transaction fails."""
    original = clean_name(name or getattr(upload, "name", "") or "")
    label = original or "attachment"
    check_edit(actor, load_application(application))
    content, size, kind = read_upload(upload, label)
    stored: list[str] = []
    try:
        with transaction.atomic():
            current = load_application(application, lock=True)
            check_edit(actor, current)
            if ApplicationAttachment.objects.filter(application=current).count() >= (
                MAX_ATTACHMENTS
            ):
                raise ApplicationError(
                    _("At most %(max)d attachments: delete one before adding another.")
                    % {"max": MAX_ATTACHMENTS},
                    {"field": "file"},
                )
            attachment = ApplicationAttachment(
                application=current, original_name=original or f"attachment{kind.suffix}",
                kind=kind.kind, content_type=kind.content_type, size=size,
                uploaded_by=user_or_none(actor), uploaded_at=timezone.now(),
            )  # fmt: skip
            stored.append(store(attachment.file, uuid.uuid4().hex, content, kind))
            attachment.save()
            record(
                actor, "attachment_add", current, summary=attachment.original_name,
                after={"name": attachment.original_name, "kind": kind.kind, "size": size},
            )  # fmt: skip
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    finally:
        content.close()
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: ApplicationAttachment) -> None:
    """Remove an attachment of a draft or returned application; the file goes after commit."""
    try:
        row = ApplicationAttachment.objects.get(pk=attachment.pk)
    except ApplicationAttachment.DoesNotExist:
        raise NotFound(_("Attachment not found.")) from None
    current = load_application(row.application_id, lock=True)
    check_edit(actor, current)
    facts: dict[str, Any] = {"name": row.original_name, "kind": row.kind, "size": row.size}
    stored_name = row.file.name
    row.delete()
    record(actor, "attachment_delete", current, summary=row.original_name, before=facts)
    if stored_name:
        transaction.on_commit(lambda: default_storage.delete(stored_name))


def seal_read(upload: Any) -> tuple[IO[bytes], FileKind]:
    """A seal must be an image (JPEG, PNG, GIF or WebP)."""
    label = clean_name(getattr(upload, "name", "") or "") or "seal"
    content, _size, kind = read_upload(upload, label)
    if kind.kind != EvidenceKind.IMAGE:
        content.close()
        raise ApplicationError(
            _("The seal “%(name)s” must be a photo or scan (JPEG, PNG, GIF or WebP).")
            % {"name": label},
            {"field": "seal"},
        )
    return content, kind
