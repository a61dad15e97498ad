"""Board fan-out: one channel-layer subscription per process, not one per socket.

With a group membership per socket, every board event wakes one channel-layer queue and
one consumer task per socket, and is serialised once per socket. Here the first board
socket of a process (of an event loop) starts one listener: a dedicated channel added to
BOARD_GROUP. For each event it serialises the JSON once and writes that same text frame to
every board socket open in the process. Frames go out in event order, so `seq` stays
monotonic per socket; a client that misses one (socket busy, layer down) still resyncs from
the snapshot, as before. The listener stops when the last local socket closes.

Compression stays off on /ws/: daphne (autobahn) accepts no permessage-deflate offer, so
the pre-serialised frame is written as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref

from .broadcast import BOARD_GROUP

logger = logging.getLogger(__name__)


def board_frame(event: dict) -> str:
    """The text frame a board socket receives for `event` (everything but the layer type)."""
    return json.dumps({key: value for key, value in event.items() if key != "type"})


class BoardFanout:
    """The board sockets of one event loop and the one listener that feeds them."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.sockets: set = set()
        self.task: asyncio.Task | None = None
        self.ready: asyncio.Future | None = None
        self.channel: str | None = None

    async def start(self) -> None:
        """Make sure the listener is subscribed (so an event sent after this returns is seen)."""
        if self.task is None or self.task.done():
            self.ready = asyncio.get_running_loop().create_future()
            self.task = asyncio.create_task(self._listen(self.ready))
        await asyncio.shield(self.ready)

    def add(self, consumer) -> None:
        self.sockets.add(consumer)

    async def remove(self, consumer) -> None:
        self.sockets.discard(consumer)
        if not self.sockets and self.task is not None:
            task, self.task = self.task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _listen(self, ready: asyncio.Future) -> None:
        try:
            channel = await self.layer.new_channel("board-fanout")
            await self.layer.group_add(BOARD_GROUP, channel)
        except asyncio.CancelledError:
            ready.cancel()
            raise
        except Exception as error:
            ready.set_exception(error)
            raise
        self.channel = channel
        ready.set_result(True)
        try:
            while True:
                try:
                    event = await self.layer.receive(channel)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning("board listener: receive failed", exc_info=True)
                    await asyncio.sleep(1)
                    continue
                if event.get("type") != "board.entry":
                    continue
                await self.deliver(board_frame(event))
        finally:
            try:
                await asyncio.shield(self.layer.group_discard(BOARD_GROUP, channel))
            except Exception:
                logger.debug("board listener: group_discard failed", exc_info=True)

    async def deliver(self, frame: str) -> None:
        """Write one pre-serialised frame to every local board socket, in one pass."""
        message = {"type": "websocket.send", "text": frame}
        for consumer in list(self.sockets):
            try:
                # daphne's send only hands the frame to Twisted: no await really waits here.
                await consumer.base_send(message)
            except Exception:
                logger.debug("board socket send failed", exc_info=True)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fanout_for(layer) -> BoardFanout:
    """The fan-out of the running event loop (tests run one loop per test)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = BoardFanout(layer)
    return fanout
