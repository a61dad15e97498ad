"""The production shape, as processes (issue 19): nginx in front, gunicorn for HTTP, two daphne
processes for /ws/, PostgreSQL and Redis — started from deploy/ on free ports, driven like a
browser would (HTTPS through nginx, session cookies, the board's websocket and its snapshot).

What it proves (README "Production differs", docs/deploy.md §5 "Proven with processes"):
1. nginx spreads the board sockets over both daphne processes (each answer of the /ws/
   upgrade carries the daphne that took it: `X-Upstream`, added to the generated config only);
2. a recognition given through the HTTP form (a gunicorn worker, a third process) reaches
   every socket in both daphne processes;
3. a logout (HTTP, gunicorn) and a deactivation by Admin BKPSDM (Wagtail's bulk action, HTTP)
   close the person's sockets in both daphne processes, and only theirs;
4. a daphne process killed with SIGKILL loses nothing committed: points given while it is
   down are in the ledger, its clients reconnect (nginx sends them to the other process) and
   resync from /papan/snapshot/ to the same totals as the ledger and the sockets that stayed;
   restarted, it is back in nginx's rotation and its sockets hear the next event.

The servers run as in production (DJANGO_DEBUG=0, not under pytest, the commands of
deploy/portal-web.service and deploy/portal-ws.service) against this test's PostgreSQL
database and Redis, with a channel and cache prefix of their own for the run. Skipped with
the reason without PostgreSQL, Redis or nginx; CLUSTER_REQUIRED=1 (CI) makes that a failure.
Timings go to test-artifacts/production-shape.json.
"""

from __future__ import annotations

import asyncio
import configparser
import contextlib
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import httpx
import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Sum
from django.test import Client

from leaderboard.models import ALL_TIME, PointEntry, Score
from portal.models import ADMIN_BKPSDM, User
from portal.sockets import SESSION_CLOSED_CODE
from tests.factories import OrgUnitFactory, UserFactory

try:
    import websockets
    from websockets.asyncio.client import connect as ws_connect
except ImportError:  # pragma: no cover - a dev requirement
    websockets = None

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None
)


SOCKETS = 20
TIMEOUT = 10.0  # seconds any one thing may take before the test says what did not happen
TIMINGS: dict[str, float | int | str] = {}


def missing() -> list[str]:
    reasons = []
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        reasons.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if not django_settings.REDIS_URL:
        reasons.append("Redis (REDIS_URL=redis://...)")
    if NGINX is None:
        reasons.append("nginx (apt-get install nginx-light)")
    if not shutil.which("openssl"):
        reasons.append("openssl")
    if websockets is None:
        reasons.append("the websockets package (requirements-dev.txt)")
    for program in ("daphne", "gunicorn"):
        if not (BIN / program).exists():
            reasons.append(f"{program} in {BIN}")
    return reasons


@pytest.fixture(scope="module")
def requirements():
    absent = missing()
    if absent:
        message = "production-shape test needs " + ", ".join(absent) + " (CI's second suite)"
        if os.environ.get("CLUSTER_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)


# --- the processes --------------------------------------------------------------------------


def free_ports(n: int) -> list[int]:
    probes = [socket.socket() for _ in range(n)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def unit_command(name: str) -> tuple[list[str], dict[str, str]]:
    """ExecStart (as argv) and Environment= of a systemd unit in deploy/."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text().replace("\\\n", " "))
    service = parser["Service"]
    env = dict(item.split("=", 1) for item in shlex.split(service.get("Environment", "")))
    argv = shlex.split(service["ExecStart"])
    argv[0] = str(BIN / Path(argv[0]).name)  # /srv/portal/app/.venv/bin/x -> this venv's x
    return argv, env


def replaced(text: str, old: str, new: str) -> str:
    """Replace, and fail loudly when deploy/ no longer has what the test rewrites."""
    assert old in text, f"{old!r} is no longer in the deploy file: update {__file__}"
    return text.replace(old, new)


def nginx_site(*, tls_port, plain_port, http_port, ws_ports, certs: Path, tmp: Path) -> str:
    """deploy/nginx.conf on free ports, with the test's certificate, folders and upstreams;
    the one addition: `X-Upstream` on the /ws/ answers, to see which daphne took a socket."""
    site = (DEPLOY / "nginx.conf").read_text()
    site = replaced(site, "server 127.0.0.1:8001;", f"server 127.0.0.1:{http_port};")
    site = replaced(
        site,
        "server 127.0.0.1:8002;",
        "\n    ".join(f"server 127.0.0.1:{port};" for port in ws_ports),
    )
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{plain_port};")
    site = replaced(site, "listen 443 ssl", f"listen 127.0.0.1:{tls_port} ssl")
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.M)  # no IPv6 needed here
    site = replaced(site, "/etc/ssl/portal", str(certs))
    site = replaced(site, "/srv/portal/app/staticfiles/", f"{tmp}/static/")
    site = replaced(site, "/srv/portal/media/", f"{tmp}/media/")
    return replaced(
        site,
        "location /ws/ {",
        "location /ws/ {\n        add_header X-Upstream $upstream_addr always;",
    )


def nginx_main(tmp: Path) -> str:
    """The top-level nginx.conf around the site: everything under `tmp`."""
    built_in = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    temp_paths = "".join(
        f" {kind.replace('-', '_')}_temp_path {tmp}/nginx-{kind};\n"
        for kind in re.findall(r"--http-([\w-]+)-temp-path=", built_in)
    )
    user = ""
    if os.geteuid() == 0:  # workers would otherwise run as nobody, who cannot enter tmp
        user = f"user {pwd.getpwuid(0).pw_name};\n"
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\n"
        f"error_log {tmp}/nginx-error.log warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n access_log {tmp}/nginx-access.log;\n{temp_paths}"
        f" include {tmp}/site.conf;\n}}\n"
    )


@dataclass
class Server:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: gunicorn's workers go with it
            )

    def wait_listening(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited ({self.process.returncode}):\n{self.tail()}"
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} not listening on {self.port}:\n{self.tail()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a crash would end it."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the group this test started

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Cluster:
    url: str  # https://127.0.0.1:<nginx port>
    origin: str
    ssl: ssl.SSLContext
    daphnes: list[Server]
    servers: list[Server]
    redis_url: str
    channels_prefix: str
    cache_prefix: str

    def upstream(self, port: int) -> str:
        return f"127.0.0.1:{port}"

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} ---\n{s.tail(15)}" for s in self.servers)


def database_url(application_name: str) -> str:
    """This test's database (test_portal_..., the xdist worker's when in parallel), with the
    servers' connections named so that the teardown can wait for them to end."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}?application_name={application_name}"
    )


def make_certificate(folder: Path) -> ssl.SSLContext:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return ssl.create_default_context(cafile=str(folder / "fullchain.pem"))


@pytest.fixture
def cluster(requirements, transactional_db, tmp_path, settings) -> Cluster:
    """nginx + gunicorn + 2 daphne on free ports; torn down before the database is flushed."""
    started = time.monotonic()
    run = uuid.uuid4().hex[:8]
    base = django_settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "portal")
    channels_prefix, cache_prefix = f"{base}-shape-{run}", f"{base}-shape-cache-{run}"
    redis_url = django_settings.REDIS_URL
    # This process shares the servers' Redis, channel prefix and cache (board caches and
    # sessions are invalidated in Redis, as any other process of the deployment would).
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": channels_prefix},
        }
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": cache_prefix,
        }
    }
    for folder in ("certs", "static", "media", "private"):
        (tmp_path / folder).mkdir()
    context = make_certificate(tmp_path / "certs")
    tls_port, plain_port, http_port, *ws_ports = free_ports(5)
    origin = f"https://127.0.0.1:{tls_port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "CHANNELS_", "E2E_"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    } | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,  # sessions made here are valid there
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # nginx passes `Host: $host` (no port): a browser's Origin names the port
        "DJANGO_CSRF_TRUSTED_ORIGINS": origin,
        "PORTAL_BASE_URL": origin,
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url(channels_prefix),
        "REDIS_URL": redis_url,
        "CHANNELS_PREFIX": channels_prefix,
        "DJANGO_CACHE_PREFIX": cache_prefix,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    web_argv, web_env = unit_command("portal-web.service")
    web_argv = [
        "1" if previous == "--workers" else arg.replace("127.0.0.1:8001", f"127.0.0.1:{http_port}")
        for previous, arg in zip(["", *web_argv[:-1]], web_argv, strict=True)
    ]  # one worker (of a pool of 5): the test machines have two cores
    ws_argv, ws_env = unit_command("portal-ws.service")
    assert "8002" in ws_argv and f"127.0.0.1:{http_port}" in web_argv
    daphnes = [
        Server(
            f"daphne-{n}",
            [str(port) if arg == "8002" else arg for arg in ws_argv],
            env | ws_env,
            tmp_path / f"daphne-{n}.log",
            port,
        )
        for n, port in enumerate(ws_ports, 1)
    ]
    gunicorn = Server("gunicorn", web_argv, env | web_env, tmp_path / "gunicorn.log", http_port)
    (tmp_path / "site.conf").write_text(
        nginx_site(
            tls_port=tls_port,
            plain_port=plain_port,
            http_port=http_port,
            ws_ports=ws_ports,
            certs=tmp_path / "certs",
            tmp=tmp_path,
        )
    )
    (tmp_path / "nginx.conf").write_text(nginx_main(tmp_path))
    nginx = Server(
        "nginx",
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        os.environ.copy(),
        tmp_path / "nginx-error.log",
        tls_port,
    )
    servers = [*daphnes, gunicorn, nginx]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_listening()
        # gunicorn's workers boot after the master listens: ready when /healthz/ answers
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(f"{origin}/healthz/", verify=context, timeout=5)
                if response.status_code == HTTPStatus.OK:
                    assert response.json()["channel_layer"] == "ok", response.text
                    break
            assert time.monotonic() < deadline, f"/healthz/ never answered:\n{gunicorn.tail()}"
            time.sleep(0.1)
        TIMINGS["startup_s"] = round(time.monotonic() - started, 2)
        yield Cluster(
            url=origin,
            origin=origin,
            ssl=context,
            daphnes=daphnes,
            servers=servers,
            redis_url=redis_url,
            channels_prefix=channels_prefix,
            cache_prefix=cache_prefix,
        )
    finally:
        stopping = time.monotonic()
        for server in servers:
            server.terminate()  # all at once, then wait for each
        for server in servers:
            server.stop()
        wait_for_server_connections_to_close(channels_prefix)
        forget_keys(redis_url, cache_prefix)
        TIMINGS["teardown_s"] = round(time.monotonic() - stopping, 2)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "production-shape.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


def wait_for_server_connections_to_close(application_name: str, timeout: float = 10.0) -> None:
    """The servers' PostgreSQL sessions linger a moment; the flush and DROP DATABASE wait."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [application_name],
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def forget_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


# --- the people and their browsers -----------------------------------------------------------


@dataclass
class World:
    supervisor: User
    staff: list[User]
    admin: User
    bystander: User


def build_world() -> World:
    from allauth.mfa.models import Authenticator

    unit = OrgUnitFactory()
    supervisor = UserFactory(org_unit=unit, jabatan="Kepala Bidang", jenis_jabatan="administrator")
    staff = [UserFactory(org_unit=unit, atasan=supervisor) for _ in range(SOCKETS // 2)]
    admin = UserFactory(groups=[ADMIN_BKPSDM], org_unit=unit)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    bystander = UserFactory(org_unit=unit)
    return World(supervisor, staff, admin, bystander)


def session_of(user: User) -> str:
    """A logged-in session, made as the login view makes one (stored in Redis and PostgreSQL)."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


class Browser:
    """One person's browser: HTTPS through nginx with their session and a CSRF cookie."""

    def __init__(self, cluster: Cluster, session: str) -> None:
        self.cluster = cluster
        self.session = session
        self.csrf = secrets.token_hex(16)  # a 32-character secret, as the cookie holds it
        self.http = httpx.AsyncClient(
            base_url=cluster.url,
            verify=cluster.ssl,
            cookies={"sessionid": session, "csrftoken": self.csrf},
            timeout=TIMEOUT,
        )

    async def post(self, path: str, data: dict) -> httpx.Response:
        return await self.http.post(
            path,
            data=data,
            headers={
                "X-CSRFToken": self.csrf,
                "Origin": self.cluster.origin,
                "Referer": f"{self.cluster.url}{path}",
            },
        )

    async def snapshot(self) -> dict:
        response = await self.http.get(
            "/papan/snapshot/?musim=semua&lingkup=kota", headers={"Accept": "application/json"}
        )
        assert response.status_code == HTTPStatus.OK, response.text[:500]
        return response.json()

    async def socket(self) -> BoardSocket:
        ws = await ws_connect(
            self.cluster.url.replace("https://", "wss://") + "/ws/board/",
            ssl=self.cluster.ssl,
            origin=self.cluster.origin,
            additional_headers={"Cookie": f"sessionid={self.session}"},
            open_timeout=TIMEOUT,
        )
        # $upstream_addr lists every daphne nginx tried ("A, B" when A refused): the last took it
        tried = ws.response.headers.get("X-Upstream", "")
        board = BoardSocket(self, ws, tried.split(", ")[-1], tried)
        board.reader = asyncio.create_task(board.read())
        return board

    async def close(self) -> None:
        await self.http.aclose()


@dataclass(eq=False)
class BoardSocket:
    """A board client: what it heard, in order, and how it ended (the JS's `onEvent`)."""

    browser: Browser
    ws: object
    upstream: str  # the daphne process serving it (host:port)
    tried: str  # every daphne nginx tried for it
    events: list[dict] = field(default_factory=list)
    heard: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task | None = None

    async def read(self) -> None:
        try:
            async for message in self.ws:
                data = json.loads(message)
                self.events.extend(data if isinstance(data, list) else [data])
                self.heard.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self.closed.set()
            self.heard.set()  # wakes a wait for an event that will not come

    async def event(self, seq: int) -> dict:
        async with asyncio.timeout(TIMEOUT):
            while True:
                found = next((e for e in self.events if e.get("seq") == seq), None)
                if found is not None:
                    return found
                if self.closed.is_set():
                    raise AssertionError(f"socket on {self.upstream} closed ({self.close_code})")
                self.heard.clear()  # no await since the check: nothing heard in between
                await self.heard.wait()

    async def ended(self) -> int | None:
        async with asyncio.timeout(TIMEOUT):
            await self.closed.wait()
        return self.close_code

    @property
    def open(self) -> bool:
        return not self.closed.is_set()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await self.reader


async def give(browser: Browser, receiver: User, points: int) -> int:
    """ "Beri Apresiasi" through the HTTP form; the ledger id (the board's `seq`) it made."""
    response = await browser.post(
        "/papan/beri/",
        {
            "receiver": receiver.pk,
            "value": "kolaboratif",
            "points": str(points),
            "message": "Terima kasih atas kerja samanya",
            "token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, (response.status_code, response.text[:500])
    entry = await PointEntry.objects.filter(user=receiver).order_by("-pk").afirst()
    return entry.pk


async def ledger_total(user: User) -> int:
    return (await PointEntry.objects.filter(user=user).aaggregate(total=Sum("points")))["total"]


def by_upstream(sockets: list[BoardSocket]) -> dict[str, list[BoardSocket]]:
    groups: dict[str, list[BoardSocket]] = {}
    for board in sockets:
        groups.setdefault(board.upstream, []).append(board)
    return groups


async def everyone_hears(sockets: list[BoardSocket], seq: int) -> list[dict]:
    """The event `seq` as each socket heard it; fails naming the processes of those that did not."""
    heard = await asyncio.gather(*(board.event(seq) for board in sockets), return_exceptions=True)
    deaf = Counter(
        s.upstream for s, e in zip(sockets, heard, strict=True) if not isinstance(e, dict)
    )
    assert not deaf, f"event {seq} did not reach these sockets (per daphne): {dict(deaf)}"
    return heard


async def close_codes(sockets: list[BoardSocket]) -> list[int | None]:
    """How each socket ended; fails naming the processes of those still open."""
    ended = await asyncio.gather(*(board.ended() for board in sockets), return_exceptions=True)
    still_open = Counter(
        s.upstream for s, e in zip(sockets, ended, strict=True) if isinstance(e, BaseException)
    )
    assert not still_open, f"these sockets stayed open (per daphne): {dict(still_open)}"
    return ended


def row_total(snapshot: dict, row: str) -> int | None:
    for panel in snapshot["panels"]:
        for line in [*panel["rows"], *([panel["me"]] if panel.get("me") else [])]:
            if line["row"] == row:
                return line["total"]
    return None


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.skipif(
    NGINX is None or not shutil.which("openssl"), reason="needs nginx (nginx-light) and openssl"
)
def test_the_generated_nginx_config_is_the_deploy_file_on_free_ports(tmp_path):
    """Cheap, on every run with nginx: what the cluster test runs is deploy/nginx.conf."""
    make_certificate(tmp_path)
    site = nginx_site(
        tls_port=18443, plain_port=18080, http_port=18001, ws_ports=[18002, 18003],
        certs=tmp_path, tmp=tmp_path,
    )  # fmt: skip
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(nginx_main(tmp_path))
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    deploy = (DEPLOY / "nginx.conf").read_text()
    kept = [line.strip() for line in deploy.splitlines() if line.strip().startswith("proxy_")]
    assert kept and all(line in site for line in kept)  # every proxy directive, as deployed
    ws = site[site.index("upstream portal_ws") :]
    assert ws[: ws.index("}")].count("server 127.0.0.1:") == 2


@pytest.mark.cluster
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_two_daphne_processes_behind_nginx(cluster: Cluster):
    world = await sync_to_async(build_world)()
    a, b = (cluster.upstream(d.port) for d in cluster.daphnes)
    sessions = {
        user.pk: await sync_to_async(session_of)(user)
        for user in [world.supervisor, world.admin, world.bystander, *world.staff]
    }
    browsers = {pk: Browser(cluster, key) for pk, key in sessions.items()}
    boss = browsers[world.supervisor.pk]
    sockets: list[BoardSocket] = []
    try:
        # 1. sockets spread over both processes: two tabs per person, through nginx
        t = time.monotonic()
        for user in world.staff:
            sockets += [await browsers[user.pk].socket(), await browsers[user.pk].socket()]
        TIMINGS["connect_20_sockets_s"] = round(time.monotonic() - t, 2)
        spread = {upstream: len(group) for upstream, group in by_upstream(sockets).items()}
        TIMINGS["sockets_per_daphne"] = json.dumps(spread)
        assert set(spread) == {a, b}, spread
        assert min(spread.values()) >= SOCKETS // 4, spread  # round robin: about half each

        # 2. every event reaches every socket: a recognition given over HTTP (gunicorn)
        receiver = world.staff[0]
        t = time.monotonic()
        seq = await give(boss, receiver, 10)
        TIMINGS["award_http_post_s"] = round(time.monotonic() - t, 3)
        heard = await everyone_hears(sockets, seq)
        TIMINGS["award_post_to_all_20_sockets_s"] = round(time.monotonic() - t, 3)
        assert {e["all_total"] for e in heard} == {10}
        assert {e["recognition"]["giver"] for e in heard} == {world.supervisor.full_name}

        # 3a. logout closes the person's sockets in both processes, and only theirs
        leaver, deactivated = world.staff[1], world.staff[2]
        theirs = [s for s in sockets if s.browser is browsers[leaver.pk]]
        assert {s.upstream for s in theirs} == {a, b}, "one tab on each process"
        t = time.monotonic()
        response = await browsers[leaver.pk].post("/accounts/logout/", {})
        assert response.status_code == HTTPStatus.FOUND, response.text[:500]
        assert await close_codes(theirs) == [SESSION_CLOSED_CODE] * len(theirs)
        TIMINGS["logout_to_sockets_closed_s"] = round(time.monotonic() - t, 3)

        # 3b. Admin BKPSDM deactivates a person (Wagtail's bulk action, over HTTP)
        victims = [s for s in sockets if s.browser is browsers[deactivated.pk]]
        assert {s.upstream for s in victims} == {a, b}
        admin = browsers[world.admin.pk]
        t = time.monotonic()
        response = await admin.post(
            f"/admin/bulk/portal/user/set_active_state/?id={deactivated.pk}",
            {"mark_as_active": "False"},
        )
        assert response.status_code == HTTPStatus.FOUND, response.text[:500]
        assert await close_codes(victims) == [SESSION_CLOSED_CODE] * len(victims)
        TIMINGS["deactivation_to_sockets_closed_s"] = round(time.monotonic() - t, 3)
        assert not (await User.objects.aget(pk=deactivated.pk)).is_active

        gone = set(theirs + victims)
        sockets = [s for s in sockets if s not in gone]
        assert all(s.open for s in sockets), "only their sockets closed"
        seq = await give(boss, receiver, 5)  # and the others still hear, in both processes
        assert {e["all_total"] for e in await everyone_hears(sockets, seq)} == {15}
        for browser in (browsers[leaver.pk], browsers[deactivated.pk]):  # and cannot come back
            with pytest.raises(websockets.InvalidStatus):
                await browser.socket()

        # 4. SIGKILL one daphne: nothing committed is lost, its clients resync
        killed = cluster.daphnes[0]
        lost = [s for s in sockets if s.upstream == a]
        kept = [s for s in sockets if s.upstream == b]
        t = time.monotonic()
        killed.kill()
        codes = await close_codes(lost)
        TIMINGS["kill_to_sockets_dropped_s"] = round(time.monotonic() - t, 3)
        assert set(codes) == {1006}, codes  # abnormal closure: no close frame from a dead process
        assert all(s.open for s in kept), "the other process's sockets stay"

        awarded_while_down, rows = [], {}
        for person, points in ((receiver, 25), (world.staff[3], 50)):
            seq = await give(boss, person, points)  # gunicorn commits, daphne-2 hears
            awarded_while_down.append(seq)
            rows[person.pk] = (await everyone_hears(kept, seq))[0]["row"]
        entries = PointEntry.objects.filter(pk__in=awarded_while_down)
        assert await entries.acount() == 2, "both awards given while a daphne was down are saved"
        last_heard = {e["row"]: e["all_total"] for e in kept[0].events}  # absolute totals

        # the dropped clients reconnect as leaderboard.js does (a new socket, then the snapshot):
        # nginx sends them to the process that is up
        t = time.monotonic()
        again = [await s.browser.socket() for s in lost]
        assert {s.upstream for s in again} == {b}, "nginx sent the reconnects to daphne-2"
        assert any(s.tried == f"{a}, {b}" for s in again), "...after daphne-1 refused"
        snapshots = await asyncio.gather(*(s.browser.snapshot() for s in again))
        TIMINGS["reconnect_and_resync_s"] = round(time.monotonic() - t, 3)
        latest = await PointEntry.objects.order_by("-pk").values_list("pk", flat=True).afirst()
        for person in (receiver, world.staff[3]):
            total = await ledger_total(person)
            score = await Score.objects.aget(user=person, season=ALL_TIME)
            assert score.total == total == last_heard[rows[person.pk]]
            for snapshot in snapshots:
                assert snapshot["seq"] == latest  # nothing after the snapshot is missing
                assert row_total(snapshot, rows[person.pk]) == total, snapshot["panels"]
        sockets = kept + again

        # restarted, the process is back: nginx puts it in the rotation again (after the
        # upstream's fail_timeout, 10 s by default) and its sockets hear the next event
        t = time.monotonic()
        killed.start()
        killed.wait_listening()
        TIMINGS["daphne_restart_s"] = round(time.monotonic() - t, 2)
        probe_owner = browsers[world.bystander.pk]
        deadline = time.monotonic() + 20
        while not any(s.upstream == a for s in sockets):
            assert time.monotonic() < deadline, "nginx never sent a socket to the restarted daphne"
            sockets.append(await probe_owner.socket())
            await asyncio.sleep(0.5)
        TIMINGS["restart_to_first_socket_on_it_s"] = round(time.monotonic() - t, 2)
        seq = await give(boss, world.staff[4], 10)
        heard = await everyone_hears(sockets, seq)
        assert {e["all_total"] for e in heard} == {10}
        assert seq == snapshots[0]["seq"] + 1  # a resynced client sees no gap: no refetch
        assert {s.upstream for s in sockets} == {a, b}
        TIMINGS["sockets_at_end"] = json.dumps(
            {upstream: len(group) for upstream, group in by_upstream(sockets).items()}
        )
    except BaseException:
        sys.stderr.write(cluster.logs())
        raise
    finally:
        for board in sockets:
            await board.close()
        for browser in browsers.values():
            await browser.close()
