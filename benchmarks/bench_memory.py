"""Memory per idle board socket: server RSS delta / N, daphne (/ws/board/, logged in)
against the raw websockets server.

    python -m benchmarks.bench_memory --sockets 2000
"""

from __future__ import annotations

import argparse
import asyncio

from . import common
from .sockets import Clients, bench_user, board_headers


async def per_socket(proc, clients: Clients, n: int) -> float:
    # One socket first so lazily-created machinery (layer connections, imports) is not
    # counted as per-socket cost.
    await clients.open(1)
    await asyncio.sleep(1)
    before = common.rss_kb(proc.pid)
    await clients.open(n)
    await asyncio.sleep(2)
    after = common.rss_kb(proc.pid)
    return (after - before) / n


async def run(args) -> None:
    common.setup_django()
    from asgiref.sync import sync_to_async

    user = await sync_to_async(bench_user)()
    headers = await sync_to_async(board_headers)(args.port, user)
    daphne = common.daphne(args.port, cpu=0)
    raw = common.start(
        [common.PY, "-m", "benchmarks.baselines.ws_broadcast", str(args.port + 1)],
        args.port + 1,
        cpu=0,
    )
    common.pin_self(1)
    project = Clients(f"ws://127.0.0.1:{args.port}/ws/board/", headers)
    baseline = Clients(f"ws://127.0.0.1:{args.port + 1}/")
    try:
        kb = {
            "project": await per_socket(daphne, project, args.sockets),
            "baseline": await per_socket(raw, baseline, args.sockets),
        }
    finally:
        await project.close()
        await baseline.close()
        common.stop(daphne)
        common.stop(raw)
    common.line(
        "memory",
        kb["project"] / kb["baseline"],
        f"{kb['project']:.1f}KiB/socket",
        f"{kb['baseline']:.1f}KiB/socket",
        f"sockets={args.sockets}",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--port", type=int, default=8120)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
