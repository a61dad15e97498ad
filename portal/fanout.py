"""Local fan-out: one channel-layer subscription per process and group, none per socket.

A socket served through a `SocketGroup` has no channel-layer channel of its own. The first
socket of a group in a process (an event loop) starts one listener: a dedicated channel in
the group and in portal.sockets' SESSIONS_GROUP. For each event of the group it asks the
group's `frame` for the text once (None: not for sockets) and writes that same text frame
to every socket of the group open in the process; for each `session.close` (a logout,
deactivation, new password, revoked kiosk link) it closes the local sockets of that user or
kiosk link. The listener stops when the last local socket closes. The app that owns the
group keeps its event shape, its frame and its consumer (the board: leaderboard.broadcast,
leaderboard.consumers).

Bursts are coalesced without waiting: the listener's receiver drains whatever the layer has
already delivered before the writer runs, and several events heard together go out as one
frame, a JSON array in event order (at most MAX_BATCH per frame). A single event is a plain
object. Frames go out in event order, so a sequence number in the events stays monotonic per
socket; a client that misses one (socket busy, layer down) resyncs from its snapshot.

Under daphne the frame is also framed once: through ASGI, each socket's copy would cost
daphne's reply handling, autobahn's framing, and a Twisted write that only marks the socket
for writing (two epoll updates and another pass of the loop per socket, which profiling
showed as most of the time at 2,000 board sockets). So for a socket served by daphne the
listener keeps the autobahn protocol behind the ASGI `send` (`daphne_protocol`) and writes
autobahn's prepared frame straight to the socket when nothing is queued before it, as a raw
`websockets` broadcast does (`write_frame`); anything unusual (TLS in Twisted, compression,
bytes already buffered, a closing socket) goes through autobahn's own `sendPreparedMessage`
or is skipped. Any other server (the test communicator, uvicorn) gets the ASGI send.

Compression stays off on /ws/: daphne (autobahn) accepts no permessage-deflate offer, so
the pre-serialised frame is written as is.

A consumer added to a fan-out has `base_send` (its ASGI send), `close(code=...)`, and
`user_id` / `kiosk_id` (who opened it; None when not that kind of socket).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from .sockets import SESSION_CLOSE, SESSION_CLOSED_CODE, SESSIONS_GROUP

logger = logging.getLogger(__name__)

MAX_BATCH = 50


def batch_frames(frames: list[str]) -> list[str]:
    """Text frames for events heard together: one object alone, else arrays of MAX_BATCH."""
    if len(frames) == 1:
        return frames
    return [
        "[" + ",".join(frames[start : start + MAX_BATCH]) + "]"
        for start in range(0, len(frames), MAX_BATCH)
    ]


# event loop -> {group name -> its fan-out}
_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class SocketGroup:
    """A channel-layer group whose events reach a process's sockets through one listener.

    `frame(event)` is the JSON text a socket receives for an event of the group (None:
    the event is not for sockets)."""

    name: str
    frame: Callable[[dict], str | None]

    def fanout(self, layer) -> LocalFanout:
        """This group's fan-out in the running event loop (tests run one loop per test)."""
        groups = _fanouts.setdefault(asyncio.get_running_loop(), {})
        fanout = groups.get(self.name)
        if fanout is None or fanout.layer is not layer:
            fanout = groups[self.name] = LocalFanout(layer, self)
        return fanout


class LocalFanout:
    """The sockets of one group in one event loop and the one listener that feeds them."""

    def __init__(self, layer, group: SocketGroup) -> None:
        self.layer = layer
        self.group = group
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
        groups = (self.group.name, SESSIONS_GROUP)
        try:
            channel = await self.layer.new_channel(f"{self.group.name}-fanout")
            for group in groups:
                await self.layer.group_add(group, channel)
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
            for group in groups:
                try:
                    await asyncio.shield(self.layer.group_discard(group, channel))
                except Exception:
                    logger.debug("%s listener: group_discard failed", group, exc_info=True)

    async def _receive(self, channel: str) -> None:
        # An event already in the layer's queue is returned without yielding to the loop, so
        # everything that arrived while the writer was busy lands in one `pending` batch.
        while True:
            try:
                event = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("%s listener: receive failed", self.group.name, exc_info=True)
                await asyncio.sleep(1)
                continue
            if event.get("type") == SESSION_CLOSE:
                await self.close_matching(user_id=event.get("user"), kiosk_id=event.get("kiosk"))
                continue
            frame = self.group.frame(event)
            if frame is not None:
                self.pending.append(frame)
                self.wake.set()

    async def deliver(self, frame: str) -> None:
        """Write one pre-serialised frame to every local socket of the group, in one pass."""
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
                logger.debug("%s socket send failed", self.group.name, exc_info=True)

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
                logger.debug("%s socket close failed", self.group.name, exc_info=True)


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
    # local: autobahn is daphne's; only a process that serves sockets through daphne needs it
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
