"""Per-user socket groups: logging out closes the user's open sockets (DESIGN §7).

Every consumer that serves a logged-in user joins `user_group(user.pk)` and handles
`session.close` by closing with `SESSION_CLOSED_CODE`. The receiver below is connected to
Django's `user_logged_out` signal in `PortalConfig.ready()`: a signal, because it connects
things that should not know about each other (auth and the apps' consumers).
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

SESSION_CLOSE = "session.close"
# 4000-4999 are application codes; clients read 4001 as "the session ended, do not retry".
SESSION_CLOSED_CODE = 4001


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def close_user_sockets(user_id: int) -> None:
    """Ask every open socket of this user, in any process, to close. Never raises."""
    try:
        async_to_sync(get_channel_layer().group_send)(user_group(user_id), {"type": SESSION_CLOSE})
    except Exception:
        logger.warning("could not close the sockets of user %s", user_id, exc_info=True)


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        close_user_sockets(user.pk)
