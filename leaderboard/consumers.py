from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .broadcast import BOARD_GROUP


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """Pushes board events (JSON, each with `seq`) to logged-in users. Server to client only."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
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
