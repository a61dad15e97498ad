from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core import signing

from .broadcast import BOARD_GROUP

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
    Server to client only; everything in an event was computed before it was sent."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        allowed = (user is not None and user.is_authenticated) or kiosk_ticket_valid(
            self.scope.get("query_string", b"")
        )
        if not allowed:
            await self.close()
            return
        await self.channel_layer.group_add(BOARD_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(BOARD_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The board is one-way; clients have nothing to say.
        return

    async def board_entry(self, event: dict) -> None:
        await self.send_json({key: value for key, value in event.items() if key != "type"})
