"""Idle board sockets for the fan-out and memory benchmarks: N clients of daphne's
/ws/board/ (logged in with a session cookie, with an Origin) and N clients of the raw
websockets server, in this one driver process or, with `drivers=K`, spread over K driver
processes (`SpreadClients`, `socket_driver`). With several server processes (`board_servers(port,
processes=P)`) the driver connects round-robin straight to the P ports of each side: socket i
goes to process i % P."""

from __future__ import annotations

import asyncio
import contextlib
import json
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
        # (seq, receipt time) per socket; the time is time.perf_counter(), which on Linux is
        # CLOCK_MONOTONIC: one clock for every process of the machine (socket_driver).
        self.received: list[list[tuple[int, float]]] = []
        self.tasks = []
        self.opened = 0  # the next socket's global index: its url is urls[index % P]
        self.retries = 0  # connects tried again (see _one)

    async def open(self, n: int, batch: int = 50) -> None:
        for start in range(0, n, batch):
            await asyncio.gather(*(self._one() for _ in range(min(batch, n - start))))

    async def _one(self, attempts: int = 10) -> None:
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

    def counts(self) -> list[int]:
        """Open sockets per server process (per url)."""
        counts = dict.fromkeys(self.urls, 0)
        for ws in self.sockets:
            port = ws.remote_address[1]
            url = next(u for u in self.urls if f":{port}/" in u)
            counts[url] += 1
        return list(counts.values())

    def spread(self) -> str:
        """Open sockets per server process, e.g. `2500/2500/2500/2500`."""
        return "/".join(str(n) for n in self.counts())

    async def collect(self) -> list[list[tuple[int, float]]]:
        """Every socket's (seq, receipt time) log (as `SpreadClients.collect`)."""
        return self.received

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


class Driver:
    """A driver process (`python -m benchmarks.socket_driver`) and its command line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lock = asyncio.Lock()

    @classmethod
    async def start(cls) -> Driver:
        proc = await asyncio.create_subprocess_exec(
            *(common.PY, "-m", "benchmarks.socket_driver"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=common.ROOT,
            limit=1 << 28,  # a `collect` reply is one line: every socket's log
        )
        return cls(proc)

    async def call(self, **command) -> dict:
        async with self.lock:
            self.proc.stdin.write(json.dumps(command).encode() + b"\n")
            await self.proc.stdin.drain()
            line = await self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"socket driver {self.proc.pid} exited ({command['op']})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"socket driver {self.proc.pid}: {reply['error']}")
        return reply

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.stdin.close()  # its end of input: it closes its sockets and exits
            try:
                await asyncio.wait_for(self.proc.wait(), 60)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


@contextlib.asynccontextmanager
async def socket_drivers(k: int):
    """K driver processes (none for k <= 1), stopped at the end."""
    drivers: list[Driver] = []
    try:
        for _ in range(k if k > 1 else 0):
            drivers.append(await Driver.start())
        yield drivers
    finally:
        await asyncio.gather(*(driver.stop() for driver in drivers))


class SpreadClients:
    """`Clients`' surface (open, wait_for, first_seq_above, collect, spread, retries, close)
    over K driver processes: each `open(n)` gives each driver its share of the n sockets, a
    contiguous run of the global round-robin, so the server processes get the same spread as
    from one driver. One process holds only as many sockets as its open-file limit allows
    (RLIMIT_NOFILE is per process); K of them hold K times as many."""

    def __init__(
        self, drivers: list[Driver], group: str, urls: list[str], headers: dict | None = None
    ) -> None:
        self.drivers = drivers
        self.group = group
        self.urls = urls
        self.headers = headers or {}
        self.opened = 0
        self.replies: dict[int, dict] = {}  # the last `open` reply per driver

    async def _all(self, **command) -> list[dict]:
        return await asyncio.gather(
            *(driver.call(group=self.group, **command) for driver in self.drivers)
        )

    async def open(self, n: int, batch: int = 50) -> None:
        k = len(self.drivers)
        shares = [n // k + (1 if i < n % k else 0) for i in range(k)]
        offsets = [self.opened + sum(shares[:i]) for i in range(k)]
        # the same number of handshakes in flight as one driver's batch, over all drivers
        per = max(1, batch // k)
        live = [i for i in range(k) if shares[i]]
        replies = await asyncio.gather(
            *(
                self.drivers[i].call(
                    op="open",
                    group=self.group,
                    urls=self.urls,
                    headers=self.headers,
                    n=shares[i],
                    offset=offsets[i],
                    batch=per,
                )
                for i in live
            )
        )
        self.replies.update(zip(live, replies, strict=True))
        self.opened += n

    @property
    def retries(self) -> int:
        return sum(reply["retries"] for reply in self.replies.values())

    def spread(self) -> str:
        each = [reply["counts"] for reply in self.replies.values()]
        counts = [sum(column) for column in zip(*each, strict=True)]
        return "/".join(str(n) for n in counts)

    async def wait_for(self, seq: int) -> None:
        await self._all(op="wait", seq=seq)

    async def first_seq_above(self, last: int) -> int:
        return min(reply["seq"] for reply in await self._all(op="above", last=last))

    async def collect(self) -> list[list[tuple[int, float]]]:
        return [
            [(seq, at) for seq, at in log]
            for reply in await self._all(op="collect")
            for log in reply["received"]
        ]

    async def close(self) -> None:
        await self._all(op="shut")


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
    project: Clients | SpreadClients
    baseline: Clients | SpreadClients
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
async def board_servers(port: int, processes: int = 1, drivers: int = 1):
    """`processes` daphne serving the project and as many raw websockets servers (the
    baseline), all pinned to CPU 0 with this driver on CPU 1 (two cores: the server
    processes share the one server core), with a `Clients` for each side (a `SpreadClients`
    over `drivers` driver processes, also on CPU 1, when drivers > 1); closed and stopped at
    the end. Django is set up (`common.setup_django`) before."""
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
        common.pin_self(1)  # before the driver processes: they inherit it
        urls = {
            "project": [f"ws://127.0.0.1:{p}/ws/board/" for p in daphne_ports],
            "baseline": [f"ws://127.0.0.1:{p}/" for p in raw_ports],
        }
        async with socket_drivers(drivers) as pool:
            if pool:
                project = SpreadClients(pool, "project", urls["project"], headers)
                baseline = SpreadClients(pool, "baseline", urls["baseline"])
            else:
                project = Clients(urls["project"], headers)
                baseline = Clients(urls["baseline"])
            try:
                yield Servers(user, daphnes, raws, project, baseline, raw_ports)
            finally:
                await project.close()
                await baseline.close()
    finally:
        for proc in daphnes + raws:
            common.stop(proc)
