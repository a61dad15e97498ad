"""Recognitions: a giver recognises a receiver for a BerAKHLAK behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.domain import berakhlak_value
from portal.fields import not_same, nullable_fk, user_fk

from .ledger import PointEntry


@dataclass(frozen=True)
class Giving:
    """What a giver gave in one month: points (revoked ones too: they were spent) and
    thank-yous, against LEADERBOARD_MONTHLY_BUDGET and LEADERBOARD_MONTHLY_THANKS."""

    points: int
    thanks: int

    @property
    def points_left(self) -> int:
        return max(settings.LEADERBOARD_MONTHLY_BUDGET - self.points, 0)

    @property
    def thanks_left(self) -> int:
        return max(settings.LEADERBOARD_MONTHLY_THANKS - self.thanks, 0)


class RecognitionQuerySet(models.QuerySet):
    def active(self) -> RecognitionQuerySet:
        return self.filter(revoked_at__isnull=True)

    def monthly_giving(self, giver, *, season: str) -> Giving:
        """The giver's budget spent in `season` (YYYY-MM): one aggregate query."""
        given = self.filter(giver=giver, season=season).aggregate(
            spent=Sum("points"), thanks=Count("pk", filter=Q(points=0))
        )
        return Giving(points=given["spent"] or 0, thanks=given["thanks"])

    def in_season(self, season: str) -> RecognitionQuerySet:
        return self.filter(season=season)

    def received_between(self, user, start_date, end_date) -> RecognitionQuerySet:
        """Active recognition `user` received from `start_date` to `end_date` (inclusive,
        Asia/Jakarta), oldest first, with the giver: evidence for rating behaviour."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(start_date, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(end_date, dt.time.max, tzinfo=tz)
        return (
            self.active()
            .filter(receiver=user, created_at__range=(start, end))
            .select_related("giver")
            .order_by("created_at", "pk")
        )

    def with_people(self) -> RecognitionQuerySet:
        return self.select_related(
            "giver", "receiver", "receiver__org_unit", "giver__org_unit"
        ).order_by("-created_at", "-pk")

    def public(self) -> RecognitionQuerySet:
        """What may appear on public screens (the receiver's name is anonymised by the caller
        when they opted out)."""
        return self.active().with_people()

    def involving(self, user) -> RecognitionQuerySet:
        return self.filter(Q(giver=user) | Q(receiver=user))


class Recognition(models.Model):
    """A giver recognises a receiver for a BerAKHLAK behaviour; points 0 = a thank-you."""

    giver = user_fk(_("pemberi"), related_name="recognitions_given")
    receiver = user_fk(_("penerima"), related_name="recognitions_received")
    value = models.CharField(_("nilai BerAKHLAK"), max_length=40)
    message = models.TextField(_("pesan"), max_length=1000)
    points = models.PositiveIntegerField(_("poin"), default=0)
    season = models.CharField(_("musim"), max_length=7)
    key = models.CharField(_("kunci idempoten"), max_length=120, unique=True)
    entry = models.OneToOneField(
        PointEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="recognition"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = user_fk(related_name="recognitions_revoked", optional=True)
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoke_entry = models.OneToOneField(
        PointEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_recognition",
    )
    # The success story written from this recognition (cms hook "cms_story_created"). A string
    # FK: cms imports no domain app, and the story template lists `page.recognitions`.
    story = nullable_fk("cms.SuccessStoryPage", _("cerita"), related_name="recognitions")

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("apresiasi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            not_same("giver", "receiver", "recognition_not_self"),
        ]
        indexes = [
            models.Index(fields=["giver", "season"], name="recognition_giver_season_idx"),
            models.Index(fields=["receiver", "season"], name="recognition_recv_season_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} -> {self.receiver_id} {self.value} {self.points}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_thanks(self) -> bool:
        return self.points == 0

    @property
    def value_name(self) -> str:
        found = berakhlak_value(self.value)
        return found["name"] if found else self.value
