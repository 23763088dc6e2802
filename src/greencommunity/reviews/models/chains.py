"""Review chains as data: a chain is an ordered list of steps, each taken by a role at a region
level. The community's own submission is not a step: an application enters the chain at its
first step. Which chain applies is chosen per jurisdiction and title (`ChainAssignment`, the
nearest ancestor's assignment wins; without one the built-in county chain applies).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.access.roles import Role
from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.codes import Level

from .titles import TitleKind


class ReviewChain(TimeStampedModel):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    builtin = models.BooleanField(_("built in"), default=False)

    class Meta:
        ordering = ["key"]
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    REVIEW = "review", _("Review")  # recommend, initial review, re-check, acceptance
    SAMPLING = "sampling", _("Sampling inspection and batch decision")
    NOTICE = "notice", _("Public notice")
    NAMING = "naming", _("Naming")


class ReviewStep(models.Model):
    """One step. `level` and `role` say who decides: a holder of `role` on the region of that
    level above the community (its street, county, city or province). `due_days` counts calendar
    days from the application's arrival at the step."""

    chain = models.ForeignKey(ReviewChain, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    allow_return = models.BooleanField(_("may return for revision"), default=True)
    allow_reject = models.BooleanField(_("may reject"), default=True)
    scoring = models.BooleanField(_("reviewer scores against the standard"), default=False)
    # Departments whose joint opinion the step asks for, one per line (blank: none).
    joint_departments = models.TextField(_("joint opinions from"), blank=True)
    due_days = models.PositiveSmallIntegerField(_("days to decide"), default=15)

    class Meta:
        ordering = ["chain_id", "position"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="unique_step_position"),
            models.UniqueConstraint(fields=["chain", "key"], name="unique_step_key"),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.position}. {self.name}"


class ChainAssignment(TimeStampedModel):
    """The chain a jurisdiction uses for a title. Keyed by division code (not a region row), so
    the built-in assignments exist before the registry is imported."""

    region_code = models.CharField(_("division code"), max_length=12)
    title_kind = models.CharField(_("title"), max_length=20, choices=TitleKind.choices)
    chain = models.ForeignKey(ReviewChain, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        ordering = ["region_code", "title_kind"]
        verbose_name = _("review chain assignment")
        verbose_name_plural = _("review chain assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "title_kind"], name="unique_chain_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} · {self.title_kind} → {self.chain.key}"
