"""The local fan-out (portal.fanout): one listener per process and socket group, the group's
own frames, logouts closing the matching sockets, and daphne's wire. The board's use of it:
tests/leaderboard/test_fanout.py."""

import asyncio
import functools
import json
import sys
import types

import pytest
from channels.layers import get_channel_layer

from portal.fanout import (
    MAX_BATCH,
    SocketGroup,
    batch_frames,
    daphne_protocol,
    prepare_frame,
    write_frame,
)
from portal.sockets import SESSION_CLOSED_CODE, session_close_event


@pytest.fixture
def layer(settings):
    """A fresh in-memory layer (a CHANNEL_LAYERS override resets the cached layers)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


def test_batches_keep_order_and_size():
    frames = [json.dumps({"seq": n}) for n in range(1, 2 * MAX_BATCH + 21)]
    batches = [json.loads(text) for text in batch_frames(frames)]
    assert [len(batch) for batch in batches] == [MAX_BATCH, MAX_BATCH, 20]
    assert [event["seq"] for batch in batches for event in batch] == list(
        range(1, 2 * MAX_BATCH + 21)
    )
    assert batch_frames(frames[:1]) == ['{"seq": 1}']  # one event alone stays an object


# --- any group: its frames, its sockets, logouts -------------------------------------------


def news_frame(event: dict) -> str | None:
    return event["text"] if event.get("type") == "news.item" else None


NEWS = SocketGroup("news", frame=news_frame)
ALERTS = SocketGroup("alerts", frame=lambda event: json.dumps(event))


class FakeSocket:
    """What a consumer gives the fan-out: its ASGI send, close(), who opened it."""

    def __init__(self, user_id=None, kiosk_id=None):
        self.user_id, self.kiosk_id = user_id, kiosk_id
        self.sent, self.closed = [], None
        self.heard = asyncio.Event()

    async def base_send(self, message):
        self.sent.append(message["text"])
        self.heard.set()

    async def close(self, code=None):
        self.closed = code
        self.heard.set()


async def heard(socket: FakeSocket) -> None:
    await asyncio.wait_for(socket.heard.wait(), 2)
    socket.heard.clear()


async def test_a_group_writes_its_own_frames_to_its_sockets_only(layer):
    news, alerts = NEWS.fanout(layer), ALERTS.fanout(layer)
    assert news is not alerts and NEWS.fanout(layer) is news  # one fan-out per group
    reader, other = FakeSocket(user_id=1), FakeSocket(user_id=2)
    for fanout, socket in ((news, reader), (alerts, other)):
        await fanout.start()
        fanout.add(socket)
    await layer.group_send("news", {"type": "news.item", "text": '"halo"'})
    await heard(reader)
    await layer.group_send("news", {"type": "news.other", "text": "x"})  # not for sockets
    await layer.group_send("news", {"type": "news.item", "text": '"lagi"'})
    await heard(reader)
    assert reader.sent == ['"halo"', '"lagi"'] and other.sent == []
    await news.remove(reader)
    await alerts.remove(other)
    assert news.task is None and alerts.task is None  # the last socket stopped each listener


async def test_a_logout_closes_the_matching_sockets_of_every_group(layer):
    news, alerts = NEWS.fanout(layer), ALERTS.fanout(layer)
    mine, screen, theirs = FakeSocket(user_id=1), FakeSocket(kiosk_id=7), FakeSocket(user_id=2)
    for fanout, socket in ((news, mine), (news, theirs), (alerts, screen)):
        await fanout.start()
        fanout.add(socket)
    await layer.group_send("sessions", session_close_event(1))
    await layer.group_send("sessions", session_close_event(kiosk_id=7))
    await heard(mine)
    await heard(screen)
    assert (mine.closed, screen.closed, theirs.closed) == (SESSION_CLOSED_CODE,) * 2 + (None,)
    assert list(news.sockets) == [theirs] and not alerts.sockets
    await news.remove(theirs)
    await alerts.remove(screen)


# --- daphne's wire: the frame is written once-framed, straight to each socket -----------------


class FakeTransport:
    """The parts of Twisted's TCP transport that write_frame reads."""

    TLS = False

    def __init__(self, accepts=None, buffered=b""):
        self.accepts = accepts  # bytes the socket takes now (None: all)
        self.dataBuffer = buffered
        self._tempDataBuffer = []
        self.connected = True
        self.disconnecting = False
        self.wire = b""  # what reached the socket
        self.queued = []  # what Twisted was asked to write later

    def writeSomeData(self, data):
        taken = bytes(data if self.accepts is None else data[: self.accepts])
        self.wire += taken
        return len(taken)

    def write(self, data):
        self.queued.append(bytes(data))


class FakeProtocol:
    STATE_OPEN, STATE_CLOSING = 3, 2

    def __init__(self, transport, state=3):
        self.transport = transport
        self.state = state
        self.send_queue = []
        self._perMessageCompress = None
        self.prepared = []  # frames handed to autobahn's own sendPreparedMessage

    def sendPreparedMessage(self, prepared):
        self.prepared.append(prepared)


def test_a_frame_goes_straight_to_an_idle_socket_framed_once():
    prepared = prepare_frame('{"seq": 1}')
    sockets = [FakeProtocol(FakeTransport()) for _ in range(3)]
    for protocol in sockets:
        write_frame(protocol, prepared)
    # a text frame (FIN + opcode 1), unmasked, length 10, then the JSON
    assert [p.transport.wire for p in sockets] == [b'\x81\x0a{"seq": 1}'] * 3
    assert not any(p.transport.queued or p.prepared for p in sockets)


def test_what_the_socket_does_not_take_now_is_queued_in_order():
    protocol = FakeProtocol(FakeTransport(accepts=4))
    write_frame(protocol, prepare_frame('{"seq": 2}'))
    assert protocol.transport.wire + b"".join(protocol.transport.queued) == b'\x81\x0a{"seq": 2}'


@pytest.mark.parametrize(
    "unusual",
    [
        lambda p: setattr(p.transport, "dataBuffer", b"ping frame not yet sent"),
        lambda p: p.transport._tempDataBuffer.append(b"ping"),
        lambda p: p.send_queue.append((b"x", False)),
        lambda p: setattr(p.transport, "TLS", True),
        lambda p: setattr(p, "_perMessageCompress", object()),
        lambda p: setattr(p.transport, "disconnecting", True),
    ],
    ids=["buffered", "temp-buffered", "autobahn-queue", "tls", "compression", "disconnecting"],
)
def test_anything_unusual_goes_through_autobahn(unusual):
    protocol = FakeProtocol(FakeTransport())
    unusual(protocol)
    prepared = prepare_frame('{"seq": 3}')
    write_frame(protocol, prepared)
    assert protocol.transport.wire == b"" and protocol.prepared == [prepared]


def test_a_closing_socket_gets_nothing():
    protocol = FakeProtocol(FakeTransport(), state=FakeProtocol.STATE_CLOSING)
    write_frame(protocol, prepare_frame('{"seq": 4}'))
    assert protocol.transport.wire == b"" and not protocol.prepared


def test_daphne_protocol_is_found_behind_the_session_wrapper(monkeypatch):
    class Server:
        async def handle_reply(self, protocol, message):
            pass

    class WebSocketProtocol:
        pass

    monkeypatch.setitem(sys.modules, "daphne.server", types.SimpleNamespace(Server=Server))
    monkeypatch.setitem(
        sys.modules,
        "daphne.ws_protocol",
        types.SimpleNamespace(WebSocketProtocol=WebSocketProtocol),
    )
    protocol = WebSocketProtocol()
    send = functools.partial(Server().handle_reply, protocol)
    wrapper = types.SimpleNamespace(real_send=send)
    wrapper.send = types.MethodType(lambda self, message: None, wrapper)
    assert daphne_protocol(send) is protocol
    assert daphne_protocol(wrapper.send) is protocol
    assert daphne_protocol(functools.partial(Server().handle_reply, object())) is None

    async def other_server_send(message):
        pass

    assert daphne_protocol(other_server_send) is None


def test_without_daphne_loaded_every_socket_uses_the_asgi_send(monkeypatch):
    monkeypatch.delitem(sys.modules, "daphne.server", raising=False)
    assert daphne_protocol(lambda message: None) is None
