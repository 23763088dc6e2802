import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from greencommunity.core.models import TimeStampedModel
from greencommunity.regions.models import Region

from .roles import Role


class User(AbstractUser):
    """An account. What it may do comes only from its role assignments."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    home_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home region"),
        help_text=_("The region whose administrators manage this account."),
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="role_assignments")
    department = models.CharField(
        _("department"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 民政局, for other departments"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="unique_role_on_region")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.region.name}"


class ApiToken(TimeStampedModel):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
