"""Rows the benchmark data writers share, built as the portal's services leave them (the
writers bulk-create them, skipping the services for speed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from leaderboard.models import ALL_TIME, Score, season_of
from leaderboard.rules import level_index
from training.models import Certificate, TrainingModulePage


def season_totals(points: Iterable[tuple[int, int, dt.datetime]]) -> dict[tuple[int, str], int]:
    """(user id, season) -> the points of `points` ((user id, points, when) each), for the
    month each was given in and for all time: what the Score rows hold."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for user_id, n, created in points:
        for season in (season_of(created), ALL_TIME):
            totals[(user_id, season)] += n
    return totals


def save_scores(totals: Mapping[tuple[int, str], int], *, batch_size: int, **fields) -> None:
    """The Score rows of `totals` ((user id, season) -> points), the level on the all-time one."""
    Score.objects.bulk_create(
        [
            Score(
                user_id=user_id,
                season=season,
                total=total,
                level=level_index(total) if season == ALL_TIME else 0,
                **fields,
            )
            for (user_id, season), total in totals.items()
        ],
        batch_size=batch_size,
    )


def issued_certificate(module: TrainingModulePage, holder, **fields) -> Certificate:
    """An unsaved certificate of `module` as `complete_module` issues it to `holder` (a user or
    a planned person: `full_name` and `nip`); `fields`: its code, user, score, date..."""
    return Certificate(
        module=module,
        holder_name=holder.full_name,
        holder_nip=holder.nip,
        module_title=module.title,
        jp=module.jp_hours,
        **fields,
    )
