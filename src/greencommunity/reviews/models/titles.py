"""Titles (称号) and the naming decisions (命名决定) that grant them.

A title is held by a community: granted by a naming decision on the platform, or imported for
jurisdictions that named communities before adopting it (`source`). Its certificate number is
unique; its `public_id` is the key of the public verification page the plaque's QR code points
to. Status changes (rectification, revocation) keep the row: supervision builds on them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Community, Region


class TitleKind(models.TextChoices):
    GREEN = "green", _("Green community")  # 绿色社区
    DEMONSTRATION = (
        "demonstration",
        _("Provincial demonstration green community"),
    )  # 省级示范绿色社区


class TitleStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    UNDER_RECTIFICATION = "under_rectification", _("Under rectification")
    REVOKED = "revoked", _("Revoked")


class TitleSource(models.TextChoices):
    PLATFORM = "platform", _("Named on the platform")
    IMPORTED = "imported", _("Imported")


class NamingDecision(TimeStampedModel):
    """命名决定: one document (文号, date) naming a batch of communities."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="naming_decisions",
        verbose_name=_("issued by"),
    )  # fmt: skip
    title_kind = models.CharField(_("title"), max_length=20, choices=TitleKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    document_number = models.CharField(_("document number"), max_length=60)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    decided_on = models.DateField(_("decided on"))
    document = models.FileField(_("document"), upload_to="naming/", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("naming decision")
        verbose_name_plural = _("naming decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "document_number"], name="unique_naming_document_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.heading}"


class Title(TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="titles", verbose_name=_("community")
    )
    kind = models.CharField(_("title"), max_length=20, choices=TitleKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    named_on = models.DateField(_("named on"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TitleStatus.choices, default=TitleStatus.VALID
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=TitleSource.choices, default=TitleSource.PLATFORM
    )
    decision = models.ForeignKey(
        NamingDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="titles",
        verbose_name=_("naming decision"),
    )  # fmt: skip
    application = models.OneToOneField(
        "reviews.Application", on_delete=models.PROTECT, null=True, blank=True,
        related_name="title", verbose_name=_("application"),
    )  # fmt: skip
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-named_on", "certificate_number"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        indexes = [models.Index(fields=["kind", "named_on"], name="title_kind_named")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | models.Q(revoked_on__isnull=False),
                name="revoked_title_has_date",
            ),
            # A community holds each title once at a time; a revoked one may be earned again.
            models.UniqueConstraint(
                fields=["community", "kind"],
                condition=~models.Q(status="revoked"),
                name="one_live_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.community}"


class TitleConfig(TimeStampedModel):
    """A jurisdiction's title settings, inherited from the nearest ancestor (by code) that has
    them. `certificate_pattern` is a str.format pattern with {kind} (LSSQ for 绿色社区, SFLSSQ for
    the demonstration title), {year} and {seq} (the running number of that kind and year within
    the jurisdiction), e.g. "SC-{kind}-{year}-{seq:04d}" → SC-LSSQ-2022-0001. The demonstration
    quota: at most floor(quota_share × the city's urban communities) demonstration titles named
    from quota_start_year to quota_end_year."""

    region_code = models.CharField(_("division code"), max_length=12, unique=True)
    certificate_pattern = models.CharField(
        _("certificate number pattern"), max_length=60, default="{kind}-{year}-{seq:04d}"
    )
    quota_share = models.DecimalField(
        _("demonstration quota share"), max_digits=4, decimal_places=3, default=0.1
    )
    quota_start_year = models.PositiveSmallIntegerField(_("quota window from"), default=2020)
    quota_end_year = models.PositiveSmallIntegerField(_("quota window to"), default=2022)

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("title settings")
        verbose_name_plural = _("title settings")

    def __str__(self) -> str:
        return self.region_code
