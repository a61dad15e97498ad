"""Reads behind /papan/, its snapshot and the kiosk screen (no writes here).

Query budget, independent of how many people and ledger entries exist: the unit map (1), the
latest seq (1), the top rows (1), my score and my rank (2), the OPD ranking (2), the feed (1).

The top rows and the OPD ranking are cached under the latest seq: every ledger entry (the
only thing that changes a Score) gives a new seq and so a new key, and a short TTL bounds how
long a renamed, moved or opted-out person can still show as before. With a warm cache the
ranking is the seq (1) plus my score and rank (2) when I am not in the top rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.models import User

from .models import ALL_TIME, PointEntry, Recognition, Score, season_of
from .rules import UnitMap, display_name, level_name, row_key

SEASONS = ("bulan", "semua")
SNAPSHOT_TTL = 60  # seconds
SCOPES = ("kota", "opd", "tim")


def season_code(season: str) -> str:
    return ALL_TIME if season == "semua" else season_of(timezone.now())


def season_label(season: str) -> str:
    return _("Sepanjang masa") if season == "semua" else _("Bulan ini")


def scope_label(scope: str, opd_name: str = "", unit_name: str = "") -> str:
    if scope == "opd":
        return opd_name or _("OPD saya")
    if scope == "tim":
        return unit_name or _("Tim saya")
    return _("Kota Bandung")


@dataclass
class Panel:
    season: str
    scope: str
    title: str
    rows: list[dict] = field(default_factory=list)
    me: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.season}-{self.scope}"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "season": self.season,
            "scope": self.scope,
            "title": self.title,
            "rows": self.rows,
            "me": self.me,
        }


def latest_seq() -> int:
    return PointEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _scope_filter(scope: str, *, units: UnitMap, opd_id: int | None, unit_id: int | None) -> Q:
    if scope == "opd":
        return Q(user__org_unit_id__in=units.unit_ids_of_opd(opd_id))
    if scope == "tim":
        return Q(user__org_unit_id=unit_id)
    return Q()


def _row(score: Score, rank: int, *, units: UnitMap, viewer: User | None) -> dict:
    user = score.user
    opd = units.opd_of(user.org_unit_id)
    return {
        "rank": rank,
        "row": row_key(user.pk),
        "name": display_name(user, viewer),
        "unit": user.org_unit_id,
        "unit_name": units.names.get(user.org_unit_id, ""),
        "opd": opd,
        "opd_name": units.names.get(opd, ""),
        "total": score.total,
        "me": viewer is not None and viewer.pk == user.pk,
    }


def snapshot_key(kind: str, seq: int, *parts) -> str:
    """A cache key that a new ledger entry (a new latest seq) replaces."""
    return ":".join(["board", kind, str(seq), get_language() or "", *(str(p) for p in parts)])


def _top_rows(scores, *, units: UnitMap, top_n: int) -> list[tuple[int, dict]]:
    """(user id, row as anyone but that user sees it) for the top of a ranking."""
    top = scores.order_by("-total", "user_id").select_related("user")[:top_n]
    return [
        (score.user_id, _row(score, index + 1, units=units, viewer=None))
        for index, score in enumerate(top)
    ]


def ranking_panel(
    *,
    season: str,
    scope: str,
    units: UnitMap,
    viewer: User | None = None,
    opd_id: int | None = None,
    unit_id: int | None = None,
    top_n: int | None = None,
    seq: int | None = None,
) -> Panel:
    """The top of one ranking (Score through its index) plus the viewer's own rank.

    With `seq` (the latest ledger id) the top rows come from the cache entry for that seq."""
    top_n = top_n or settings.LEADERBOARD_TOP_N
    code = season_code(season)
    where = _scope_filter(scope, units=units, opd_id=opd_id, unit_id=unit_id)
    scores = Score.objects.filter(where, season=code, user__is_active=True)
    if seq is None:
        top = _top_rows(scores, units=units, top_n=top_n)
    else:
        key = snapshot_key(
            "top",
            seq,
            code,
            scope,
            opd_id if scope == "opd" else "",
            unit_id if scope == "tim" else "",
            top_n,
        )
        top = cache.get(key)
        if top is None:
            top = _top_rows(scores, units=units, top_n=top_n)
            cache.set(key, top, SNAPSHOT_TTL)
    rows = []
    for user_id, row in top:
        if viewer is not None and viewer.pk == user_id:
            row = {**row, "me": True, "name": display_name(viewer, viewer)}
        rows.append(row)
    panel = Panel(
        season,
        scope,
        scope_label(scope, units.names.get(opd_id, ""), units.names.get(unit_id, "")),
        rows,
    )
    if viewer is not None:
        mine = next((row for row in panel.rows if row["me"]), None)
        if mine is None:
            total = (
                scores.filter(user=viewer).values_list("total", flat=True).first()
                if (scope != "opd" or viewer.org_unit_id in units.unit_ids_of_opd(opd_id))
                else None
            )
            if total is not None:
                ahead = scores.filter(
                    Q(total__gt=total) | Q(total=total, user_id__lt=viewer.pk)
                ).count()
                mine = {
                    "rank": ahead + 1,
                    "row": row_key(viewer.pk),
                    "name": display_name(viewer, viewer),
                    "unit": viewer.org_unit_id,
                    "unit_name": units.names.get(viewer.org_unit_id, ""),
                    "opd": units.opd_of(viewer.org_unit_id),
                    "opd_name": units.names.get(units.opd_of(viewer.org_unit_id), ""),
                    "total": total,
                    "me": True,
                }
        panel.me = mine
    return panel


def opd_ranking(*, season: str, units: UnitMap, seq: int | None = None) -> list[dict]:
    """OPDs by points per employee this season (two aggregate queries over Score and User),
    cached under `seq` when given."""
    if seq is not None:
        key = snapshot_key("opd", seq, season_code(season))
        rows = cache.get(key)
        if rows is None:
            rows = opd_ranking(season=season, units=units)
            cache.set(key, rows, SNAPSHOT_TTL)
        return rows
    code = season_code(season)
    headcount: dict[int, int] = {}
    for unit_id, n in (
        User.objects.active()
        .filter(org_unit__isnull=False)
        .values_list("org_unit_id")
        .annotate(n=Count("pk"))
    ):
        opd = units.opd_of(unit_id)
        headcount[opd] = headcount.get(opd, 0) + n
    totals: dict[int, int] = {}
    for unit_id, total in (
        Score.objects.filter(season=code, user__is_active=True, user__org_unit__isnull=False)
        .values_list("user__org_unit_id")
        .annotate(total=Sum("total"))
    ):
        opd = units.opd_of(unit_id)
        totals[opd] = totals.get(opd, 0) + (total or 0)
    rows = [
        {
            "opd": opd,
            "name": units.names.get(opd, ""),
            "total": totals.get(opd, 0),
            "headcount": n,
            "per_capita": round(totals.get(opd, 0) / n, 2) if n else 0,
        }
        for opd, n in headcount.items()
    ]
    rows.sort(key=lambda r: (-r["per_capita"], -r["total"], r["name"]))
    for index, row in enumerate(rows):
        row["rank"] = index + 1
    return rows


def feed_item(recognition: Recognition, viewer: User | None = None) -> dict:
    return {
        "id": recognition.pk,
        "giver": display_name(recognition.giver, viewer),
        "receiver": display_name(recognition.receiver, viewer),
        "value": recognition.value_name,
        "points": recognition.points,
        "message": recognition.message[:280],
        "created_at": recognition.created_at.isoformat(),
    }


def feed(*, limit: int = 8, season: str | None = None) -> list[Recognition]:
    recognitions = Recognition.objects.public()
    if season:
        recognitions = recognitions.in_season(season)
    return list(recognitions[:limit])


def my_standing(user: User) -> dict:
    """My points this month and all-time, my level: one query."""
    month = season_of(timezone.now())
    rows = {
        season: (total, level)
        for season, total, level in Score.objects.filter(
            user=user, season__in=[month, ALL_TIME]
        ).values_list("season", "total", "level")
    }
    level = rows.get(ALL_TIME, (0, 0))[1]
    return {
        "month": rows.get(month, (0, 0))[0],
        "all": rows.get(ALL_TIME, (0, 0))[0],
        "level": level,
        "level_name": level_name(level),
    }
