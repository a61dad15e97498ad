"""Board sockets of one process share one channel-layer subscription (portal.fanout, the
board's group leaderboard.broadcast.BOARD_SOCKETS): no socket has a channel of its own; board
events and logouts come through the listener. The fan-out itself and daphne's wire:
tests/portal/test_fanout.py."""

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing

from leaderboard.broadcast import BOARD_GROUP, BOARD_SOCKETS, board_frame
from leaderboard.consumers import KIOSK_TICKET_SALT
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
    fanout = BOARD_SOCKETS.fanout(get_channel_layer())
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


def test_other_events_in_the_board_group_are_not_for_sockets():
    assert board_frame({"type": "board.reload", "seq": 3}) is None


async def open_socket(user, path="/ws/board/"):
    communicator = WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), path)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_a_board_socket_has_no_layer_channel_of_its_own(layer):
    sockets = [await open_socket(person(pk)) for pk in (1, 2, 3)]
    fanout = BOARD_SOCKETS.fanout(layer)
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
    fanout = BOARD_SOCKETS.fanout(layer)

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
    fanout = BOARD_SOCKETS.fanout(layer)
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
