"""Plans, targets, phases and creation lists of the campaign (实施方案 / 目标 / 阶段 / 创建名单).

A region's implementation plan carries its targets per year and its phases; a region without
its own target for a year uses the nearest ancestor's (the selectors say which). A creation list
names, per region and year, the communities in the campaign, pilots flagged.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Community, Region


class Plan(TimeStampedModel):
    """实施方案: the document and its due date to the level above. Its status (on time, late,
    missing) is computed from `due_on` and `submitted_on`."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="plans", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    document = models.FileField(_("document"), upload_to="plans/", max_length=200, blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    due_on = models.DateField(_("due to the level above"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["region_id", "-created_at"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        constraints = [models.UniqueConstraint(fields=["region"], name="one_plan_per_region")]

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    CERTIFIED_SHARE = "certified_share", _("Share of urban communities certified")
    CERTIFIED_COUNT = "certified_count", _("Communities certified")
    DEMONSTRATION_COUNT = "demonstration_count", _("Demonstration titles")
    PILOTS_PER_STREET = "pilots_per_street", _("Minimum pilots per street")
    PILOT_SHARE = "pilot_share", _("Pilot list as a share of all communities")


class Target(models.Model):
    """One target of a plan for a year: a share (0-1) or a count, with an optional due date
    (e.g. the pilot list's)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("target"), max_length=20, choices=TargetKind.choices)
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=3)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "year", "kind"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "kind"], name="unique_target"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.year} · {self.kind} = {self.value}"


class PhaseKind(models.TextChoices):
    PILOT = "pilot", _("Pilots first")  # 试点先行
    PROMOTION = "promotion", _("Promotion and demonstration")  # 推广示范
    CONSOLIDATION = "consolidation", _("Consolidation")  # 巩固提升 / 长效管理


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)  # open-ended when empty

    class Meta:
        ordering = ["plan_id", "starts_on"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.kind}"


class CreationList(TimeStampedModel):
    """创建名单 of a region for a year."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="creation_lists", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("creation list")
        verbose_name_plural = _("creation lists")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_creation_list_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.year}"


class CreationListEntry(models.Model):
    creation_list = models.ForeignKey(
        CreationList, on_delete=models.CASCADE, related_name="entries"
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="creation_entries",
        verbose_name=_("community"),
    )  # fmt: skip
    pilot = models.BooleanField(_("pilot"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["creation_list_id", "community_id"]
        verbose_name = _("creation list entry")
        verbose_name_plural = _("creation list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["creation_list", "community"], name="unique_creation_entry"
            )
        ]
        indexes = [models.Index(fields=["community", "pilot"], name="creation_entry_pilot")]

    def __str__(self) -> str:
        return f"{self.creation_list_id} · {self.community_id}"
