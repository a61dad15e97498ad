"""The machine clients of the REST API (issue 18): tokens Admin BKPSDM hands out, with scopes."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import user_fk


class Scope(models.TextChoices):
    READ_REGISTER = "read:register", _("Baca register kepegawaian")
    WRITE_REGISTER = "write:register", _("Ubah register kepegawaian")
    READ_PERFORMANCE = "read:performance", _("Baca SKP dan kinerja")
    READ_TRAINING = "read:training", _("Baca sertifikat dan JP pelatihan")
    READ_RECOGNITION = "read:recognition", _("Baca poin dan lencana")


def hash_key(key: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 256 random bits, no salt needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_listing(self) -> ApiTokenQuerySet:
        return self.select_related("created_by", "revoked_by").order_by("-created_at", "-pk")


class ApiToken(models.Model):
    """A bearer token of one outside program. The secret is shown once and stored hashed."""

    name = models.CharField(_("nama klien"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("izin"), default=list)
    expires_at = models.DateTimeField(_("kedaluwarsa pada"))
    rate_per_minute = models.PositiveIntegerField(_("batas permintaan per menit"), default=120)
    revoked = models.BooleanField(_("dicabut"), default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = user_fk(related_name="+", optional=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    created_by = user_fk(_("dibuat oleh"), related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("token API")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked=False) | Q(revoked_at__isnull=False),
                name="api_token_revoked_has_time",
            ),
            models.CheckConstraint(condition=Q(rate_per_minute__gte=1), name="api_token_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.is_expired

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
