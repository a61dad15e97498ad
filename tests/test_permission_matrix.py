"""Role-by-URL permission matrix (issue 9), generated from the URLconf.

Every route of the portal's own apps (plus the Wagtail/Django admin entry points and a few
Wagtail pages) is requested by every role; the outcome must match tests/permission_matrix.py.
Object ids in URLs belong to `employee` (tests/matrix_world.py), so the other roles try to
reach someone else's objects. Refused requests must change nothing; nothing may answer 500.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from leaderboard.routing import websocket_urlpatterns
from tests.helpers import module_world, with_user
from tests.matrix_world import ROLES, build_world, snapshot
from tests.permission_matrix import EXTRA_PATHS, ROUTES

# Third-party URLconfs are reached through their entry points in EXTRA_PATHS, not walked.
SKIPPED_MODULE_PREFIXES = ("wagtail", "allauth", "django.")
SKIPPED_ROUTE_PREFIXES = ("django-admin/", "^media/")  # admin.site.urls; DEBUG-only media


def walk(patterns, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_ROUTE_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module.startswith(SKIPPED_MODULE_PREFIXES):
                continue
            routes += walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


URLCONF_ROUTES = walk(get_resolver().url_patterns)


def outcome(response) -> str:
    status = response.status_code
    if status == HTTPStatus.OK:
        return "ok"
    if status in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND):
        return "forbidden"
    if status == HTTPStatus.UNAUTHORIZED:  # the API (/api/v1/) answers instead of redirecting
        return "unauth"
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return "method"
    if status == HTTPStatus.BAD_REQUEST:
        return "bad"
    if status in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
        if response["Location"].startswith("/accounts/login/"):
            return "login"
        return "redirect"
    return f"status {status}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set for the whole module, rolled back at the end."""
    with module_world(build_world, django_db_blocker, tmp_path_factory) as world:
        yield world


def expand(route: str, world) -> str:
    entry = ROUTES[route]
    path = "/" + route
    for name, key in entry.kwargs.items():
        value = world.ids[key]
        path = path.replace(f"<{name}>", str(value))
        for converter in ("int", "str", "slug", "uuid", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    assert "<" not in path, f"{route}: fill every URL parameter in tests/permission_matrix.py"
    return path


def test_every_route_has_an_entry():
    missing = [route for route in URLCONF_ROUTES if route not in ROUTES]
    assert not missing, "add these routes to tests/permission_matrix.py: " + ", ".join(
        f"/{route}" for route in missing
    )
    stale = sorted(set(ROUTES) - set(URLCONF_ROUTES))
    assert not stale, f"routes no longer in the URLconf: {stale}"


def _request(world, role: str, method: str, path: str):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    if method == "POST":
        return client.post(path, {})
    return client.get(path)


def _check(world, role: str, label: str, method: str, path: str, expected: str):
    before = snapshot(world)
    response = _request(world, role, method, path)
    got = outcome(response)
    assert response.status_code < 500, f"{method} {path} as {role}: {response.status_code}"
    assert got == expected, f"{method} {path} as {role}: expected {expected}, got {got} ({label})"
    if got in ("forbidden", "login", "method", "bad"):
        assert snapshot(world) == before, f"{method} {path} as {role} was refused but changed data"


CASES = [
    pytest.param(route, role, entry.method, entry.expect, id=f"{role}-{entry.method}-/{route}")
    for route, entry in sorted(ROUTES.items())
    for role in ROLES
    if route in URLCONF_ROUTES
] + [
    # GET+POST routes: an empty POST too
    pytest.param(route, role, "POST", entry.post, id=f"{role}-POST-/{route}")
    for route, entry in sorted(ROUTES.items())
    for role in ROLES
    if route in URLCONF_ROUTES and entry.post
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role", "method", "expect"), CASES)
def test_route(world, route, role, method, expect):
    expected = dict(zip(ROLES, expect.split(), strict=True))[role]
    _check(world, role, f"{method} {route}", method, expand(route, world), expected)


EXTRA_CASES = [
    pytest.param(path, role, id=f"{role}-{path}") for path in EXTRA_PATHS for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role"), EXTRA_CASES)
def test_entry_point(world, path, role):
    entry = EXTRA_PATHS[path]
    expected = dict(zip(ROLES, entry.expect.split(), strict=True))[role]
    real = path.format(**world.paths)
    _check(world, role, path, entry.method, real, expected)


# --- /ws/board/ ----------------------------------------------------------------------------
# The board socket admits every signed-in person (the board is city-wide) and no anonymous
# visitor without a kiosk ticket; it serves no object ids, so a role has nothing else to try.
WS_EXPECT = {role: role != "anonymous" for role in ROLES}


async def _board_socket_connects(user) -> bool:
    communicator = WebsocketCommunicator(
        with_user(URLRouter(websocket_urlpatterns), user), "/ws/board/"
    )
    connected, _ = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_board_socket(world, role, monkeypatch):
    # database_sync_to_async would close the test's (in-memory, shared) connection
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)
    user = world.users[role] or AnonymousUser()
    assert async_to_sync(_board_socket_connects)(user) is WS_EXPECT[role]


# --- valid writes aimed at someone else's objects ---------------------------------------------
# An empty POST only reaches the view's read check; these send a well-formed form, so the
# service's own rule must refuse. (url, kwargs, data, the roles allowed to change state)
WRITES = {
    "rhk_add": ("/kinerja/skp/{skp}/rhk/", {"jenis": "utama", "text": "RHK titipan"}, ()),
    "evidence_link": (
        "/kinerja/laporan/{report}/tautan/",
        {"url": "https://contoh.go.id/bukti", "description": "titipan"},
        ("employee",),  # the owner may add bukti dukung to a submitted, unrated report (15.5)
    ),
    "report_rate": (
        "/kinerja/laporan/{report}/nilai/",
        {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "konfirmasi": "ya"},
        ("supervisor",),
    ),
    "report_return": ("/kinerja/laporan/{report}/kembalikan/", {"note": "ulang"}, ("supervisor",)),
    "recognition_revoke": ("/papan/apresiasi/{recognition}/cabut/", {"reason": "uji"}, ("admin",)),
    "consent": ("/cerita/persetujuan/{consent}/", {"decision": "setuju"}, ("employee",)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_valid_write(world, write, role):
    url, data, allowed = WRITES[write]
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    before = snapshot(world)
    response = client.post(url.format(**world.ids), data)
    assert response.status_code < 500
    if role in allowed:
        assert snapshot(world) != before, f"{write} as {role} should have changed something"
    else:
        assert snapshot(world) == before, f"{write} as {role} changed someone else's data"
