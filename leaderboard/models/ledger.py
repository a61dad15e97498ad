"""The points ledger and the scores kept with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import user_fk
from portal.sql import names

ALL_TIME = "all"


def season_of(moment: dt.datetime) -> str:
    """The monthly season (YYYY-MM, Asia/Jakarta) a moment falls in."""
    return timezone.localtime(moment).strftime("%Y-%m")


# The columns `insert_once` writes (the id comes back from the database).
ENTRY_COLUMNS = ("user", "points", "reason", "key", "created_by", "created_at")


class PointEntryQuerySet(models.QuerySet):
    def insert_once(self, entry: PointEntry) -> int | None:
        """INSERT `entry` unless its key exists; its new id, or None when the key was taken.

        One statement instead of a read, a savepoint and an insert: on PostgreSQL a
        concurrent insert of the same key waits for the other transaction, and DO NOTHING
        applies once it commits (the caller then reads that entry).
        """
        fields = [self.model._meta.get_field(name) for name in ENTRY_COLUMNS]
        p = names(self.model, *ENTRY_COLUMNS)
        sql = (
            f"INSERT INTO {p.table} ({', '.join(getattr(p, name) for name in ENTRY_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({p.key}) DO NOTHING RETURNING {p.pk}"
        )
        params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0] if row else None

    def latest_seqs(self) -> tuple[int, int]:
        """(latest ledger entry id, latest recognition id), 0 for none: one query, two index
        lookups (the primary keys). Together they key every cached part of the board."""
        # Recognition through its one-to-one `entry` (its module imports this one).
        p, r = names(self.model), names(self.model._meta.get_field("recognition").related_model)
        sql = f"SELECT (SELECT MAX({p.pk}) FROM {p.table}), (SELECT MAX({r.pk}) FROM {r.table})"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            seq, recognition = cursor.fetchone()
        return seq or 0, recognition or 0


class PointEntry(models.Model):
    """The append-only points ledger. Only leaderboard.services writes it."""

    class Reason(models.TextChoices):
        RECOGNITION = "recognition", _("Apresiasi dari atasan")
        RECOGNITION_REVOKED = "recognition_revoked", _("Pencabutan apresiasi")
        MODULE_COMPLETED = "module_completed", _("Modul pelatihan selesai")
        REPORT_ON_TIME = "report_on_time", _("Laporan periodik tepat waktu")
        CORRECTION = "correction", _("Koreksi oleh Admin BKPSDM")

    user = user_fk(related_name="point_entries")
    points = models.IntegerField(_("poin"))
    reason = models.CharField(_("alasan"), max_length=32, choices=Reason)
    key = models.CharField(_("kunci idempoten"), max_length=120, unique=True)
    created_by = user_fk(related_name="point_entries_created", optional=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PointEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("entri poin")
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

    def add_points(
        self, *, user_id: int, seasons: tuple[str, ...], points: int
    ) -> dict[str, tuple[int, int]]:
        """Add `points` to the user's score in each season; {season: (total, level)} after it.

        One upsert for all seasons: a missing (user, season) row is created, an existing one
        gets `total = total + points` (which takes its row lock until commit, so concurrent
        awards to one person add up and run one at a time from here on). Rows are always
        written in the order given (the season, then all-time), so two writers cannot
        deadlock on them.
        """
        s = names(self.model, "user", "season", "total", "level", "updated_at")
        updated = self.model._meta.get_field("updated_at")
        now = updated.get_db_prep_save(timezone.now(), connection)
        sql = (
            f"INSERT INTO {s.table} ({s.user}, {s.season}, {s.total}, {s.level}, {s.updated_at}) "
            f"VALUES {', '.join(['(%s, %s, %s, 0, %s)'] * len(seasons))} "
            f"ON CONFLICT ({s.user}, {s.season}) DO UPDATE SET "
            f"{s.total} = {s.table}.{s.total} + excluded.{s.total}, "
            f"{s.updated_at} = excluded.{s.updated_at} "
            f"RETURNING {s.season}, {s.total}, {s.level}"
        )
        params = [value for season in seasons for value in (user_id, season, points, now)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {season: (total, level) for season, total, level in cursor.fetchall()}

    def standing(
        self, *, season: str, user_id: int, unit_ids: Sequence[int | None] | None = None
    ) -> tuple[int | None, int]:
        """(my total in this ranking or None, how many active people rank above me), as
        `ranking()` orders them, among active people in `unit_ids` (None: the whole city;
        [None]: people in no unit).

        Hand-written: the same statement through the ORM (Subquery expressions) cost several
        milliseconds of CPU to compile, several times its run time. Anchored on a one-row
        derived table so that it returns one row whether or not I have a score. City-wide,
        `ahead` counts every score above mine (an index-only scan of the ranking index, no
        join), less those of deactivated people (through their partial index); in units it
        joins the people for their unit.
        """
        s = names(self.model, "user", "season", "total")
        u = names(self.model._meta.get_field("user").related_model, "is_active", "org_unit")
        join = f"{s.table} s INNER JOIN {u.table} u ON u.{u.pk} = s.{s.user}"
        params = [pk for pk in unit_ids or () if pk is not None]
        if unit_ids is None:
            scope = ""
        elif len(params) > 1:
            scope = f" AND u.{u.org_unit} IN ({', '.join(['%s'] * len(params))})"
        elif params:
            scope = f" AND u.{u.org_unit} = %s"
        else:  # [None]: people in no unit; []: nobody
            scope = f" AND u.{u.org_unit} IS NULL" if unit_ids else " AND 1 = 0"
        above = f"(s.{s.total} > mine.total OR (s.{s.total} = mine.total AND s.{s.user} < %s))"
        if scope:
            ahead = (
                f"(SELECT COUNT(*) FROM {join} WHERE s.{s.season} = %s AND u.{u.is_active}"
                f"{scope} AND {above})"
            )
            ahead_params = [season, *params, user_id]
        else:
            ahead = (
                f"((SELECT COUNT(*) FROM {s.table} s WHERE s.{s.season} = %s AND {above})"
                f" - (SELECT COUNT(*) FROM {join} WHERE NOT u.{u.is_active}"
                f" AND s.{s.season} = %s AND {above}))"
            )
            ahead_params = [season, user_id] * 2
        sql = (
            f"SELECT mine.total, {ahead} FROM (SELECT (SELECT s.{s.total} FROM {join} "
            f"WHERE s.{s.season} = %s AND s.{s.user} = %s AND u.{u.is_active}{scope}) AS total"
            ") mine"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ahead_params, season, user_id, *params])
            total, ahead_count = cursor.fetchone()
        return total, ahead_count or 0


class Score(models.Model):
    """A user's total per season (YYYY-MM) and all-time ("all"), kept with the ledger."""

    user = user_fk(related_name="scores", on_delete=models.CASCADE)
    season = models.CharField(_("musim"), max_length=7)
    total = models.IntegerField(_("total poin"), default=0)
    # On the all-time row only: the highest level reached (an index into
    # LEADERBOARD_LEVELS). It never goes down, even after a revocation.
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("skor")
        constraints = [
            models.UniqueConstraint(fields=["user", "season"], name="score_unique_user_season")
        ]
        indexes = [models.Index(fields=["season", "-total", "user"], name="score_ranking_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.season}: {self.total}"
