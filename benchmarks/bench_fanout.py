"""Board fan-out: award -> receipt on N open board sockets, project vs raw websockets.

    python -m benchmarks.bench_fanout --sockets 2000 --awards 20
    python -m benchmarks.bench_fanout --sockets 10000 --processes 4

Project: daphne serving portal.asgi with the Redis channel layer; this driver calls
`award_points` (REDIS_URL set, so the event goes through Redis to daphne) and times from
just before the call to each socket's receipt. Baseline: the raw websockets server, the
driver sends the same event JSON to /publish. Awards alternate between the two. Every
socket must receive every event (reach) with no seq gaps.

`--processes P`: P daphne processes and P raw servers (all on the server core: the machine
has two), the sockets of each side spread round-robin over its P ports, the driver connecting
straight to each port (no nginx: it would add a hop and a process on the same two cores to
both sides, and round-robin is what nginx's upstream does anyway). The project's event
reaches the P daphne through Redis (each process's one listener); the raw event is sent by
the driver to the `/publish` socket of each of the P raw servers.

`--drivers K`: the client sockets held by K driver processes (`benchmarks.socket_driver`, on
the driver core too), each a share of both sides, the shares together in the same round-robin
over the ports; each driver logs every receipt on `time.perf_counter` (CLOCK_MONOTONIC on
Linux: one clock for the machine's processes) and hands the logs back at the end, and this
process subtracts its own start time of each award. RLIMIT_NOFILE is per process and each
socket is a descriptor here: the default is this one process when its limit holds 2N + 200,
else as few drivers as hold them (20,000 descriptors on the issue-19 machine: 10,000 sockets
take 2). Both sides' sockets stay open the whole run: the awards alternate between the sides,
so a drift in the machine's load falls on both, which opening one side after the other would
lose; an idle socket costs its server and the driver one ping and pong each 20 s, on both sides.
Prints `fanout-<N>: ratio=<p99 project / p99 baseline> project=... baseline=...`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import time
import uuid

from websockets.asyncio.client import connect

from . import common
from .sockets import board_servers


def award(user) -> tuple[int, dict]:
    from leaderboard.models import PointEntry
    from leaderboard.services import award_points

    entry = award_points(
        user=user, points=5, reason=PointEntry.Reason.CORRECTION, key=f"bench:{uuid.uuid4().hex}"
    )
    return entry.pk, entry


class FormPoster:
    """The give-recognition form, POSTed over HTTP to the same daphne (--trigger post)."""

    def __init__(self, base: str) -> None:
        import requests

        from portal.demo import demo_user
        from portal.domain import berakhlak_values

        self.base = base
        self.http = requests.Session()
        self.http.cookies.set("sessionid", common.session_cookie(demo_user("atasan")))
        self.receiver = demo_user("pegawai").pk
        self.value = berakhlak_values()[0]["code"]
        self.csrf = None

    def post(self) -> None:
        if self.csrf is None:
            self.http.get(f"{self.base}/papan/beri/")
            self.csrf = self.http.cookies.get("csrftoken")
        response = self.http.post(
            f"{self.base}/papan/beri/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "receiver": self.receiver,
                "value": self.value,
                "points": "5",
                "message": "Terima kasih, papan diuji.",
                "token": uuid.uuid4().hex,
            },
            headers={"Referer": f"{self.base}/papan/beri/"},
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise SystemExit(f"give form: HTTP {response.status_code}")


def driver_count(sockets: int, asked: int) -> int:
    """Driver processes for 2 x `sockets` client sockets (each a descriptor): `asked`, or
    (asked 0) one, this process, when its open-file limit holds them all, else as few as hold
    them. Exits when `asked` cannot hold them."""
    limit = common.raise_fd_limit(2 * sockets + 200)
    drivers = asked or (1 if limit >= 2 * sockets + 200 else -(-sockets // ((limit - 100) // 2)))
    share = -(-sockets // drivers)
    needed = 2 * sockets + 200 if drivers == 1 else 2 * share + 100
    if limit < needed:
        raise SystemExit(
            f"open-file limit {limit} < {needed} ({drivers} driver(s)): ulimit -n or --drivers"
        )
    return drivers


async def run(args) -> None:
    common.setup_django()
    from asgiref.sync import sync_to_async

    from leaderboard.broadcast import entry_event

    drivers = driver_count(args.sockets, args.drivers)
    sent = {"project": {}, "baseline": {}}  # seq -> when the award or publish started
    async with board_servers(args.port, args.processes, drivers) as servers:
        user, project, baseline = servers.user, servers.project, servers.baseline
        try:
            await project.open(args.sockets)
            await baseline.open(args.sockets)
            publishers = [
                await connect(f"ws://127.0.0.1:{port}/publish", compression=None)
                for port in servers.raw_ports
            ]
            await asyncio.sleep(1)
            # This driver holds Django and 2N client sockets: a full collection here pauses it for
            # ~150-200 ms, which lands as a p99 spike on whichever side is being timed. The
            # servers' own collections still count; the load generator's do not (the driver
            # processes of --drivers freeze theirs as well).
            gc.collect()
            gc.freeze()
            gc.disable()
            sample = None
            poster = None
            if args.trigger == "post":
                poster = await sync_to_async(FormPoster)(f"http://127.0.0.1:{args.port}")
            last = 0
            for i in range(args.awards + 2):
                for name in ("project", "baseline") if i % 2 == 0 else ("baseline", "project"):
                    clients = project if name == "project" else baseline
                    started = time.perf_counter()
                    if name == "project" and poster is not None and sample is not None:
                        await asyncio.to_thread(poster.post)
                        # The response comes after the commit and so after the broadcast: the
                        # new seq is the first one above the last, on whichever socket has it.
                        seq = await clients.first_seq_above(last)
                    elif name == "project":
                        seq, entry = await asyncio.to_thread(award, user)
                        if sample is None:
                            sample = await sync_to_async(entry_event)(entry)
                    if name == "project":
                        last = seq
                    else:
                        seq = 10_000_000 + i
                        event = {k: v for k, v in (sample or {}).items() if k != "type"}
                        event["seq"] = seq
                        text = json.dumps(event)
                        for publisher in publishers:
                            await publisher.send(text)
                    await clients.wait_for(seq)
                    if i >= 2:  # after the warm-up rounds
                        sent[name][seq] = started
                    await asyncio.sleep(0.05)
            spread = f"{project.spread()}|{baseline.spread()}"
            # every socket's (seq, receipt time): perf_counter, the same clock in every driver
            logs = {"project": await project.collect(), "baseline": await baseline.collect()}
            for publisher in publishers:
                await publisher.close()
        finally:
            gc.enable()
    result = {}
    for name, received in logs.items():
        latencies = [at - sent[name][s] for log in received for s, at in log if s in sent[name]]
        expected = set(sent[name])
        reached = sum(1 for log in received if expected <= {s for s, _ in log})
        gaps = 0
        for log in received:
            got = sorted(s for s, _ in log if s >= min(expected))
            gaps += sum(1 for a, b in zip(got, got[1:], strict=False) if b != a + 1)
        p99 = common.percentile(latencies, 99) * 1000
        p50 = common.percentile(latencies, 50) * 1000
        result[name] = (
            p99,
            f"{p99:.1f}ms-p99/{p50:.1f}ms-p50/reach={reached}of{len(received)}/gaps={gaps}",
        )
    note = f"awards={args.awards} trigger={args.trigger}"
    if args.processes > 1:
        note += f" processes={args.processes} spread={spread}"
    if drivers > 1:
        note += f" drivers={drivers}"
    if project.retries or baseline.retries:
        note += f" connect-retries={project.retries}/{baseline.retries}"
    common.line(
        f"fanout-{args.sockets}",
        result["project"][0] / result["baseline"][0],
        result["project"][1],
        result["baseline"][1],
        note,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--awards", type=int, default=20)
    parser.add_argument(
        "--processes", type=int, default=1, help="daphne processes (and raw servers), P >= 1"
    )
    parser.add_argument(
        "--drivers",
        type=int,
        default=0,
        help="driver processes holding the client sockets (default: 1, this one, when its "
        "open-file limit holds 2N, else as few as hold them)",
    )
    parser.add_argument("--port", type=int, default=8110, help="daphne on port + 2k, raw + 2k+1")
    parser.add_argument(
        "--trigger",
        choices=["call", "post"],
        default="call",
        help="call award_points in this process, or POST the give-recognition form",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
