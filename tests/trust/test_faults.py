"""Faults (DESIGN §7): Redis stops during awards, PostgreSQL drops the connection, parallel awards.

Integration tests: they need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as `.ci/run`'s
second suite has them, and skip with the reason on the embedded SQLite + in-memory defaults.
The Redis test never touches the machine's Redis: it starts a private redis-server.
"""

import asyncio
import multiprocessing
import random
import shutil
import socket
import subprocess
import time
from http import HTTPStatus

import pytest
import redis
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings as django_settings
from django.db import connection, connections
from django.db.models import Sum
from django.test import RequestFactory

from leaderboard.broadcast import BOARD_GROUP
from leaderboard.models import ALL_TIME, PointEntry, Score
from leaderboard.services import award_points
from tests.factories import UserFactory

needs_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL or not shutil.which("redis-server"),
    reason="fault test needs Redis: run with REDIS_URL and redis-server installed (CI's second suite)",
)


# --- (a) Redis stops during awards ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on its own port: stop and start it at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(settings):
    server = PrivateRedis()
    server.start()
    # Overriding CHANNEL_LAYERS makes Channels drop its cached layers.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [server.url], "prefix": "faults"},
        }
    }
    yield server
    server.stop()


def health(client) -> dict:
    response = client.get("/healthz/")
    assert response.status_code == HTTPStatus.OK
    return response.json()


def award_while_listening(**award) -> tuple[PointEntry, dict]:
    """Award points while a channel in the board group listens, as a board socket would.
    All in one event loop: the pub/sub layer keeps its subscriptions per loop."""

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(BOARD_GROUP, channel)
        try:
            entry = await sync_to_async(award_points)(**award)
            async with asyncio.timeout(5):
                return entry, await layer.receive(channel)
        finally:
            await layer.group_discard(BOARD_GROUP, channel)

    return async_to_sync(scenario)()


@needs_redis
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_during_awards(client, private_redis, employee, supervisor):
    assert health(client)["channel_layer"] == "ok"
    award_points(user=employee, points=5, reason="recognition", key="before", created_by=supervisor)

    private_redis.stop()
    started = time.monotonic()
    for n in range(3):
        award_points(user=employee, points=10, reason="recognition", key=f"during-{n}")
    elapsed = time.monotonic() - started
    # every award is saved, and quickly: a dead Redis costs no request its answer
    assert PointEntry.objects.filter(user=employee).count() == 4
    assert Score.objects.get(user=employee, season=ALL_TIME).total == 35
    assert elapsed < 10, f"awards took {elapsed:.1f}s with Redis down"
    body = health(client)
    assert body == {"status": "ok", "database": "ok", "channel_layer": "degraded"}

    private_redis.start()  # same port: Redis returns
    deadline = time.monotonic() + 15
    while health(client)["channel_layer"] != "ok":
        assert time.monotonic() < deadline, "the channel layer did not come back"
        time.sleep(0.2)
    # boards hear new entries again (and resync the missed ones from the snapshot, by seq)
    entry, event = award_while_listening(user=employee, points=1, reason="recognition", key="after")
    assert event["seq"] == entry.pk
    assert event["seq"] > PointEntry.objects.get(key="during-2").pk


# --- (b) PostgreSQL drops the connection ---------------------------------------------------------


def real_request(path: str) -> tuple[int, bytes]:
    """A request through the full WSGI handler, with the request_started/finished signals the
    test client switches off (they run Django's connection health checks)."""
    from django.core.handlers.wsgi import WSGIHandler

    environ = RequestFactory().get(path, HTTP_HOST="localhost").environ
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0]), body


@pytest.fixture
def kept_connections():
    """Persistent connections, as the WSGI workers keep them (DJANGO_CONN_MAX_AGE=60): the
    case where a connection the database dropped could be reused."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    yield
    connection.settings_dict["CONN_MAX_AGE"] = saved


def terminate_backend_of(target) -> None:
    with target.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_next_request_recovers_after_the_database_drops_the_connection(
    settings, kept_connections
):
    settings.ALLOWED_HOSTS = ["localhost"]
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert real_request("/healthz/")[0] == HTTPStatus.OK
    terminate_backend_of(connection)

    status, body = real_request("/healthz/")
    assert status == HTTPStatus.OK, body
    assert b'"database": "ok"' in body
    assert real_request("/accounts/login/")[0] == HTTPStatus.OK


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_first_request_would_fail(settings, kept_connections):
    """The control: it is the health check that saves the first request."""
    settings.ALLOWED_HOSTS = ["localhost"]
    assert real_request("/healthz/")[0] == HTTPStatus.OK
    connection.health_check_enabled = False
    try:
        terminate_backend_of(connection)
        assert real_request("/healthz/")[0] == HTTPStatus.SERVICE_UNAVAILABLE
        # the failed request marked the connection unusable: the one after reconnects
        assert real_request("/healthz/")[0] == HTTPStatus.OK
    finally:
        connection.health_check_enabled = True


# --- (c) parallel awards from several processes --------------------------------------------------

WORKERS = 4
KEYS = 60
AWARDS_PER_WORKER = 90  # each key is tried by several processes, some twice by the same one


def points_for(key_index: int) -> int:
    return (key_index % 7) - 2 or 3  # negative corrections too, never zero


def award_worker(user_ids: list[int], seed: int, barrier) -> None:
    from channels.layers import channel_layers

    from portal.models import User

    channel_layers.backends = {}  # the parent's layer belongs to its event loops
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    order = [random.Random(seed + n).randrange(KEYS) for n in range(AWARDS_PER_WORKER)]
    barrier.wait(timeout=30)
    for key_index in order:
        award_points(
            user=users[user_ids[key_index % len(user_ids)]],
            points=points_for(key_index),
            reason="recognition",
            key=f"parallel-{key_index}",
        )
    connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_awards_from_several_processes_agree():
    user_ids = [UserFactory().pk for _ in range(3)]
    connections.close_all()  # children open their own connections after fork
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WORKERS)
    processes = [
        context.Process(target=award_worker, args=(user_ids, seed, barrier))
        for seed in range(WORKERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * WORKERS

    tried = {
        random.Random(seed + n).randrange(KEYS)
        for seed in range(WORKERS)
        for n in range(AWARDS_PER_WORKER)
    }
    assert PointEntry.objects.count() == len(tried)  # idempotent: one entry per key
    for index, user_id in enumerate(user_ids):
        expected = sum(points_for(k) for k in tried if k % len(user_ids) == index)
        ledger = PointEntry.objects.filter(user_id=user_id).aggregate(total=Sum("points"))["total"]
        all_time = Score.objects.get(user_id=user_id, season=ALL_TIME).total
        seasons = (
            Score.objects.filter(user_id=user_id)
            .exclude(season=ALL_TIME)
            .aggregate(total=Sum("total"))["total"]
        )
        assert ledger == all_time == seasons == expected
