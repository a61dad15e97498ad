"""Who opened a websocket, read once at connect (DESIGN §6: memory per idle socket).

Channels' `AuthMiddlewareStack` keeps, for the whole life of every socket, three middleware
frames, four copies of the scope, the parsed cookies, a session wrapper around `send`, the
session store with its data, and the user object (with their group names) in every copy. A
board socket needs none of it after connect: it keeps the user's id (`user_id`), and logouts,
deactivation and revoked kiosk links reach it through its process's listener
(portal.sockets, portal.fanout), which compares that id.

`SocketAuthMiddleware` wraps one consumer (in the URL routes, below the router): it loads
the session named by the cookie and the user exactly as channels' `get_user` does (the
session's auth hash is checked, an unknown backend or a stale hash gives `AnonymousUser`),
and hands the consumer a scope of its own with `user` and without `cookies` or `session`. No
frame above the consumer holds that scope, so a consumer that has read what it needs can
`forget_user(self.scope)` and nothing keeps the user object alive. A scope that already has
a `user` (tests, an outer auth middleware) is passed through as it is. Nothing is written to
the session: channels saves it only for HTTP responses.
"""

from __future__ import annotations

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie


def session_key(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin1")).get(settings.SESSION_COOKIE_NAME)
    return None


async def scope_user(scope):
    """The user the session cookie of this connection names (AnonymousUser if none)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key(scope))
    return await get_user({"session": store})


class SocketAuthMiddleware:
    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if "user" in scope:
            return await self.inner(scope, receive, send)
        # The consumer's scope is built in the call, never held in this frame.
        return await self.inner(dict(scope, user=await scope_user(scope)), receive, send)


def forget_user(scope) -> None:
    """Drop the user object from a consumer's scope once it has read what it keeps."""
    scope.pop("user", None)
