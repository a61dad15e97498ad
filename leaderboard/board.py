"""Reads behind /papan/, its snapshot and the kiosk screen (no writes here).

A warm /papan/ costs one query of its own, whatever the number of people and ledger entries:
`PointEntry.objects.latest_seqs()` reads the latest seq and the latest recognition (two index lookups).
Everything else comes from the cache:

- `board_meta()`: a generation token and the unit map. `forget_board()` drops it when
  something changes that gives no new seq (a rename, an opt-out, a deactivation, a move, an
  org unit, a thank-you, a revocation); every other cache key contains the token.
- the top rows, the OPD ranking and the feed, under (token, seq, latest recognition,
  language, season, scope) — every ledger entry (the only thing that changes a Score) gives a
  new seq and so a new key;
- the page's shared parts (head, rows, feed, OPD table), cached as rendered HTML by the
  template (`{% cache %}` in templates/leaderboard/board.html) under the same key (`board_key`)
  plus what each part shows: the role, my OPD, my row when it is in the top, my name in the
  feed when only I see it; a request renders only what is its own (my position);
- my own standing (my total and how many rank above me), under (token, seq, season, scope,
  me): the rank count is the one read that grows with the number of people, so it runs once
  per person and seq (`viewer_standing`, one more query), not on every request.

`SNAPSHOT_TTL` bounds how long a change made without a signal (a bulk `update()`), or an entry
that commits after one with a higher id, can show late.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.models import OrgUnit, User
from portal.orgtree import UnitMap

from .models import ALL_TIME, PointEntry, Recognition, Score, season_of
from .rules import board_row_key, display_name, level_name, shown_unit

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


META_KEY = "board:meta:orgtree"  # renamed when the pickled UnitMap's class moves or changes


def board_meta() -> tuple[str, UnitMap]:
    """(generation token, unit map), cached together: one cache read instead of a query."""
    meta = cache.get(META_KEY)
    if meta is None:
        meta = (uuid.uuid4().hex[:16], OrgUnit.objects.unit_map())
        cache.set(META_KEY, meta, SNAPSHOT_TTL)
    return meta


def forget_board() -> None:
    """Drop every cached board part (they are all keyed by the generation token).

    Now, and again after the current transaction commits: a reader between the two could
    otherwise cache what the transaction had not yet changed."""
    cache.delete(META_KEY)
    transaction.on_commit(lambda: cache.delete(META_KEY))


# What a board shows of a person or a unit, besides scores: a save that may change it drops
# the cached board (a login's `last_login` update does not).
BOARD_USER_FIELDS = frozenset({"full_name", "board_opt_out", "is_active", "org_unit"})


def forget_board_on_user_change(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is None or BOARD_USER_FIELDS & set(update_fields):
        forget_board()


def forget_board_on_change(sender, instance, **kwargs) -> None:
    forget_board()


def _scope_filter(scope: str, *, units: UnitMap, opd_id: int | None, unit_id: int | None) -> Q:
    if scope == "opd":
        return Q(user__org_unit_id__in=units.units_of_opd(opd_id))
    if scope == "tim":
        return Q(user__org_unit_id=unit_id)
    return Q()


def _row(score: Score, rank: int, *, units: UnitMap, viewer: User | None) -> dict:
    user = score.user
    opd = units.opd_of(user.org_unit_id)
    unit = shown_unit(user)  # the rows are cached for everyone: no unit when anonymous
    return {
        "rank": rank,
        "row": board_row_key(user),
        "name": display_name(user, viewer),
        "unit": unit,
        "unit_name": units.name_of(unit),
        "opd": opd,
        "opd_name": units.name_of(opd),
        "total": score.total,
        "me": viewer is not None and viewer.pk == user.pk,
    }


def _my_row(viewer: User, *, rank: int, total: int, units: UnitMap) -> dict:
    opd = units.opd_of(viewer.org_unit_id)
    return {
        "rank": rank,
        "row": board_row_key(viewer),
        "name": display_name(viewer, viewer),
        "unit": viewer.org_unit_id,
        "unit_name": units.name_of(viewer.org_unit_id),
        "opd": opd,
        "opd_name": units.name_of(opd),
        "total": total,
        "me": True,
    }


def snapshot_key(kind: str, seq: int, *parts, token: str | None = None) -> str:
    """A cache key that a new ledger entry (a new latest seq) or `forget_board()` replaces."""
    token = token or board_meta()[0]
    return ":".join(["board", kind, token, str(seq), get_language() or "", *map(str, parts)])


def _top_rows(scores, *, units: UnitMap, top_n: int) -> list[tuple[int, dict]]:
    """(user id, row as anyone but that user sees it) for the top of a ranking."""
    top = scores.order_by("-total", "user_id").select_related("user")[:top_n]
    return [
        (score.user_id, _row(score, index + 1, units=units, viewer=None))
        for index, score in enumerate(top)
    ]


def _scores(season: str, scope: str, *, units: UnitMap, opd_id, unit_id):
    where = _scope_filter(scope, units=units, opd_id=opd_id, unit_id=unit_id)
    return Score.objects.filter(where, season=season_code(season), user__is_active=True)


def _scope_parts(scope: str, opd_id: int | None, unit_id: int | None) -> tuple:
    return (scope, opd_id if scope == "opd" else "", unit_id if scope == "tim" else "")


def _with_viewer(top: list[tuple[int, dict]], viewer: User | None) -> list[dict]:
    rows = []
    for user_id, row in top:
        if viewer is not None and viewer.pk == user_id:
            row = {**row, "me": True, "name": display_name(viewer, viewer)}
        rows.append(row)
    return rows


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
    scores = _scores(season, scope, units=units, opd_id=opd_id, unit_id=unit_id)
    if seq is None:
        top = _top_rows(scores, units=units, top_n=top_n)
    else:
        key = snapshot_key("top", seq, season_code(season), *_scope_parts(scope, opd_id, unit_id))
        key = f"{key}:{top_n}"
        top = cache.get(key)
        if top is None:
            top = _top_rows(scores, units=units, top_n=top_n)
            cache.set(key, top, SNAPSHOT_TTL)
    panel = Panel(
        season,
        scope,
        scope_label(scope, units.name_of(opd_id), units.name_of(unit_id)),
        _with_viewer(top, viewer),
    )
    if viewer is not None:
        mine = next((row for row in panel.rows if row["me"]), None)
        if mine is None:
            total = (
                scores.filter(user=viewer).values_list("total", flat=True).first()
                if (scope != "opd" or viewer.org_unit_id in units.units_of_opd(opd_id))
                else None
            )
            if total is not None:
                ahead = scores.filter(
                    Q(total__gt=total) | Q(total=total, user_id__lt=viewer.pk)
                ).count()
                mine = _my_row(viewer, rank=ahead + 1, total=total, units=units)
        panel.me = mine
    return panel


# --- the logged-in board: one query per request when warm ---------------------------------


@dataclass(frozen=True)
class Standing:
    total: int | None  # None: no score in this ranking
    ahead: int


def viewer_standing(
    *, viewer: User, season: str, scope: str, units: UnitMap, opd_id, unit_id
) -> Standing:
    """My total in this ranking (None: no score) and how many rank above me (as
    `ranking_panel` orders them): one query, uncached (`viewer_board` caches it)."""
    unit_ids = None  # the city
    if scope == "opd":
        unit_ids = sorted(units.units_of_opd(opd_id))
    elif scope == "tim":
        unit_ids = [unit_id]
    total, ahead = Score.objects.standing(
        season=season_code(season), user_id=viewer.pk, unit_ids=unit_ids
    )
    return Standing(total, ahead)


def _feed_items(*, seq: int, recognition: int, limit: int = 8) -> list[tuple[int, int, dict]]:
    """(giver id, receiver id, item as anyone but those two sees it) for the newest
    recognitions, cached under the latest recognition and seq (a revocation with points
    gives a new seq; a thank-you's revocation calls `forget_board()`)."""
    key = snapshot_key("feed", seq, recognition, limit)
    items = cache.get(key)
    if items is None:
        items = [(r.giver_id, r.receiver_id, feed_item(r)) for r in feed(limit=limit)]
        cache.set(key, items, SNAPSHOT_TTL)
    return items


def _feed_for(items: list[tuple[int, int, dict]], viewer: User | None) -> list[dict]:
    """The feed as `viewer` sees it: an opted-out viewer sees their own name."""
    if viewer is None or not viewer.board_opt_out:
        return [item for _giver, _receiver, item in items]
    mine = display_name(viewer, viewer)
    return [
        {
            **item,
            **({"giver": mine} if giver == viewer.pk else {}),
            **({"receiver": mine} if receiver == viewer.pk else {}),
        }
        for giver, receiver, item in items
    ]


def viewer_board(*, viewer: User, season: str, scope: str) -> dict:
    """Everything /papan/ and its snapshot show to `viewer`, from the cache when warm.

    The page's template caches its shared parts under `board_key` (the key of the data they
    show) and what else each part shows: `me_rank` (my rank when my row is in the top) and
    `feed_owner` (my id when the feed shows my name, which only I see when I opted out)."""
    token, units = board_meta()
    opd_id = units.opd_of(viewer.org_unit_id)
    unit_id = viewer.org_unit_id
    seq, recognition = PointEntry.objects.latest_seqs()
    top_n = settings.LEADERBOARD_TOP_N
    code, scope_parts = season_code(season), _scope_parts(scope, opd_id, unit_id)
    data_key = snapshot_key("view", seq, recognition, code, *scope_parts, top_n, token=token)
    # Mine alone, whatever the language: my total and rank change only with a new seq (a
    # ledger entry) or a new token (a deactivation or a move, which `forget_board()` follows).
    standing_key = ":".join(
        ["board", "standing", token, str(seq), code, *map(str, scope_parts), str(viewer.pk)]
    )
    found = cache.get_many([data_key, standing_key])
    data = found.get(data_key)
    if data is None:
        scores = _scores(season, scope, units=units, opd_id=opd_id, unit_id=unit_id)
        data = {
            "top": _top_rows(scores, units=units, top_n=top_n),
            "opds": opd_ranking(season=season, units=units, seq=seq),
            "feed": _feed_items(seq=seq, recognition=recognition),
        }
        cache.set(data_key, data, SNAPSHOT_TTL)
    panel = Panel(
        season,
        scope,
        scope_label(scope, units.name_of(opd_id), units.name_of(unit_id)),
        _with_viewer(data["top"], viewer),
    )
    panel.me = next((row for row in panel.rows if row["me"]), None)
    me_rank = panel.me["rank"] if panel.me is not None else ""
    if panel.me is None:  # below the top: my rank is counted once per seq
        if standing_key in found:
            standing = Standing(*found[standing_key])
        else:
            standing = viewer_standing(
                viewer=viewer, season=season, scope=scope, units=units, opd_id=opd_id,
                unit_id=unit_id,
            )  # fmt: skip
            cache.set(standing_key, (standing.total, standing.ahead), SNAPSHOT_TTL)
        if standing.total is not None:
            panel.me = _my_row(viewer, rank=standing.ahead + 1, total=standing.total, units=units)
    named = viewer.board_opt_out and any(viewer.pk in (g, r) for g, r, _item in data["feed"])
    return {
        "seq": seq,
        "panels": [panel],
        "opds": data["opds"],
        "feed": _feed_for(data["feed"], viewer),
        "my_opd": opd_id,
        "my_unit": unit_id,
        "my_row": board_row_key(viewer),
        "top_n": top_n,
        "board_key": data_key,
        "board_ttl": SNAPSHOT_TTL,
        "me_rank": me_rank,
        "feed_owner": viewer.pk if named else "",
    }


def choices() -> dict:
    """The season and scope choices above the board, labelled in the active language."""
    return {
        "seasons": [(s, season_label(s)) for s in SEASONS],
        "scopes": [(s, scope_label(s)) for s in SCOPES],
    }


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
    people = User.objects.active().filter(org_unit__isnull=False).values_list("org_unit_id")
    headcount = _per_opd(units, people.annotate(n=Count("pk")))
    scores = Score.objects.filter(season=code, user__is_active=True, user__org_unit__isnull=False)
    totals = _per_opd(units, scores.values_list("user__org_unit_id").annotate(total=Sum("total")))
    rows = [
        {
            "opd": opd,
            "name": units.name_of(opd),
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


def _per_opd(units: UnitMap, rows: Iterable[tuple[int, int | None]]) -> dict[int, int]:
    """(unit id, number) rows summed per OPD."""
    sums: dict[int, int] = {}
    for unit_id, n in rows:
        opd = units.opd_of(unit_id)
        sums[opd] = sums.get(opd, 0) + (n or 0)
    return sums


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
