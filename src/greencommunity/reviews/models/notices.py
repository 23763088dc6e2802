"""公示: a batch of candidates on a public page for a period in calendar or working days, with
an objection form. Every objection is resolved (upheld: the application goes back or is
rejected; dismissed with a reason) before naming. `Holiday` rows make the working-day calendar:
a holiday (is_workday False) or a make-up working day on a weekend (调休, is_workday True).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Region

from .applications import Application

DEFAULT_NOTICE_DAYS = 7


class DayBasis(models.TextChoices):
    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


class NoticeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("notice", "Open")
    CLOSED = "closed", _("Closed")


class PublicNotice(TimeStampedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="public_notices",
        verbose_name=_("published by"),
    )  # fmt: skip
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    day_basis = models.CharField(
        _("period counted in"), max_length=10, choices=DayBasis.choices,
        default=DayBasis.WORKING,
    )  # fmt: skip
    period_days = models.PositiveSmallIntegerField(_("period"), default=DEFAULT_NOTICE_DAYS)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))  # the last day objections are accepted
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self) -> str:
        return self.heading


class NoticeEntry(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="notice_entries")  # fmt: skip

    class Meta:
        ordering = ["notice_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="unique_notice_entry")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.application_id}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection from the public. The contact details are shown only to the reviewers who
    decide it; `client_hash` (a keyed hash of the client address) rate-limits submissions."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="objections")  # fmt: skip
    reason = models.TextField(_("reason"))
    contact_name = models.CharField(_("name"), max_length=50)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="objections/", max_length=200,
                                  blank=True)  # fmt: skip
    attachment_name = models.CharField(max_length=200, blank=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
    )  # fmt: skip
    # Upheld: "return" (back to the community) or "reject".
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.application_id} · {self.status}"


class Holiday(models.Model):
    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_workday = models.BooleanField(_("make-up working day"), default=False)

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
