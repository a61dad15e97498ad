"""Memory per idle board socket: server RSS delta / N, daphne (/ws/board/, logged in)
against the raw websockets server.

    python -m benchmarks.bench_memory --sockets 2000
"""

from __future__ import annotations

import argparse
import asyncio

from . import common
from .sockets import Clients, board_servers


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
    async with board_servers(args.port) as servers:
        kb = {
            "project": await per_socket(servers.daphne, servers.project, args.sockets),
            "baseline": await per_socket(servers.raw, servers.baseline, args.sockets),
        }
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
