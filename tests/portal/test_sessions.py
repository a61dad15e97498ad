"""Sessions come from the cache when Redis is configured (cached_db), and still end on logout."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"
PRINT_ENGINE = ["shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"]


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB


def test_a_logged_in_page_reads_the_session_from_the_cache(cached_sessions, client, employee):
    client.force_login(employee)
    assert client.get("/beranda/").status_code == HTTPStatus.OK
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/beranda/").status_code == HTTPStatus.OK
    assert not [q for q in queries if "django_session" in q["sql"]]


def test_logout_ends_a_cached_session(cached_sessions, client, employee):
    client.force_login(employee)
    cookie = client.cookies["sessionid"].value
    assert client.get("/beranda/").status_code == HTTPStatus.OK
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie  # replaying the old cookie gets nowhere
    assert client.get("/beranda/").status_code == HTTPStatus.FOUND


def test_sessions_are_cached_only_with_redis():
    # A process-local cache could keep a session that another process ended.
    redis = run_manage(*PRINT_ENGINE, env={**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:1/0"})
    local = run_manage(*PRINT_ENGINE, env={**PRODUCTION, "REDIS_URL": ""})
    # (the last line: `shell` first says how many objects it imported)
    assert redis.stdout.split()[-1] == CACHED_DB, redis.stderr
    assert local.stdout.split()[-1] == "django.contrib.sessions.backends.db", local.stderr
