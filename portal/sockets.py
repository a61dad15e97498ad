"""Logging out closes the user's open sockets, in every process (DESIGN §7).

`close_user_sockets` sends one `session.close` event naming the user to `SESSIONS_GROUP`.
Each process that serves sockets of logged-in users has one listener in that group (for
the board: `leaderboard.fanout`), which closes that user's local sockets with
`SESSION_CLOSED_CODE`. One group for every process, not one per user: a socket costs no
channel or subscription of its own, and logouts are rare enough for every process to hear
each one. The receiver below is connected to Django's `user_logged_out` signal in
`PortalConfig.ready()`: a signal, because it connects things that should not know about each
other (auth and the apps' sockets).
"""

import logging

from channels.layers import get_channel_layer

from .layer import group_send_sync

logger = logging.getLogger(__name__)

SESSIONS_GROUP = "sessions"
SESSION_CLOSE = "session.close"
# 4000-4999 are application codes; clients read 4001 as "the session ended, do not retry".
SESSION_CLOSED_CODE = 4001


def session_close_event(user_id: int) -> dict:
    return {"type": SESSION_CLOSE, "user": user_id}


def close_user_sockets(user_id: int) -> None:
    """Ask every open socket of this user, in any process, to close. Never raises."""
    try:
        group_send_sync(get_channel_layer(), SESSIONS_GROUP, session_close_event(user_id))
    except Exception:
        logger.warning("could not close the sockets of user %s", user_id, exc_info=True)


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        close_user_sockets(user.pk)
