"""Board sockets of one process share one channel-layer subscription (leaderboard.fanout):
no socket has a channel of its own; board events and logouts come through the listener."""

import functools
import json
import sys
import types
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing

from leaderboard.broadcast import BOARD_GROUP
from leaderboard.consumers import KIOSK_TICKET_SALT
from leaderboard.fanout import (
    MAX_BATCH,
    batch_frames,
    board_frame,
    daphne_protocol,
    fanout_for,
    prepare_frame,
    write_frame,
)
from leaderboard.models import KioskLink
from leaderboard.routing import websocket_urlpatterns
from leaderboard.services import award_points
from portal.sockets import SESSION_CLOSED_CODE, close_user_sockets
from tests.factories import OrgUnitFactory, UserFactory
from tests.helpers import with_user

needs_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def _close_worker_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


@pytest.fixture
def layer(settings):
    """A fresh in-memory layer (a CHANNEL_LAYERS override resets the cached layers)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


def person(pk):
    """A logged-in user as the auth middleware would put it in the scope (no database)."""
    return UserFactory.build(pk=pk)


def board_socket(user):
    return WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), "/ws/board/")


@needs_db
@pytest.mark.usefixtures("_close_worker_connections")
async def test_sockets_share_one_listener_and_get_the_same_frame(staff, boss):
    first, second = board_socket(staff), board_socket(boss)
    assert (await first.connect())[0] and (await second.connect())[0]
    fanout = fanout_for(get_channel_layer())
    assert len(fanout.sockets) == 2
    listener = fanout.task
    assert listener is not None and not listener.done()
    entry = await sync_to_async(award_points)(user=staff, points=5, reason="correction", key="f1")
    one, two = await first.receive_from(timeout=2), await second.receive_from(timeout=2)
    assert one == two  # serialised once, the same frame for everyone
    assert f'"seq": {entry.pk}' in one and '"type"' not in one
    await first.disconnect()
    assert fanout.task is listener  # still serving the second socket
    await second.disconnect()
    assert fanout.task is None and listener.done()  # the last socket stopped the listener


@needs_db
@pytest.mark.usefixtures("_close_worker_connections")
async def test_a_new_socket_after_the_last_one_closed_restarts_the_listener(staff):
    first = board_socket(staff)
    await first.connect()
    await first.disconnect()
    again = board_socket(staff)
    assert (await again.connect())[0]
    entry = await sync_to_async(award_points)(user=staff, points=5, reason="correction", key="f2")
    event = await again.receive_json_from(timeout=2)
    assert event["seq"] == entry.pk
    await again.disconnect()


def test_frame_drops_the_layer_type():
    assert board_frame({"type": "board.entry", "seq": 3}) == '{"seq": 3}'


def test_batches_keep_order_and_size():
    frames = [board_frame({"type": "board.entry", "seq": n}) for n in range(1, 2 * MAX_BATCH + 21)]
    batches = [json.loads(text) for text in batch_frames(frames)]
    assert [len(batch) for batch in batches] == [MAX_BATCH, MAX_BATCH, 20]
    assert [event["seq"] for batch in batches for event in batch] == list(
        range(1, 2 * MAX_BATCH + 21)
    )
    assert batch_frames(frames[:1]) == ['{"seq": 1}']  # one event alone stays an object


async def open_socket(user, path="/ws/board/"):
    communicator = WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), path)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_a_board_socket_has_no_layer_channel_of_its_own(layer):
    sockets = [await open_socket(person(pk)) for pk in (1, 2, 3)]
    fanout = fanout_for(layer)
    assert len(fanout.sockets) == 3
    await layer.send(fanout.channel, {"type": "board.entry", "seq": 1})
    for socket in sockets:  # every consumer is idle in its receive loop by now
        assert json.loads(await socket.receive_from(timeout=2)) == {"seq": 1}
    assert list(layer.channels) == [fanout.channel]  # the listener's, and nothing per socket
    assert not any(hasattr(consumer, "channel_name") for consumer in fanout.sockets)
    for socket in sockets:
        await socket.disconnect()


@needs_db
@pytest.mark.usefixtures("_close_worker_connections")
async def test_a_logout_closes_that_users_sockets_through_the_listener(layer):
    mine, also_mine = await open_socket(person(1)), await open_socket(person(1))
    theirs = await open_socket(person(2))
    link = await sync_to_async(KioskLink.objects.create)(
        org_unit=await sync_to_async(OrgUnitFactory)()
    )
    ticket = signing.dumps({"kiosk": link.pk}, salt=KIOSK_TICKET_SALT)
    kiosk = await open_socket(AnonymousUser(), f"/ws/board/?ticket={ticket}")
    fanout = fanout_for(layer)

    await sync_to_async(close_user_sockets)(1)

    for socket in (mine, also_mine):
        closed = await socket.receive_output(timeout=2)
        assert closed == {"type": "websocket.close", "code": SESSION_CLOSED_CODE}
    assert len(fanout.sockets) == 2  # closed sockets get no more frames
    await layer.group_send(BOARD_GROUP, {"type": "board.entry", "seq": 5})
    for socket in (theirs, kiosk):  # the other user and the kiosk stay and still get events
        assert json.loads(await socket.receive_from(timeout=2)) == {"seq": 5}
    assert await mine.receive_nothing(timeout=0.1)
    for socket in (mine, also_mine, theirs, kiosk):
        await socket.disconnect()


async def test_events_heard_together_go_out_as_one_array_in_seq_order(layer):
    socket = await open_socket(person(1))
    fanout = fanout_for(layer)
    for seq in (7, 8, 9):  # all in the listener's queue before it runs again
        await layer.send(fanout.channel, {"type": "board.entry", "seq": seq})
    assert json.loads(await socket.receive_from(timeout=2)) == [
        {"seq": 7},
        {"seq": 8},
        {"seq": 9},
    ]
    await layer.send(fanout.channel, {"type": "board.entry", "seq": 10})
    assert json.loads(await socket.receive_from(timeout=2)) == {"seq": 10}
    await socket.disconnect()


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


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL (CI's second suite)")
async def test_through_redis_a_logout_and_a_burst_reach_the_listener(settings):
    """With the production layer: the listener's one subscription hears the `sessions` group
    (a logout published by any process) and the `board` group."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [django_settings.REDIS_URL], "prefix": f"t{uuid.uuid4().hex}"},
        }
    }
    layer = get_channel_layer()
    mine, theirs = await open_socket(person(1)), await open_socket(person(2))
    try:
        await sync_to_async(close_user_sockets)(1)
        closed = await mine.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": SESSION_CLOSED_CODE}
        await layer.group_send(BOARD_GROUP, {"type": "board.entry", "seq": 11})
        assert json.loads(await theirs.receive_from(timeout=5)) == {"seq": 11}
        assert await mine.receive_nothing(timeout=0.2)
    finally:
        for socket in (mine, theirs):
            await socket.disconnect()
        await layer.flush()
