import json
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core import signing

from portal.sockets import SESSION_CLOSED_CODE, user_group

from .fanout import board_frame, fanout_for

# The board is one-way: clients have nothing to say, so anything bigger than a tiny
# message is abuse. (Daphne caps frames too: --websocket-max-message-size, docs/deploy.md.)
MAX_CLIENT_MESSAGE = 4096
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_MESSAGE_TOO_BIG = 1009

KIOSK_TICKET_SALT = "leaderboard.kiosk"
KIOSK_TICKET_MAX_AGE = 15 * 60


def kiosk_ticket_valid(query_string: bytes) -> bool:
    """A kiosk screen has no session: it shows a short-lived ticket signed by the kiosk view
    (which checked the link is not revoked). Checking it needs no database."""
    ticket = parse_qs(query_string.decode("latin-1")).get("ticket", [""])[0]
    if not ticket:
        return False
    try:
        data = signing.loads(ticket, salt=KIOSK_TICKET_SALT, max_age=KIOSK_TICKET_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and "kiosk" in data


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """Pushes board events (JSON, each with `seq`) to logged-in users and kiosk screens.
    Server to client only; everything in an event was computed before it was sent.

    Board events reach the socket through the process's one board listener
    (`leaderboard.fanout`), not through a group membership per socket; the consumer keeps
    its own channel for anything addressed to it or to its other groups (e.g. logout)."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        allowed = (user is not None and user.is_authenticated) or kiosk_ticket_valid(
            self.scope.get("query_string", b"")
        )
        if not allowed:
            await self.close()
            return
        self.board = fanout_for(self.channel_layer)
        await self.board.start()
        await self.join_user_group()
        await self.accept()
        # No await between accept and add: every event the listener hears from now on is
        # written to this socket.
        self.board.add(self)

    async def disconnect(self, code: int) -> None:
        board = getattr(self, "board", None)
        if board is not None:
            await board.remove(self)
        await self.leave_user_group()

    async def receive_json(self, content, **kwargs) -> None:
        # The board is one-way; clients have nothing to say.
        return

    async def board_entry(self, event: dict) -> None:
        # An event sent to this consumer's own channel (board events normally come
        # through the fan-out).
        await self.send(text_data=board_frame(event))

    # --- issue 9 (trust): logout closes the socket (portal.sockets); bad frames close it ---
    async def join_user_group(self) -> None:
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:  # kiosk screens have no user
            self.user_group = user_group(user.pk)
            await self.channel_layer.group_add(self.user_group, self.channel_name)

    async def leave_user_group(self) -> None:
        if getattr(self, "user_group", None):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs
    ):
        # Client input never reaches any logic: binary, oversized or malformed frames close
        # the socket (nothing raises in the server), well-formed JSON is ignored.
        if text_data is None:
            await self.close(code=CLOSE_UNSUPPORTED_DATA)
        elif len(text_data) > MAX_CLIENT_MESSAGE:
            await self.close(code=CLOSE_MESSAGE_TOO_BIG)
        else:
            try:
                content = json.loads(text_data)
            except (ValueError, RecursionError):  # e.g. 4,000 nested brackets
                await self.close(code=CLOSE_UNSUPPORTED_DATA)
                return
            await self.receive_json(content)

    async def session_close(self, event: dict) -> None:
        """The user logged out (portal.sockets): this socket goes too."""
        await self.close(code=SESSION_CLOSED_CODE)

    # --- end issue 9 -----------------------------------------------------------------------
