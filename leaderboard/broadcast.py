"""Board events over the channel layer. Consumers deliver; they never decide.

Everything a board needs to update in place is computed here, after commit and before the one
`group_send` per entry, so the consumer never touches the database.
"""

from __future__ import annotations

import json
import logging

from channels.layers import get_channel_layer
from django.db.models import Q
from django.utils import translation

from portal.fanout import SocketGroup
from portal.layer import group_send_sync

from .board import board_meta
from .models import ALL_TIME, PointEntry, Recognition, Score
from .rules import board_row_key, display_name, level_name, shown_unit

logger = logging.getLogger(__name__)

BOARD_GROUP = "board"
BOARD_ENTRY = "board.entry"


def board_frame(event: dict) -> str | None:
    """The JSON a board socket receives for a board event (everything but the layer type)."""
    if event.get("type") != BOARD_ENTRY:
        return None
    return json.dumps({key: value for key, value in event.items() if key != "type"})


# The board's sockets in each process, fed by one listener (portal.fanout).
BOARD_SOCKETS = SocketGroup(BOARD_GROUP, frame=board_frame)


def entry_event(entry: PointEntry, *, totals: dict[str, tuple[int, int]] | None = None) -> dict:
    """The small JSON event a board needs to update in place; `seq` is the ledger id.

    Names are anonymised for employees who opted out (`user` and `unit` are then null and
    `row` is their anonymous key, see leaderboard.rules); `row` is an opaque per-person key
    shared with the snapshot; totals are absolute (applying an event
    twice changes nothing). `totals` ({season: (total, level)} for the entry's season and
    all-time) is what `award_points` got back from its score update; without it they are
    read. The unit and OPD names come from the board's cached unit map, and only a
    recognition entry looks up its recognition: an award from a report or a training module
    costs no query here.
    """
    user = entry.user
    season = entry.season
    if totals is None:
        totals = {
            s: (total, level)
            for s, total, level in Score.objects.filter(
                user_id=user.pk, season__in=[season, ALL_TIME]
            ).values_list("season", "total", "level")
        }
    _token, units = board_meta()
    opd_id = units.opd_of(user.org_unit_id)
    unit_id = shown_unit(user)  # none for an opted-out person (leaderboard.rules, 14.4)
    with translation.override("id"):
        event = {
            "type": BOARD_ENTRY,
            "seq": entry.pk,
            "user": None if user.board_opt_out else user.pk,
            "row": board_row_key(user),
            "name": display_name(user),
            "opd": opd_id,
            "opd_name": units.name_of(opd_id),
            "unit": unit_id,
            "unit_name": units.name_of(unit_id),
            "points": entry.points,
            "reason": entry.reason,
            "season": season,
            "season_total": totals.get(season, (0, 0))[0],
            "all_total": totals.get(ALL_TIME, (0, 0))[0],
            "level": level_name(totals.get(ALL_TIME, (0, 0))[1]),
            "recognition": None,
        }
        recognition = None
        if entry.reason in (PointEntry.Reason.RECOGNITION, PointEntry.Reason.RECOGNITION_REVOKED):
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


def publish_entry(entry: PointEntry, *, totals: dict[str, tuple[int, int]] | None = None) -> None:
    """Tell every open board about a committed ledger entry. Never raises: the ledger is the truth."""
    try:
        group_send_sync(get_channel_layer(), BOARD_GROUP, entry_event(entry, totals=totals))
    except Exception:
        logger.warning(
            "board broadcast failed for entry %s; clients will resync", entry.pk, exc_info=True
        )
