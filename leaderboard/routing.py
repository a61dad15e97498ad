from django.urls import path

from portal.socket_auth import SocketAuthMiddleware

from .consumers import BoardConsumer

websocket_urlpatterns = [
    # the session and user read once at connect (portal.socket_auth)
    path("ws/board/", SocketAuthMiddleware(BoardConsumer.as_asgi())),
]
