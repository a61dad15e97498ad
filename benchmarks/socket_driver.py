"""One driver process of `sockets.SpreadClients` (bench_fanout --drivers K): it holds its share
of each side's board sockets (a `sockets.Clients` per group) and answers the parent, one JSON
line on stdout per JSON line on stdin:

    {"op": "open", "group": "project", "urls": [...], "headers": {...}, "n": 2500,
     "offset": 0, "batch": 25}                          -> {"counts": [...], "retries": 0}
    {"op": "wait", "group": "project", "seq": 123}      -> {}  (every socket has it, or 15 s)
    {"op": "above", "group": "project", "last": 122}    -> {"seq": 123}
    {"op": "collect", "group": "project"}               -> {"received": [[[seq, t], ...], ...]}
    {"op": "shut", "group": "project"}                  -> {}  (its sockets closed)

and exits at the end of its stdin. A receipt time is `time.perf_counter()` here: on Linux
CLOCK_MONOTONIC, one clock for every process of the machine, so the parent subtracts its own
send time from it. Nothing else is written to stdout.

    python -m benchmarks.socket_driver     (started by the parent, not by hand)
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys

from .sockets import Clients


async def handle(groups: dict[str, Clients], command: dict) -> dict:
    op, group = command["op"], command["group"]
    if op == "open":
        clients = groups.setdefault(group, Clients(command["urls"], command["headers"]))
        clients.opened = command["offset"]  # round-robin over the ports as one driver would
        gc.enable()
        await clients.open(command["n"], batch=command["batch"])
        # As the single driver does before it times anything: a full collection over
        # thousands of sockets would pause this reader mid-measurement.
        gc.collect()
        gc.freeze()
        gc.disable()
        return {"counts": clients.counts(), "retries": clients.retries}
    if op == "shut":  # also for a group never opened (the parent's cleanup after a failure)
        if group in groups:
            await groups.pop(group).close()
        return {}
    clients = groups[group]
    if op == "wait":
        await clients.wait_for(command["seq"])
        return {}
    if op == "above":
        return {"seq": await clients.first_seq_above(command["last"])}
    if op == "collect":
        return {"received": clients.received}
    raise ValueError(f"unknown op {op!r}")


async def serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    groups: dict[str, Clients] = {}
    try:
        while line := await reader.readline():
            try:
                reply = await handle(groups, json.loads(line))
            except Exception as error:  # the parent raises it
                reply = {"error": repr(error)}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
    finally:
        for clients in groups.values():
            await clients.close()


if __name__ == "__main__":
    asyncio.run(serve())
