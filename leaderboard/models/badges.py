"""Badges, edited in the Wagtail admin and awarded by a rule over the ledger."""

from __future__ import annotations

import functools
import secrets
import uuid

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import user_fk
from portal.sql import names

from .ledger import ALL_TIME, PointEntry, Score
from .recognitions import Recognition


def _new_salt() -> str:
    return secrets.token_hex(8)


@functools.cache
def _badges_due_sql() -> str:
    """`BadgeQuerySet.due_for` as one statement, written once per process. Parameters: the
    user five times and the all-time total (NULL: read it). Each rule's measure is evaluated
    only for the badges that use it."""
    b = names(Badge, "rule", "reason", "active", "threshold")
    a = names(BadgeAward, "badge", "user")
    p = names(PointEntry, "user", "points", "reason")
    r = names(Recognition, "revoked_at", "receiver", "giver", "value")
    s = names(Score, "user", "season", "total")
    recognitions = f"{r.table} r WHERE r.{r.revoked_at} IS NULL"
    all_time = (
        f"SELECT s.{s.total} FROM {s.table} s WHERE s.{s.user} = %s AND s.{s.season} = '{ALL_TIME}'"
    )
    rule = Badge.Rule
    return (
        f"SELECT b.{b.pk} FROM {b.table} b WHERE b.{b.active} AND NOT EXISTS (SELECT 1 FROM "
        f"{a.table} a WHERE a.{a.badge} = b.{b.pk} AND a.{a.user} = %s) "
        f"AND b.{b.threshold} <= CASE b.{b.rule} "
        f"WHEN '{rule.REASON_COUNT}' THEN (SELECT COUNT(*) FROM {p.table} p "
        f"WHERE p.{p.user} = %s AND p.{p.points} > 0 AND p.{p.reason} = b.{b.reason}) "
        f"WHEN '{rule.TOTAL_POINTS}' THEN COALESCE(%s, ({all_time}), 0) "
        f"WHEN '{rule.DISTINCT_VALUES}' THEN (SELECT COUNT(DISTINCT r.{r.value}) "
        f"FROM {recognitions} AND r.{r.receiver} = %s) "
        f"WHEN '{rule.RECOGNITIONS_RECEIVED}' THEN (SELECT COUNT(*) "
        f"FROM {recognitions} AND r.{r.receiver} = %s) "
        f"WHEN '{rule.RECOGNITIONS_GIVEN}' THEN (SELECT COUNT(*) "
        f"FROM {recognitions} AND r.{r.giver} = %s) "
        "ELSE -1 END "  # an unknown rule never awards
        f"ORDER BY b.{b.threshold}, b.{b.pk}"
    )


class BadgeQuerySet(models.QuerySet):
    def due_for(self, user_id: int, *, total: int | None = None) -> list[int]:
        """The ids of the active badges the user has not earned and whose rule they now meet
        (`total`: their all-time points, when the caller has just computed them).

        Hand-written because the same query through the ORM (a Case over five Subquery
        measures) cost about 8 ms of query building per award in the report-submission
        benchmark; this costs a fraction of a millisecond.
        """
        params = [user_id, user_id, total, user_id, user_id, user_id, user_id]
        with connection.cursor() as cursor:
            cursor.execute(_badges_due_sql(), params)
            return [row[0] for row in cursor.fetchall()]


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

    objects = BadgeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("lencana")
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
    user = user_fk(related_name="badge_awards", on_delete=models.CASCADE)
    entry = models.ForeignKey(
        PointEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="badge_awards"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("lencana diraih")
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="badge_award_once"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} — {self.user_id}"
