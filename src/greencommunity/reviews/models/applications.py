"""An application (申报) for a title, made from a submitted, passing self-assessment, and what
each step of its chain decided.

The application carries the 审批表 fields (seed 001 attachment 2) as filled when submitted; each
step's `Decision` holds that level's opinion, seal and date. `version` is bumped by every
transition with a conditional update (`filter(pk, version=v).update(version=v + 1)`), so of two
reviewers deciding the same step at once exactly one applies, on SQLite and PostgreSQL alike.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.assessments.models import Assessment
from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Community
from greencommunity.standards.models import Criterion

from .chains import ReviewChain, ReviewStep
from .titles import TitleKind

BASIC_SITUATION_MAX = 1000


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")  # at `current_step` (a review, sampling or notice)
    RETURNED = "returned", _("Returned for revision")  # back with the community
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NAMED = "named", _("Named")


class Application(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("community"),
    )  # fmt: skip
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("self-assessment"),
    )  # fmt: skip
    title_kind = models.CharField(_("proposed title"), max_length=20, choices=TitleKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    chain = models.ForeignKey(ReviewChain, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )  # fmt: skip
    current_step = models.ForeignKey(
        ReviewStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("current step"),
    )  # fmt: skip
    # The step that returned it: a resubmission re-enters there.
    returned_from = models.ForeignKey(
        ReviewStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step_entered_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # 审批表 fields, as the community filled them.
    division = models.CharField(_("administrative division"), max_length=200, blank=True)
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    leader_phone = models.CharField(_("leader's phone"), max_length=30, blank=True)
    committee_address = models.CharField(_("committee address"), max_length=200, blank=True)
    basic_situation = models.TextField(_("basic situation"), blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["status", "current_step"], name="application_inbox"),
            models.Index(fields=["community", "status"], name="application_community"),
        ]
        constraints = [
            # One live application per community and title at a time.
            models.UniqueConstraint(
                fields=["community", "title_kind"],
                condition=models.Q(status__in=["draft", "in_review", "returned"]),
                name="one_open_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.get_title_kind_display()} · {self.year}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="applications/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10)  # as sniffed: image / pdf / word
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["application_id", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Verdict(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")
    REJECT = "reject", _("Reject")


class Decision(models.Model):
    """One step's decision: the opinion, seal and date that fill that level's row of the
    审批表. A sampling step's decision comes from the batch decision (`sampling_draw`)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="decisions")  # fmt: skip
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    opinion = models.TextField(_("opinion"))
    seal = models.ImageField(_("seal"), upload_to="seals/", max_length=200, blank=True)
    decided_on = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    sampling_draw = models.ForeignKey(
        "reviews.SamplingDraw", on_delete=models.PROTECT, null=True, blank=True,
        related_name="decisions",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application_id} · {self.step.name} · {self.verdict}"


class ReviewerAnswer(models.Model):
    """A reviewer's own score of one criterion at one step, independent of the self-score."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="reviewer_answers")  # fmt: skip
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("met"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True,
                                 blank=True)  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reviewer score")
        verbose_name_plural = _("reviewer scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step", "criterion"], name="unique_reviewer_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.step_id} · {self.criterion_id}"


class JointOpinion(models.Model):
    """Another department's opinion asked for by a step (联合审查)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="joint_opinions")  # fmt: skip
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(_("department"), max_length=100)
    agrees = models.BooleanField(_("agrees"))
    opinion = models.TextField(_("opinion"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "step_id", "department"]
        verbose_name = _("joint opinion")
        verbose_name_plural = _("joint opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step", "department"], name="unique_joint_opinion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.department}"
