import pytest
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
