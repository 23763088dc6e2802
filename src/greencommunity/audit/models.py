from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events are append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events are append-only")


class Event(models.Model):
    """One append-only, hash-chained audit event: who did what to which object, before → after.

    `hash` = SHA-256 over the previous event's hash and this event's canonical content, so
    changing, removing or reordering any event breaks every hash after it. Database triggers
    refuse UPDATE and DELETE on this table (see the migration).
    """

    seq = models.BigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    summary = models.TextField(blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_label}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events are append-only")
