"""Creation standards (创建标准/指标体系): a standard has areas, each mapped to one of the five
national areas, and criteria scored met / not met or by points, with a pass rule."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Indicator, Region

NATIONAL_AREAS = {
    1: "建立健全社区人居环境建设和整治机制",
    2: "推进社区基础设施绿色化",
    3: "营造社区宜居环境",
    4: "提高社区信息化智能化水平",
    5: "培育社区绿色文化",
}


class ScoringMode(models.TextChoices):
    MET = "met", _("Met / not met")
    POINTS = "points", _("Points")


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Standard(TimeStampedModel):
    """One version of a standard. A published version is never changed; edits make a new one."""

    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    # The issuing jurisdiction by its 12-digit code (blank: national). A code, not a foreign key:
    # built-in standards exist before a deployment has imported its regions.
    issuing_code = models.CharField(_("issuing region code"), max_length=12, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refinements",
        verbose_name=_("refines"),
    )  # fmt: skip
    source = models.CharField(_("source document"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    scoring_mode = models.CharField(_("scoring"), max_length=10, choices=ScoringMode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=StandardStatus.choices, default=StandardStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    # The pass rule; the conditions that are set must all hold. None set: no pass mark yet.
    pass_all_met = models.BooleanField(_("every criterion met"), default=False)
    pass_min_met = models.PositiveSmallIntegerField(_("at least N criteria met"), null=True,
                                                    blank=True)  # fmt: skip
    pass_min_total = models.DecimalField(
        _("total at least"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    pass_no_veto_failed = models.BooleanField(_("no veto criterion failed"), default=False)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_standard_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def has_pass_rule(self) -> bool:
        return bool(
            self.pass_all_met
            or self.pass_min_met is not None
            or self.pass_min_total is not None
            or self.pass_no_veto_failed
        )


class Area(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    national_area = models.PositiveSmallIntegerField(
        _("national area"), choices=sorted(NATIONAL_AREAS.items())
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="unique_area_number")
        ]

    def __str__(self) -> str:
        return self.name


class Operator(models.TextChoices):
    GE = ">=", "≥"
    GT = ">", ">"
    LE = "<=", "≤"
    LT = "<", "<"


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("criterion"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.TextField(_("evidence expected"), blank=True)
    departments = models.TextField(_("responsible departments"), blank=True)
    veto = models.BooleanField(_("veto"), default=False)
    # An optional numeric rule on a yearly indicator of the community registry.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="criteria"
    )
    operator = models.CharField(max_length=2, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    parent_criterion = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="refinements"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="unique_criterion_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class SubCondition(models.Model):
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="sub_conditions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.text[:40]


class StandardAdoption(TimeStampedModel):
    """The standard in force in a region from a date (inherited by the regions below it)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="adoptions")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="adoptions")
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["region__code", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.region} · {self.standard}"
