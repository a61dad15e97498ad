import json
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.core import signing

from portal.socket_auth import forget_user

from .broadcast import BOARD_SOCKETS
from .models import KioskLink

# The board is one-way: clients have nothing to say, so anything bigger than a tiny
# message is abuse. (Daphne caps frames too: --websocket-max-message-size, docs/deploy.md.)
MAX_CLIENT_MESSAGE = 4096
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_MESSAGE_TOO_BIG = 1009

KIOSK_TICKET_SALT = "leaderboard.kiosk"
KIOSK_TICKET_MAX_AGE = 15 * 60


def kiosk_ticket_link(query_string: bytes) -> int | None:
    """A kiosk screen has no session: it shows a short-lived ticket signed by the kiosk view.
    The id of the link the ticket was signed for, or None when it is missing, forged or old."""
    ticket = parse_qs(query_string.decode("latin-1")).get("ticket", [""])[0]
    if not ticket:
        return None
    try:
        data = signing.loads(ticket, salt=KIOSK_TICKET_SALT, max_age=KIOSK_TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    link_id = data.get("kiosk") if isinstance(data, dict) else None
    return link_id if isinstance(link_id, int) else None


@database_sync_to_async
def kiosk_link_usable(link_id: int) -> bool:
    # A ticket outlives a revocation by up to KIOSK_TICKET_MAX_AGE: the link itself is asked.
    # One indexed query per kiosk connect (office screens, a few per OPD); users pay nothing.
    return KioskLink.objects.usable().filter(pk=link_id).exists()


class BoardConsumer(AsyncWebsocketConsumer):
    """Pushes board events (JSON, each with `seq`) to logged-in users and kiosk screens.
    Server to client only; everything in an event was computed before it was sent.

    A board socket has no channel-layer channel of its own: board events and logouts
    (portal.sockets) reach it through the process's one listener (`portal.fanout`),
    which writes the frames and closes the sockets of a user who logged out. So `__call__`
    is Channels' without the channel: no `new_channel()`, no subscription, no second task
    per socket, just the ASGI receive loop (DESIGN §6: memory per idle socket). The only
    database read is the kiosk link check when a kiosk ticket connects."""

    groups = ()  # none: nothing is addressed to this socket through the layer
    user_id = None  # the logged-in user (kiosk screens have none)
    kiosk_id = None  # the kiosk link whose ticket opened the socket
    board = None

    async def __call__(self, scope, receive, send) -> None:
        self.scope = scope
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message: dict) -> None:
        # Channels' dispatch also closes stale database connections before each handler;
        # this consumer never touches the database.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        user = self.scope.get("user")
        # Only the id is kept: the user object would stay in memory as long as the socket.
        forget_user(self.scope)
        if user is not None and user.is_authenticated:
            self.user_id = user.pk
        else:
            link_id = kiosk_ticket_link(self.scope.get("query_string", b""))
            if link_id is None or not await kiosk_link_usable(link_id):
                await self.close()
                return
            self.kiosk_id = link_id
        board = BOARD_SOCKETS.fanout(get_channel_layer())
        await board.start()
        await self.accept()
        # No await between accept and add: every event the listener hears from now on is
        # written to this socket.
        self.board = board
        board.add(self)

    async def websocket_disconnect(self, message: dict) -> None:
        # Channels' version also leaves `groups` (none here) and closes stale database
        # connections in a worker thread (no database here either).
        await self.disconnect(message.get("code", 1000))
        raise StopConsumer

    async def disconnect(self, code: int) -> None:
        if self.board is not None:
            await self.board.remove(self)

    # --- issue 9 (trust): logout closes the socket (portal.fanout); bad frames close it ---
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
                json.loads(text_data)
            except (ValueError, RecursionError):  # e.g. 4,000 nested brackets
                await self.close(code=CLOSE_UNSUPPORTED_DATA)

    # --- end issue 9 -----------------------------------------------------------------------
