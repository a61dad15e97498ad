"""Kiosk links: signed addresses for office screens showing a board."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import org_unit_fk, user_fk


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class KioskLinkQuerySet(models.QuerySet):
    def usable(self) -> KioskLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class KioskLink(models.Model):
    """A signed address for an office TV showing one OPD's board; Admin BKPSDM revokes it."""

    org_unit = org_unit_fk(
        _("perangkat daerah"), related_name="kiosk_links", on_delete=models.CASCADE
    )
    label = models.CharField(_("label layar"), max_length=120, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = user_fk(related_name="+", on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    objects = KioskLinkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("tautan layar kios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or str(self.org_unit)
