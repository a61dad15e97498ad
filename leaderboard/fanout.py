"""Board fan-out: one channel-layer subscription per process, none per socket.

A board socket has no channel-layer channel of its own. The first board socket of a process
(of an event loop) starts one listener: a dedicated channel in BOARD_GROUP and in
portal.sockets' SESSIONS_GROUP. For each board event it serialises the JSON once and writes
that same text frame to every board socket open in the process; for each `session.close`
(a logout) it closes the local sockets of that user. The listener stops when the last local
socket closes.

Bursts are coalesced without waiting: the listener's receiver drains whatever the layer has
already delivered before the writer runs, and several events heard together go out as one
frame, a JSON array in seq order (at most MAX_BATCH per frame). A single event is a plain
object, as before. Frames go out in event order, so `seq` stays monotonic per socket; a
client that misses one (socket busy, layer down) still resyncs from the snapshot.

Compression stays off on /ws/: daphne (autobahn) accepts no permessage-deflate offer, so
the pre-serialised frame is written as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref

from portal.sockets import SESSION_CLOSE, SESSION_CLOSED_CODE, SESSIONS_GROUP

from .broadcast import BOARD_GROUP

logger = logging.getLogger(__name__)

BOARD_ENTRY = "board.entry"
MAX_BATCH = 50


def board_frame(event: dict) -> str:
    """The JSON a board socket receives for `event` (everything but the layer type)."""
    return json.dumps({key: value for key, value in event.items() if key != "type"})


def batch_frames(frames: list[str]) -> list[str]:
    """Text frames for events heard together: one object alone, else arrays of MAX_BATCH."""
    if len(frames) == 1:
        return frames
    return [
        "[" + ",".join(frames[start : start + MAX_BATCH]) + "]"
        for start in range(0, len(frames), MAX_BATCH)
    ]


class BoardFanout:
    """The board sockets of one event loop and the one listener that feeds them."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.sockets: set = set()
        self.task: asyncio.Task | None = None
        self.ready: asyncio.Future | None = None
        self.channel: str | None = None
        self.pending: list[str] = []
        self.wake = asyncio.Event()

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
        """Subscribe, then write what the receiver hears until cancelled."""
        try:
            channel = await self.layer.new_channel("board-fanout")
            await self.layer.group_add(BOARD_GROUP, channel)
            await self.layer.group_add(SESSIONS_GROUP, channel)
        except asyncio.CancelledError:
            ready.cancel()
            raise
        except Exception as error:
            ready.set_exception(error)
            raise
        self.channel = channel
        self.pending.clear()  # nothing heard by an earlier listener is written now
        self.wake.clear()
        receiver = asyncio.create_task(self._receive(channel))
        ready.set_result(True)
        try:
            while True:
                await self.wake.wait()
                self.wake.clear()
                frames, self.pending = self.pending, []
                for frame in batch_frames(frames):
                    await self.deliver(frame)
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await receiver
            for group in (BOARD_GROUP, SESSIONS_GROUP):
                try:
                    await asyncio.shield(self.layer.group_discard(group, channel))
                except Exception:
                    logger.debug("board listener: group_discard failed", exc_info=True)

    async def _receive(self, channel: str) -> None:
        # An event already in the layer's queue is returned without yielding to the loop, so
        # everything that arrived while the writer was busy lands in one `pending` batch.
        while True:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("board listener: receive failed", exc_info=True)
                await asyncio.sleep(1)
                continue
            kind = event.get("type")
            if kind == BOARD_ENTRY:
                self.pending.append(board_frame(event))
                self.wake.set()
            elif kind == SESSION_CLOSE:
                await self.close_user(event.get("user"))

    async def deliver(self, frame: str) -> None:
        """Write one pre-serialised frame to every local board socket, in one pass."""
        message = {"type": "websocket.send", "text": frame}
        for consumer in list(self.sockets):
            try:
                # daphne's send only hands the frame to Twisted: no await really waits here.
                await consumer.base_send(message)
            except Exception:
                logger.debug("board socket send failed", exc_info=True)

    async def close_user(self, user_id: int | None) -> None:
        """The user logged out (portal.sockets): their sockets in this process go."""
        if user_id is None:
            return
        for consumer in [c for c in self.sockets if c.user_id == user_id]:
            self.sockets.discard(consumer)
            try:
                await consumer.close(code=SESSION_CLOSED_CODE)
            except Exception:
                logger.debug("board socket close failed", exc_info=True)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fanout_for(layer) -> BoardFanout:
    """The fan-out of the running event loop (tests run one loop per test)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = BoardFanout(layer)
    return fanout
