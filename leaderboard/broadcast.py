"""Board events over the channel layer. Consumers deliver; they never decide.

Everything a board needs to update in place is computed here, after commit and before the one
`group_send` per entry, so the consumer never touches the database.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models import Q
from django.utils import translation

if TYPE_CHECKING:
    from .models import PointEntry

logger = logging.getLogger(__name__)

BOARD_GROUP = "board"


def entry_event(entry: PointEntry) -> dict:
    """The small JSON event a board needs to update in place; `seq` is the ledger id.

    Names are anonymised for employees who opted out (`user` is then null); `row` is an
    opaque per-person key shared with the snapshot; totals are absolute (applying an event
    twice changes nothing).
    """
    from .models import ALL_TIME, Recognition, Score
    from .rules import display_name, level_name, row_key

    user = entry.user
    season = entry.season
    totals = {
        s: (total, level)
        for s, total, level in Score.objects.filter(
            user_id=user.pk, season__in=[season, ALL_TIME]
        ).values_list("season", "total", "level")
    }
    unit = user.org_unit
    opd = unit.perangkat_daerah if unit else None
    with translation.override("id"):
        event = {
            "type": "board.entry",
            "seq": entry.pk,
            "user": None if user.board_opt_out else user.pk,
            "row": row_key(user.pk),
            "name": display_name(user),
            "opd": opd.pk if opd else None,
            "opd_name": opd.display_name if opd else "",
            "unit": unit.pk if unit else None,
            "unit_name": unit.display_name if unit else "",
            "points": entry.points,
            "reason": entry.reason,
            "season": season,
            "season_total": totals.get(season, (0, 0))[0],
            "all_total": totals.get(ALL_TIME, (0, 0))[0],
            "level": level_name(totals.get(ALL_TIME, (0, 0))[1]),
            "recognition": None,
        }
        recognition = (
            Recognition.objects.select_related("giver")
            .filter(Q(entry=entry) | Q(revoke_entry=entry))
            .first()
        )
        if recognition is not None:
            event["recognition"] = {
                "id": recognition.pk,
                "giver": display_name(recognition.giver),
                "receiver": event["name"],
                "value": recognition.value_name,
                "points": recognition.points,
                "message": recognition.message[:280],
                "revoked": recognition.revoke_entry_id == entry.pk,
            }
    return event


def publish_entry(entry: PointEntry) -> None:
    """Tell every open board about a committed ledger entry. Never raises: the ledger is the truth."""
    try:
        async_to_sync(get_channel_layer().group_send)(BOARD_GROUP, entry_event(entry))
    except Exception:
        logger.warning(
            "board broadcast failed for entry %s; clients will resync", entry.pk, exc_info=True
        )
