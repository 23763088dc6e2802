from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel

from .codes import Level, code_prefix


class Region(TimeStampedModel):
    """One node of the administrative hierarchy, keyed by its 12-digit statistical code."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The subtree prefix (2/4/6/9/12 digits): `prefix__startswith` style scoping.
    prefix = models.CharField(max_length=12, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
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
