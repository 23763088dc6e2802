"""省级抽验: the province decides a batch of applications its cities passed.

The seed is fixed and shown before the draw. Candidates of each city are ranked by
SHA-256(seed ‖ community code) (hex, ascending) and the first max(1, ceil(share × k)) of each
city's k candidates are sampled, so anyone can recompute the sample without the platform.
Sampled applications are inspected; a failed one goes back to the city re-check step; the rest
of the batch is decided together, and that decision fills the province row of each 审批表.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Region

from .applications import Application


class SamplingStatus(models.TextChoices):
    OPEN = "open", _("Seed fixed")  # the seed is shown; candidates may still be listed
    DRAWN = "drawn", _("Drawn")  # the sample is fixed; inspections under way
    DECIDED = "decided", _("Decided")


class SamplingDraw(TimeStampedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sampling_draws",
        verbose_name=_("province"),
    )  # fmt: skip
    seed = models.CharField(_("seed"), max_length=64)
    share = models.DecimalField(_("share sampled"), max_digits=4, decimal_places=3)
    status = models.CharField(
        _("status"), max_length=10, choices=SamplingStatus.choices, default=SamplingStatus.OPEN
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("batch opinion"), blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    seal = models.ImageField(_("seal"), upload_to="seals/", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sampling draw")
        verbose_name_plural = _("sampling draws")

    def __str__(self) -> str:
        return f"{self.region} · {self.seed}"


class InspectionResult(models.TextChoices):
    PENDING = "pending", _("Not inspected yet")
    PASSED = "passed", pgettext_lazy("inspection", "Passed")
    FAILED = "failed", pgettext_lazy("inspection", "Failed")


class SamplingItem(models.Model):
    draw = models.ForeignKey(SamplingDraw, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="sampling_items")  # fmt: skip
    city_code = models.CharField(_("city"), max_length=12)
    rank_key = models.CharField(max_length=64)  # sha256(seed + community code), hex
    rank = models.PositiveIntegerField(_("rank in city"))
    sampled = models.BooleanField(_("sampled"), default=False)
    result = models.CharField(
        _("inspection result"), max_length=10, choices=InspectionResult.choices,
        default=InspectionResult.PENDING,
    )  # fmt: skip
    notes = models.TextField(_("inspection notes"), blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    inspected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw_id", "city_code", "rank"]
        verbose_name = _("sampled application")
        verbose_name_plural = _("sampled applications")
        constraints = [
            models.UniqueConstraint(fields=["draw", "application"], name="unique_sampling_item")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} · {self.application_id}"
