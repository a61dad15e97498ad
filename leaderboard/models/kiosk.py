"""Kiosk links: signed addresses for office screens showing a board."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class KioskLinkQuerySet(models.QuerySet):
    def usable(self) -> KioskLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class KioskLink(models.Model):
    """A signed address for an office TV showing one OPD's board; Admin BKPSDM revokes it."""

    org_unit = models.ForeignKey(
        "portal.OrgUnit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.CASCADE,
        related_name="kiosk_links",
    )
    label = models.CharField(_("label layar"), max_length=120, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    objects = KioskLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("tautan layar kios")
        verbose_name_plural = _("tautan layar kios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or str(self.org_unit)
