"""The only writers of the points ledger."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from portal.models import User

from .broadcast import publish_entry
from .models import ALL_TIME, PointEntry, Score, season_of


def _add_to_score(*, user_id: int, season: str, points: int) -> None:
    # UPDATE ... SET total = total + n is atomic per row; the insert race for a new
    # (user, season) row is settled by the unique constraint and a retry as UPDATE.
    if Score.objects.filter(user_id=user_id, season=season).update(total=F("total") + points):
        return
    try:
        with transaction.atomic():
            Score.objects.create(user_id=user_id, season=season, total=points)
    except IntegrityError:
        Score.objects.filter(user_id=user_id, season=season).update(total=F("total") + points)


@transaction.atomic
def award_points(
    *, user: User, points: int, reason: str, key: str, created_by: User | None = None
) -> PointEntry:
    """Record `points` for `user` once per `key`, and add them to the season and all-time scores.

    Idempotent: a second call with the same key returns the first entry and changes nothing.
    Boards hear of a new entry after the transaction commits (never of a rolled-back one).
    """
    existing = PointEntry.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            entry = PointEntry.objects.create(
                user=user, points=points, reason=reason, key=key, created_by=created_by
            )
    except IntegrityError:
        # A concurrent writer recorded the same key first.
        return PointEntry.objects.get(key=key)
    for season in (season_of(entry.created_at), ALL_TIME):
        _add_to_score(user_id=user.pk, season=season, points=points)
    transaction.on_commit(lambda: publish_entry(entry))
    return entry
