from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL_TIME = "all"


def season_of(moment: dt.datetime) -> str:
    """The monthly season (YYYY-MM, Asia/Jakarta) a moment falls in."""
    return timezone.localtime(moment).strftime("%Y-%m")


class PointEntry(models.Model):
    """The append-only points ledger. Only leaderboard.services writes it."""

    class Reason(models.TextChoices):
        RECOGNITION = "recognition", _("Apresiasi dari atasan")
        RECOGNITION_REVOKED = "recognition_revoked", _("Pencabutan apresiasi")
        MODULE_COMPLETED = "module_completed", _("Modul pelatihan selesai")
        REPORT_ON_TIME = "report_on_time", _("Laporan periodik tepat waktu")
        CORRECTION = "correction", _("Koreksi oleh Admin BKPSDM")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="point_entries"
    )
    points = models.IntegerField(_("poin"))
    reason = models.CharField(_("alasan"), max_length=32, choices=Reason)
    key = models.CharField(_("kunci idempoten"), max_length=120, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="point_entries_created",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("entri poin")
        verbose_name_plural = _("entri poin")
        ordering = ["-pk"]
        constraints = [models.CheckConstraint(condition=~Q(points=0), name="point_entry_non_zero")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.points:+d} {self.reason}"

    @property
    def season(self) -> str:
        return season_of(self.created_at)


class ScoreQuerySet(models.QuerySet):
    def ranking(self, season: str) -> ScoreQuerySet:
        return self.filter(season=season).order_by("-total", "user_id").select_related("user")


class Score(models.Model):
    """A user's total per season (YYYY-MM) and all-time ("all"), kept with the ledger."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scores"
    )
    season = models.CharField(_("musim"), max_length=7)
    total = models.IntegerField(_("total poin"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("skor")
        verbose_name_plural = _("skor")
        constraints = [
            models.UniqueConstraint(fields=["user", "season"], name="score_unique_user_season")
        ]
        indexes = [models.Index(fields=["season", "-total", "user"], name="score_ranking_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.season}: {self.total}"
