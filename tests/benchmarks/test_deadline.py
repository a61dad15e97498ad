"""`bench_deadline` at a tiny size (20 board sockets, 2 kiosk screens, 3 s phases) on the test
database, so that its accounting cannot silently rot: every request succeeds, the ledger holds
exactly the points awarded, and every socket receives every ledger entry made while it is open.

The benchmark runs its own servers (daphne and gunicorn as subprocesses): they need PostgreSQL
and Redis, so this test skips on the embedded SQLite and without REDIS_URL, like the fault tests.
The timings are not asserted (the machine may be loaded); the two printed lines are. It takes
by estimate half a minute on a quiet machine (Django start-up, server boots, 3 s phases); 84 s at
load average 17, 144 s inside pytest at 11.
"""

import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from benchmarks.common import ROOT
from tests.benchmarks.subprocess_env import bench_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not django_settings.REDIS_URL,
        reason="the deadline benchmark needs Redis: run with REDIS_URL (CI's second suite)",
    ),
]

LINE = re.compile(r"^(deadline-hour-\w+): ratio=[\d.]+ .* errors=(\d+) lost=(-?\d+) "
                  r"scores-off=(\d+) reach=(\d+)of(\d+)", re.M)  # fmt: skip


def test_the_deadline_hour_accounts_for_every_request_point_and_socket():
    env = bench_env("deadline")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "benchmarks.bench_deadline", "--check"),
            *("--sockets", "20", "--kiosks", "2", "--seconds", "3", "--speedup", "1"),
            *("--workers", "1", "--probes", "2", "--port", "8196"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = {m[0]: m for m in LINE.findall(done.stdout)}
    assert set(lines) == {"deadline-hour-submission", "deadline-hour-fanout"}, (
        done.stdout + done.stderr[-3000:]
    )
    for _name, errors, lost, scores_off, reached, sockets in lines.values():
        assert (errors, lost, scores_off) == ("0", "0", "0"), done.stdout + done.stderr[-3000:]
        assert reached == sockets == "22"
    assert done.returncode == 0, done.stderr[-3000:]
