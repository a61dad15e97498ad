"""Idle board sockets for the fan-out and memory benchmarks: N clients of daphne's
/ws/board/ (logged in with a session cookie, with an Origin) and N clients of the raw
websockets server, in this one driver process. With several server processes
(`board_servers(port, processes=P)`) the driver connects round-robin straight to the P ports
of each side: socket i goes to process i % P."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake

from . import common

SEQ = re.compile(r'"seq": (\d+)')


class Clients:
    """Client sockets spread round-robin over `urls` (one per server process)."""

    def __init__(self, urls: str | list[str], headers: dict | None = None) -> None:
        self.urls = [urls] if isinstance(urls, str) else list(urls)
        self.headers = headers or {}
        self.sockets = []
        self.received: list[list[tuple[int, float]]] = []
        self.tasks = []
        self.opened = 0
        self.retries = 0  # connects tried again (see _one)

    async def open(self, n: int, batch: int = 50) -> None:
        for start in range(0, n, batch):
            await asyncio.gather(*(self._one() for _ in range(min(batch, n - start))))

    async def _one(self, attempts: int = 5) -> None:
        url = self.urls[self.opened % len(self.urls)]
        self.opened += 1
        for attempt in range(attempts):
            try:
                ws = await connect(
                    url,
                    additional_headers=self.headers,
                    compression=None,
                    open_timeout=60,
                    ping_interval=None,
                    max_queue=None,
                )
                break
            except (OSError, InvalidHandshake):
                # daphne drops a handshake its application has not accepted within its
                # --websocket_connect_timeout (5 s): on a loaded machine, a batch of connects
                # can take that long. Opening is not what is measured: try again.
                if attempt == attempts - 1:
                    raise
                self.retries += 1
                await asyncio.sleep(0.5 * (attempt + 1))
        log: list[tuple[int, float]] = []
        self.sockets.append(ws)
        self.received.append(log)
        self.tasks.append(asyncio.create_task(self._read(ws, log)))

    @staticmethod
    async def _read(ws, log) -> None:
        clock = time.perf_counter
        try:
            async for message in ws:
                # `"seq": 123,` without a full JSON parse: the driver must stay cheap. A
                # frame holds one event or, for a burst, an array of them in seq order.
                at = clock()
                for match in SEQ.finditer(message):
                    log.append((int(match.group(1)), at))
        except Exception:
            return

    async def wait_for(self, seq: int, limit: float = 15.0) -> None:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if all(log and log[-1][0] >= seq for log in self.received):
                return
            await asyncio.sleep(0.002)

    async def first_seq_above(self, last: int, limit: float = 15.0) -> int:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            for log in self.received:
                if log and log[-1][0] > last:
                    return min(s for s, _ in log if s > last)
            await asyncio.sleep(0.001)
        raise RuntimeError(f"no event above seq {last}")

    def spread(self) -> str:
        """Open sockets per server process, e.g. `2500/2500/2500/2500`."""
        counts = dict.fromkeys(self.urls, 0)
        for ws in self.sockets:
            port = ws.remote_address[1]
            url = next(u for u in self.urls if f":{port}/" in u)
            counts[url] += 1
        return "/".join(str(n) for n in counts.values())

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def board_headers(port: int, user) -> dict:
    return {
        "Cookie": f"sessionid={common.session_cookie(user)}",
        "Origin": f"http://127.0.0.1:{port}",
    }


def bench_user():
    from portal.demo import demo_user, seed_people

    seed_people()
    return demo_user("pegawai")


@dataclass
class Servers:
    user: object  # the demo pegawai whose session the project's sockets use
    daphnes: list  # one daphne process per port
    raws: list  # one raw websockets server per port
    project: Clients
    baseline: Clients
    raw_ports: list[int]

    @property
    def daphne(self):
        return self.daphnes[0]

    @property
    def raw(self):
        return self.raws[0]


def server_ports(port: int, processes: int) -> tuple[list[int], list[int]]:
    """daphne on port, port + 2, ...; the raw servers on port + 1, port + 3, ..."""
    return (
        [port + 2 * k for k in range(processes)],
        [port + 2 * k + 1 for k in range(processes)],
    )


@contextlib.asynccontextmanager
async def board_servers(port: int, processes: int = 1):
    """`processes` daphne serving the project and as many raw websockets servers (the
    baseline), all pinned to CPU 0 with this driver on CPU 1 (two cores: the server
    processes share the one server core), with a `Clients` for each side; closed and stopped
    at the end. Django is set up (`common.setup_django`) before."""
    user = await sync_to_async(bench_user)()
    daphne_ports, raw_ports = server_ports(port, processes)
    headers = await sync_to_async(board_headers)(port, user)
    daphnes, raws = [], []
    try:
        for p in daphne_ports:
            daphnes.append(common.daphne(p, cpu=0))
        for p in raw_ports:
            raws.append(
                common.start(
                    [common.PY, "-m", "benchmarks.baselines.ws_broadcast", str(p)], p, cpu=0
                )
            )
        common.pin_self(1)
        project = Clients([f"ws://127.0.0.1:{p}/ws/board/" for p in daphne_ports], headers)
        baseline = Clients([f"ws://127.0.0.1:{p}/" for p in raw_ports])
        try:
            yield Servers(user, daphnes, raws, project, baseline, raw_ports)
        finally:
            await project.close()
            await baseline.close()
    finally:
        for proc in daphnes + raws:
            common.stop(proc)
