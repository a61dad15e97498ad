"""Idle board sockets for the fan-out and memory benchmarks: N clients of daphne's
/ws/board/ (logged in with a session cookie, with an Origin) and N clients of the raw
websockets server, in this one driver process."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from websockets.asyncio.client import connect

from . import common

SEQ = re.compile(r'"seq": (\d+)')


class Clients:
    def __init__(self, url: str, headers: dict | None = None) -> None:
        self.url = url
        self.headers = headers or {}
        self.sockets = []
        self.received: list[list[tuple[int, float]]] = []
        self.tasks = []

    async def open(self, n: int, batch: int = 50) -> None:
        for start in range(0, n, batch):
            await asyncio.gather(*(self._one() for _ in range(min(batch, n - start))))

    async def _one(self) -> None:
        ws = await connect(
            self.url,
            additional_headers=self.headers,
            compression=None,
            open_timeout=60,
            ping_interval=None,
            max_queue=None,
        )
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
    daphne: object
    raw: object
    project: Clients
    baseline: Clients


@contextlib.asynccontextmanager
async def board_servers(port: int):
    """daphne serving the project on `port` and the raw websockets baseline on `port + 1` (both
    on CPU 0, this driver on CPU 1), with a `Clients` for each; closed and stopped at the end.
    Django is set up (`common.setup_django`) before."""
    user = await sync_to_async(bench_user)()
    headers = await sync_to_async(board_headers)(port, user)
    daphne = common.daphne(port, cpu=0)
    raw = common.start(
        [common.PY, "-m", "benchmarks.baselines.ws_broadcast", str(port + 1)], port + 1, cpu=0
    )
    common.pin_self(1)
    project = Clients(f"ws://127.0.0.1:{port}/ws/board/", headers)
    baseline = Clients(f"ws://127.0.0.1:{port + 1}/")
    try:
        yield Servers(user, daphne, raw, project, baseline)
    finally:
        await project.close()
        await baseline.close()
        common.stop(daphne)
        common.stop(raw)
