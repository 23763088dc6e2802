from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel

from .codes import Level, code_prefix


class Region(TimeStampedModel):
    """One node of the administrative hierarchy, keyed by its 12-digit statistical code.

    A region is valid from `valid_from` (open when empty) until the day before `valid_to` (open
    when empty); a division change closes old regions and opens new ones (`DivisionChange`).
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The subtree prefix (2/4/6/9/12 digits), derived from code and level.
    prefix = models.CharField(max_length=12, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.prefix = code_prefix(self.code, self.level)
        super().save(*args, **kwargs)

    def contains(self, code: str) -> bool:
        """Whether the region with `code` lies in this region's subtree (itself included)."""
        return code.startswith(self.prefix)


def valid_on_q(day, prefix: str = "") -> Q:  # type: ignore[no-untyped-def]
    """Regions that existed on `day` (through the relation `prefix`, e.g. "region__")."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


class CommunityKind(models.TextChoices):
    RESIDENTS = "residents", _("Residents' committee")
    VILLAGERS = "villagers", _("Villagers' committee")
    OTHER = "other", _("Other")


class Community(TimeStampedModel):
    """What the registry knows about a community-level region (社区信息库)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="community"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommunityKind.choices)
    urban_rural_code = models.CharField(_("urban-rural class code"), max_length=3, blank=True)
    urban_override = models.BooleanField(
        _("urban (override)"),
        null=True,
        blank=True,
        help_text=_("Empty: decided by kind and urban-rural class code."),
    )
    address = models.CharField(_("committee address"), max_length=200, blank=True)
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    leader_phone = models.CharField(_("leader's phone"), max_length=30, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return str(self.region)

    @property
    def is_urban(self) -> bool:
        if self.urban_override is not None:
            return self.urban_override
        return self.kind == CommunityKind.RESIDENTS and not self.urban_rural_code.startswith("2")


def urban_q(prefix: str = "") -> Q:
    """Urban communities, the campaign's objects (the same rule as `Community.is_urban`)."""
    p = prefix
    by_rule = Q(**{f"{p}urban_override__isnull": True, f"{p}kind": CommunityKind.RESIDENTS}) & ~Q(
        **{f"{p}urban_rural_code__startswith": "2"}
    )
    return Q(**{f"{p}urban_override": True}) | by_rule


class RenovationStatus(models.TextChoices):
    NONE = "none", _("Not in a programme")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Compound(TimeStampedModel):
    """A residential compound (小区) inside a community; renovation is counted by compound."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="compounds")
    name = models.CharField(_("name"), max_length=100)
    build_year = models.PositiveSmallIntegerField(_("build year"), null=True, blank=True)
    renovation_status = models.CharField(
        _("old-residential renovation"),
        max_length=12,
        choices=RenovationStatus.choices,
        default=RenovationStatus.NONE,
    )
    renovation_year = models.PositiveSmallIntegerField(_("renovation year"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="unique_compound_name")
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    COMPUTED = "computed", _("Computed")


class Indicator(models.Model):
    """A yearly metric of a community (catalogue row), e.g. green ratio %."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    required_for_survey = models.BooleanField(_("required by the baseline survey"), default=True)
    computed = models.BooleanField(_("computed by the platform"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class IndicatorValue(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)

    class Meta:
        ordering = ["year", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "indicator", "year"], name="unique_indicator_value"
            )
        ]


class ChangeKind(models.TextChoices):
    RENAME = "rename", _("Rename")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    MOVE = "move", _("Move")
    RECODE = "recode", _("New code")
    ABOLISH = "abolish", _("Abolish")


class DivisionChange(TimeStampedModel):
    """A change of divisions on a date: old regions close, new ones open, linked old → new."""

    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    effective_on = models.DateField(_("effective on"))
    document = models.CharField(_("approving document"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    old_name = models.CharField(max_length=100, blank=True)  # renames keep the old name here

    class Meta:
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"


class DivisionChangeLink(models.Model):
    change = models.ForeignKey(DivisionChange, on_delete=models.CASCADE, related_name="links")
    old_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="successor_links")
    new_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="predecessor_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["change", "old_region", "new_region"], name="unique_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_region_id} → {self.new_region_id}"
