"""Board fan-out: one channel-layer subscription per process, none per socket.

A board socket has no channel-layer channel of its own. The first board socket of a process
(of an event loop) starts one listener: a dedicated channel in BOARD_GROUP and in
portal.sockets' SESSIONS_GROUP. For each board event it serialises the JSON once and writes
that same text frame to every board socket open in the process; for each `session.close`
(a logout, deactivation, new password, revoked kiosk link) it closes the local sockets of that
user or kiosk link. The listener stops when the last local
socket closes.

Bursts are coalesced without waiting: the listener's receiver drains whatever the layer has
already delivered before the writer runs, and several events heard together go out as one
frame, a JSON array in seq order (at most MAX_BATCH per frame). A single event is a plain
object, as before. Frames go out in event order, so `seq` stays monotonic per socket; a
client that misses one (socket busy, layer down) still resyncs from the snapshot.

Under daphne the frame is also framed once: through ASGI, each socket's copy would cost
daphne's reply handling, autobahn's framing, and a Twisted write that only marks the socket
for writing (two epoll updates and another pass of the loop per socket, which profiling
showed as most of the time at 2,000 sockets). So for a socket served by daphne the listener
keeps the autobahn protocol behind the ASGI `send` (`daphne_protocol`) and writes autobahn's
prepared frame straight to the socket when nothing is queued before it, as a raw
`websockets` broadcast does (`write_frame`); anything unusual (TLS in Twisted, compression,
bytes already buffered, a closing socket) goes through autobahn's own `sendPreparedMessage`
or is skipped. Any other server (the test communicator, uvicorn) gets the ASGI send.

Compression stays off on /ws/: daphne (autobahn) accepts no permessage-deflate offer, so
the pre-serialised frame is written as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import sys
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
        # consumer -> its daphne protocol (None: write through the ASGI send)
        self.sockets: dict = {}
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
        self.sockets[consumer] = daphne_protocol(consumer.base_send)

    async def remove(self, consumer) -> None:
        self.sockets.pop(consumer, None)
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
                await self.close_matching(user_id=event.get("user"), kiosk_id=event.get("kiosk"))

    async def deliver(self, frame: str) -> None:
        """Write one pre-serialised frame to every local board socket, in one pass."""
        prepared = message = None
        for consumer, protocol in list(self.sockets.items()):
            try:
                if protocol is not None:
                    if prepared is None:
                        prepared = prepare_frame(frame)
                    write_frame(protocol, prepared)
                else:
                    if message is None:
                        message = {"type": "websocket.send", "text": frame}
                    await consumer.base_send(message)
            except Exception:
                logger.debug("board socket send failed", exc_info=True)

    async def close_matching(self, *, user_id: int | None, kiosk_id: int | None) -> None:
        """The user logged out, was deactivated or got a new password, or the kiosk link was
        revoked (portal.sockets): the sockets they opened in this process go."""
        if user_id is None and kiosk_id is None:
            return
        doomed = [
            c
            for c in self.sockets
            if (user_id is not None and c.user_id == user_id)
            or (kiosk_id is not None and c.kiosk_id == kiosk_id)
        ]
        for consumer in doomed:
            self.sockets.pop(consumer, None)
            try:
                await consumer.close(code=SESSION_CLOSED_CODE)
            except Exception:
                logger.debug("board socket close failed", exc_info=True)


# --- daphne's wire ---------------------------------------------------------------------------


def daphne_protocol(send):
    """The daphne (autobahn) protocol behind an ASGI `send`, or None for any other server.

    daphne's `send` is `partial(Server.handle_reply, protocol)`, wrapped by Channels'
    session middleware. daphne is looked up in `sys.modules`, never imported: importing
    `daphne.server` installs Twisted's reactor, and a process that has not loaded it is not
    serving this socket."""
    server = sys.modules.get("daphne.server")
    ws_protocol = sys.modules.get("daphne.ws_protocol")
    if server is None or ws_protocol is None:
        return None
    send = getattr(getattr(send, "__self__", None), "real_send", send)  # session middleware
    if not isinstance(send, functools.partial) or len(send.args) != 1:
        return None
    if getattr(send.func, "__func__", None) is not server.Server.handle_reply:
        return None
    protocol = send.args[0]
    return protocol if isinstance(protocol, ws_protocol.WebSocketProtocol) else None


def prepare_frame(frame: str):
    """The text frame as autobahn's prepared message: framed once for every socket."""
    from autobahn.websocket.protocol import PreparedMessage

    return PreparedMessage(frame.encode(), isBinary=False, applyMask=False, doNotCompress=True)


def write_frame(protocol, prepared) -> None:
    """Write a prepared frame on one daphne socket: straight to the socket when nothing is
    queued before it (one `send`, like asyncio's transports), else through autobahn."""
    if protocol.state != protocol.STATE_OPEN:
        return  # closing or closed: daphne would drop it too
    transport = protocol.transport
    if (
        getattr(transport, "TLS", True) is False
        and getattr(protocol, "_perMessageCompress", True) is None
        and not protocol.send_queue
        and not getattr(transport, "dataBuffer", True)
        and not getattr(transport, "_tempDataBuffer", True)
        and getattr(transport, "connected", False)
        and not getattr(transport, "disconnecting", True)
        and hasattr(transport, "writeSomeData")
    ):
        data = prepared.payloadHybi
        sent = transport.writeSomeData(data)
        if isinstance(sent, int) and sent < len(data):
            transport.write(data[sent:])  # the rest when the socket can take it, in order
        # (not an int: the connection is lost, and Twisted finds out on its own)
        return
    protocol.sendPreparedMessage(prepared)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fanout_for(layer) -> BoardFanout:
    """The fan-out of the running event loop (tests run one loop per test)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = BoardFanout(layer)
    return fanout
