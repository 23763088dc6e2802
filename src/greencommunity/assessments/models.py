"""Self-assessment (自评): a community scores itself against one version of a standard for a
year. Each criterion has one answer; the score is cached on the assessment (the scoring engine
in `standards.scoring` computes it) so lists and dashboards read it without recomputing.

A submitted assessment is locked; reopening it makes the next revision, a draft with the same
answers, and the submitted one stays as history. At most one draft per community, standard and
year exists at any time.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Community
from greencommunity.standards.models import Criterion, Standard


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="assessments",
        verbose_name=_("community"),
    )  # fmt: skip
    # The pinned version: a published standard never changes, so neither does what this scores.
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("standard")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # The cached score (met mode: every criterion weighs 1).
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    maximum = models.DecimalField(_("maximum"), max_digits=6, decimal_places=1, default=0)
    met_count = models.PositiveSmallIntegerField(_("criteria met"), default=0)
    answered_count = models.PositiveSmallIntegerField(_("criteria answered"), default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)  # None: no pass mark
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "community_id", "standard_id", "-revision"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "standard", "year", "revision"],
                name="unique_assessment_revision",
            ),
            models.UniqueConstraint(
                fields=["community", "standard", "year"],
                condition=models.Q(status="draft"),
                name="one_draft_assessment",
            ),
            models.CheckConstraint(condition=models.Q(revision__gte=1),
                                   name="assessment_revision_from_1"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.community} · {self.standard.name} · {self.year} (r{self.revision})"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class AnswerSource(models.TextChoices):
    SELF = "self", _("Self-assessment")
    INDICATOR = "indicator", _("Community indicator")


class AssessmentAnswer(models.Model):
    """The answer to one criterion. Met mode uses `met`; points mode `points` (and `met` says
    whether the full points were awarded). Both None: not answered yet.

    A criterion whose numeric rule is the whole criterion is answered from the community's
    indicator of the assessment's year (source "indicator"); `indicator_value` keeps the value
    read for any criterion with a numeric rule, so the page can show where an answer came from.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="assessment_answers"
    )
    met = models.BooleanField(_("met"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True,
                                 blank=True)  # fmt: skip
    ticked = models.JSONField(_("ticked sub-conditions"), default=list, blank=True)  # numbers
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=AnswerSource.choices, default=AnswerSource.SELF
    )
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.criterion_id}"

    @property
    def is_answered(self) -> bool:
        return self.met is not None or self.points is not None


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Photo")
    PDF = "pdf", _("PDF document")
    WORD = "word", _("Word document")


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Stored under a random name: the original name is kept on the row, not in the path."""
    return f"evidence/{instance.stored_key[:2]}/{instance.stored_key}{_suffix(filename)}"


def thumbnail_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.stored_key[:2]}/{instance.stored_key}.thumb.jpg"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:6] if dot > 0 else ""


class Evidence(models.Model):
    """A proof file (佐证材料) attached to one answer of a self-assessment: a photo, a PDF or a
    Word document, its kind sniffed from the content. Files go through Django's default storage
    (disk by default, S3-compatible storage by configuration) and are served only through a view
    that checks the reader may see the assessment.

    Reopening an assessment copies the rows onto the new revision; the copies share the stored
    file (same `stored_key`), so a file is removed from storage only when no row refers to it.
    """

    answer = models.ForeignKey(
        AssessmentAnswer, on_delete=models.CASCADE, related_name="evidence",
        verbose_name=_("answer"),
    )  # fmt: skip
    stored_key = models.CharField(max_length=32, db_index=True)  # uuid4 hex
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_path, max_length=200, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["answer_id", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name
