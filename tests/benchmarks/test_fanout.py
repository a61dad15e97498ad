"""The fan-out driver spread over driver processes (`bench_fanout --drivers K`): each driver
holds its share of the client sockets, the shares together keep the round-robin spread over
the server processes, and the receipt times come back on the parent's clock, so that the
latency it computes (receipt - its own send time) is real.

The first test needs no database: two raw broadcast servers (the fan-out baseline) and two
driver processes, a few sockets. The second runs the whole benchmark at a tiny size (daphne
through Redis, like `test_deadline`), so it needs PostgreSQL and Redis.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from websockets.asyncio.client import connect

from benchmarks import common
from benchmarks.bench_fanout import driver_count
from benchmarks.sockets import SpreadClients, socket_drivers
from tests.benchmarks.subprocess_env import bench_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_two_drivers_share_the_sockets_and_report_receipts_on_the_parents_clock():
    ports = [free_port(), free_port()]
    servers = [
        common.start([common.PY, "-m", "benchmarks.baselines.ws_broadcast", str(p)], p)
        for p in ports
    ]
    try:
        async with socket_drivers(2) as drivers:
            assert len({driver.proc.pid for driver in drivers} | {os.getpid()}) == 3
            clients = SpreadClients(drivers, "baseline", [f"ws://127.0.0.1:{p}/" for p in ports])
            await clients.open(6)
            # socket i on server i % 2 over both drivers (each from its own offset: 0-2, 3-5)
            assert clients.spread() == "3/3"
            publishers = [await connect(f"ws://127.0.0.1:{p}/publish") for p in ports]
            sent = {}
            for seq in (1, 2, 3):
                sent[seq] = time.perf_counter()
                for publisher in publishers:
                    await publisher.send(json.dumps({"seq": seq, "points": 5}))
                await clients.wait_for(seq)
            assert await clients.first_seq_above(1) == 2
            logs = await clients.collect()
            done = time.perf_counter()
            for publisher in publishers:
                await publisher.close()
            await clients.close()
    finally:
        for server in servers:
            common.stop(server)
    assert len(logs) == 6
    for log in logs:
        assert [seq for seq, _ in log] == [1, 2, 3]
        for seq, at in log:
            assert sent[seq] < at < done  # the drivers' clock is this process's clock


def test_one_driver_while_its_open_file_limit_holds_both_sides_then_as_few_as_hold_them(
    monkeypatch,
):
    monkeypatch.setattr(common, "raise_fd_limit", lambda needed: 20_000)  # issue 19's machine
    assert driver_count(9_000, 0) == 1  # 18,200 descriptors: this process
    assert driver_count(10_000, 0) == 2  # 20,200 do not fit; two drivers of 10,100
    assert driver_count(30_000, 0) == 4
    assert driver_count(10_000, 3) == 3
    with pytest.raises(SystemExit, match="open-file limit 20000 < 20200"):
        driver_count(10_000, 1)


LINE = re.compile(r"^fanout-6: ratio=[\d.]+ project=\S+/reach=(\d+)of(\d+)/gaps=(\d+) "
                  r"baseline=\S+/reach=(\d+)of(\d+)/gaps=(\d+) .*spread=(\S+) drivers=2\b", re.M)  # fmt: skip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="the fan-out benchmark needs Redis: run with REDIS_URL (CI's second suite)",
)
def test_bench_fanout_over_two_drivers_reaches_every_socket_of_both_sides():
    env = bench_env("fanout")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.bench_fanout", "--sockets", "6", "--awards", "2"),
            *("--processes", "2", "--drivers", "2", "--port", "8186"),
        ],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    match = LINE.search(done.stdout)
    assert match, done.stdout + done.stderr[-3000:]
    assert match.groups() == ("6", "6", "0", "6", "6", "0", "3/3|3/3")
