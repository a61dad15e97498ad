from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core import signing

from .fanout import board_frame, fanout_for

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
    its own channel for anything addressed to it or to its other groups."""

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
        await self.accept()
        # No await between accept and add: every event the listener hears from now on is
        # written to this socket.
        self.board.add(self)

    async def disconnect(self, code: int) -> None:
        board = getattr(self, "board", None)
        if board is not None:
            await board.remove(self)

    async def receive_json(self, content, **kwargs) -> None:
        # The board is one-way; clients have nothing to say.
        return

    async def board_entry(self, event: dict) -> None:
        # An event sent to this consumer's own channel (board events normally come
        # through the fan-out).
        await self.send(text_data=board_frame(event))
