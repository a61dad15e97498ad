import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from portal.sockets import SESSION_CLOSED_CODE, user_group

from .broadcast import BOARD_GROUP

# The board is one-way: clients have nothing to say, so anything bigger than a tiny
# message is abuse. (Daphne caps frames too: --websocket-max-message-size, docs/deploy.md.)
MAX_CLIENT_MESSAGE = 4096
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_MESSAGE_TOO_BIG = 1009


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """Pushes board events (JSON, each with `seq`) to logged-in users. Server to client only."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        await self.channel_layer.group_add(BOARD_GROUP, self.channel_name)
        await self.join_user_group()
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(BOARD_GROUP, self.channel_name)
        await self.leave_user_group()

    async def receive_json(self, content, **kwargs) -> None:
        # The board is one-way; clients have nothing to say.
        return

    async def board_entry(self, event: dict) -> None:
        await self.send_json({key: value for key, value in event.items() if key != "type"})

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
