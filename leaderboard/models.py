from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL_TIME = "all"


def _new_salt() -> str:
    return secrets.token_hex(8)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


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
    # On the all-time row only: the highest level reached (an index into
    # LEADERBOARD_LEVELS). It never goes down, even after a revocation.
    level = models.PositiveSmallIntegerField(_("level"), default=0)
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


class RecognitionQuerySet(models.QuerySet):
    def active(self) -> RecognitionQuerySet:
        return self.filter(revoked_at__isnull=True)

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

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemberi"),
        on_delete=models.PROTECT,
        related_name="recognitions_given",
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.PROTECT,
        related_name="recognitions_received",
    )
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
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions_revoked",
    )
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
    story = models.ForeignKey(
        "cms.SuccessStoryPage",
        verbose_name=_("cerita"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
    )

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("apresiasi")
        verbose_name_plural = _("apresiasi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="recognition_not_self"
            ),
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
        from portal.domain import berakhlak_value

        found = berakhlak_value(self.value)
        return found["name"] if found else self.value


class Badge(models.Model):
    """A badge definition, edited in the Wagtail admin, awarded by a rule over the ledger."""

    class Rule(models.TextChoices):
        REASON_COUNT = "reason_count", _("Jumlah entri dengan alasan tertentu")
        TOTAL_POINTS = "total_points", _("Total poin sepanjang masa")
        DISTINCT_VALUES = "distinct_values", _("Jumlah nilai BerAKHLAK berbeda yang diterima")
        RECOGNITIONS_RECEIVED = "recognitions_received", _("Jumlah apresiasi yang diterima")
        RECOGNITIONS_GIVEN = "recognitions_given", _("Jumlah apresiasi yang diberikan")

    name = models.CharField(_("nama"), max_length=80)
    slug = models.SlugField(_("kode"), max_length=80, unique=True)
    description = models.TextField(_("deskripsi"), max_length=500)
    criteria = models.TextField(_("kriteria"), max_length=500, blank=True)
    icon = models.CharField(
        _("ikon"),
        max_length=40,
        default="award",
        help_text=_("Nama ikon Bootstrap Icons, misalnya award, star, heart."),
    )
    rule = models.CharField(_("aturan"), max_length=32, choices=Rule)
    reason = models.CharField(
        _("alasan entri"),
        max_length=32,
        choices=PointEntry.Reason,
        blank=True,
        help_text=_("Hanya untuk aturan 'Jumlah entri dengan alasan tertentu'."),
    )
    threshold = models.PositiveIntegerField(_("ambang"), default=1)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lencana")
        verbose_name_plural = _("lencana")
        ordering = ["threshold", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule="reason_count") | ~Q(reason=""),
                name="badge_reason_rule_has_reason",
                violation_error_message=_("Aturan jumlah entri memerlukan alasan entri."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    """A badge earned once by a person; public as an Open Badges 2.0 hosted assertion."""

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    entry = models.ForeignKey(
        PointEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="badge_awards"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lencana diraih")
        verbose_name_plural = _("lencana diraih")
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="badge_award_once"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} — {self.user_id}"


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
