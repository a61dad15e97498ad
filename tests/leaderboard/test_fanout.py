"""Board sockets of one process share one channel-layer subscription (leaderboard.fanout)."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from leaderboard.fanout import board_frame, fanout_for
from leaderboard.routing import websocket_urlpatterns
from leaderboard.services import award_points
from tests.helpers import with_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def board_socket(user):
    return WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), "/ws/board/")


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
