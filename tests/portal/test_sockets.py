import pytest
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from leaderboard.routing import websocket_urlpatterns
from portal.asgi import application
from tests.helpers import with_user

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_logged_in_user_is_accepted(employee):
    communicator = WebsocketCommunicator(
        with_user(URLRouter(websocket_urlpatterns), employee), "/ws/board/"
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()


async def test_anonymous_user_is_refused():
    communicator = WebsocketCommunicator(
        with_user(URLRouter(websocket_urlpatterns), AnonymousUser()), "/ws/board/"
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_logged_in_session_through_the_real_stack(client, employee):
    from asgiref.sync import sync_to_async

    await sync_to_async(client.force_login)(employee)
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
    await communicator.disconnect()


async def test_foreign_origin_is_refused(client, employee):
    from asgiref.sync import sync_to_async

    await sync_to_async(client.force_login)(employee)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    communicator = WebsocketCommunicator(
        application,
        "/ws/board/",
        headers=[
            (b"cookie", cookie.encode()),
            (b"origin", b"https://evil.example.com"),
            (b"host", b"localhost"),
        ],
    )
    connected, _ = await communicator.connect()
    assert not connected


# --- issue 19: the session and user are read once at connect (portal.socket_auth) ----------


def real_stack(cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/board/", headers=headers)


def open_board_sockets():
    from leaderboard.broadcast import BOARD_SOCKETS

    return list(BOARD_SOCKETS.fanout(get_channel_layer()).sockets)


async def test_a_connected_socket_keeps_the_user_id_and_no_session_or_user(client, employee):
    from asgiref.sync import sync_to_async

    await sync_to_async(client.force_login)(employee)
    communicator = real_stack(f"sessionid={client.cookies['sessionid'].value}; other=1")
    connected, _ = await communicator.connect()
    assert connected
    (consumer,) = open_board_sockets()
    assert consumer.user_id == employee.pk and consumer.kiosk_id is None
    assert not {"user", "session", "cookies"} & set(consumer.scope)
    await communicator.disconnect()


async def test_a_session_whose_password_changed_is_refused(client, employee):
    from asgiref.sync import sync_to_async

    await sync_to_async(client.force_login)(employee)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    employee.set_password("kata-sandi-baru-yang-panjang")
    await sync_to_async(employee.save)()
    connected, _ = await real_stack(cookie).connect()
    assert not connected


@pytest.mark.parametrize("cookie", [None, "sessionid=not-a-session", "csrftoken=x"])
async def test_no_valid_session_cookie_is_refused(cookie):
    connected, _ = await real_stack(cookie).connect()
    assert not connected
