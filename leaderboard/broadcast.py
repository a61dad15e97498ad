"""Board events over the channel layer. Consumers deliver; they never decide."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

if TYPE_CHECKING:
    from .models import PointEntry

logger = logging.getLogger(__name__)

BOARD_GROUP = "board"


def entry_event(entry: PointEntry) -> dict:
    """The small JSON event a board needs to update in place; `seq` is the ledger id."""
    return {
        "type": "board.entry",
        "seq": entry.pk,
        "user": entry.user_id,
        "points": entry.points,
        "reason": entry.reason,
        "season": entry.season,
    }


def publish_entry(entry: PointEntry) -> None:
    """Tell every open board about a committed ledger entry. Never raises: the ledger is the truth."""
    try:
        async_to_sync(get_channel_layer().group_send)(BOARD_GROUP, entry_event(entry))
    except Exception:
        logger.warning(
            "board broadcast failed for entry %s; clients will resync", entry.pk, exc_info=True
        )
