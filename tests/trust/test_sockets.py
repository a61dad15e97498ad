"""Sockets: logout closes the user's open sockets; garbage from a client closes only its socket."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from leaderboard.consumers import MAX_CLIENT_MESSAGE, BoardConsumer
from leaderboard.routing import websocket_urlpatterns
from portal.asgi import application
from portal.sockets import SESSION_CLOSED_CODE, close_user_sockets
from tests.helpers import with_user

pytestmark = [pytest.mark.django_db(transaction=True)]


async def session_socket(client, user) -> WebsocketCommunicator:
    """A board socket opened through the real stack with `client`'s session cookie."""
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    communicator = WebsocketCommunicator(
        application,
        "/ws/board/",
        headers=[
            (b"cookie", cookie.encode()),
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def board_socket(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        with_user(URLRouter(websocket_urlpatterns), user), "/ws/board/"
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_logout_closes_the_users_sockets_and_only_theirs(client, employee, supervisor):
    mine = await session_socket(client, employee)
    also_mine = await board_socket(employee)  # e.g. the kiosk tab in another window
    theirs = await board_socket(supervisor)

    response = await sync_to_async(client.post)("/accounts/logout/")
    assert response.status_code == 302

    for socket in (mine, also_mine):
        closed = await socket.receive_output(timeout=2)
        assert closed == {"type": "websocket.close", "code": SESSION_CLOSED_CODE}
    assert await theirs.receive_nothing(timeout=0.3)
    await theirs.disconnect()


async def test_a_closed_socket_has_left_the_users_group(employee):
    socket = await board_socket(employee)
    await sync_to_async(close_user_sockets)(employee.pk)
    assert (await socket.receive_output(timeout=2))["code"] == SESSION_CLOSED_CODE
    await socket.disconnect()
    # a new socket of the same user is not hit by the old close
    again = await board_socket(employee)
    assert await again.receive_nothing(timeout=0.3)
    await again.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"text_data": "{not json"}, 1003),
        ({"text_data": "[" * 2000}, 1003),  # nesting too deep for the parser
        ({"bytes_data": b"\x00\xff binary"}, 1003),
        ({"text_data": '"' + "x" * MAX_CLIENT_MESSAGE + '"'}, 1009),
        ({"text_data": "x" * 1_000_000}, 1009),
    ],
    ids=["malformed", "deep", "binary", "just-too-big", "huge"],
)
async def test_bad_frames_close_the_socket_and_the_server_carries_on(
    employee, supervisor, frame, code
):
    socket = await board_socket(employee)
    await socket.send_to(**frame)
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": code}
    await socket.wait()  # the consumer ended cleanly: no exception to re-raise
    # the board still serves others
    other = await board_socket(supervisor)
    await other.send_json_to({"hello": "board"})
    assert await other.receive_nothing(timeout=0.3)
    await other.disconnect()


async def test_well_formed_client_messages_are_ignored(employee):
    socket = await board_socket(employee)
    await socket.send_json_to({"type": "board.entry", "seq": 1, "points": 1000})
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


def test_consumer_limit_is_small():
    assert BoardConsumer and MAX_CLIENT_MESSAGE <= 64 * 1024
