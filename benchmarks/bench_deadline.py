"""The deadline hour (issue 19): open boards, kiosk screens and the last hour's submitters at
once, against each load alone.

    python -m benchmarks.bench_deadline --sockets 2000 --seconds 40 --speedup 2

The rate. Bandung has about 16,000 ASN; 30 % of the city submits its periodic report in the
last hour before the deadline (an assumption: the share that leaves it to the last hour):
16,000 x 30 % = 4,800 submissions in 3,600 s, 4,800 / 3,600 = 1.33 submissions/s.
`--speedup k` compresses the hour: k x 1.33 submissions/s for `--seconds` (the run covers
k x seconds of the real hour; the default, 2 x 40 s, is 80 s of it, 107 submissions a phase).
Mixed in, per submission (assumptions, flags): `--logins 0.25` password logins (most
submitters still hold a session; each login is a new browser: GET and POST of the allauth
form, with the real password hasher, from one of 63 office addresses behind the proxy),
`--views 2` board page views (`/papan/`, logged in) and `--recognitions 0.25` "Beri
Apresiasi" POSTs. Arrivals are open-loop (a seeded Poisson schedule, the same in every phase),
each request started on time on a thread of a pool of 48:
a slow server does not slow the load down, its requests queue.

The servers, as deployed (deploy/portal-web.service, portal-ws.service), both pinned to core 0
(this driver on core 1): gunicorn with `--workers` sync workers for HTTP (the unit runs 5 with
2 threads each; X-Forwarded-For trusted from one proxy, as behind nginx) and daphne for
`/ws/`, on PostgreSQL and the Redis
channel layer. Open all the time of the socket phases: `--sockets` board sockets (`/ws/board/`,
logged in, as bench_fanout opens them) and `--kiosks` kiosk screens (the ticket from
`/papan/snapshot/?k=<token>` of a kiosk link, then `/ws/board/?ticket=...`, no session). Each
submission is bench_submission's measured request (the report page's "Simpan dan ajukan", real
form and services, a fresh employee each, prepared by `submission_data.prepare_reports`).

The fan-out probe: `--probes` awards a second made in this driver (bench_fanout's `award`,
through Redis to daphne), timed from the call to the receipt on every socket.

Three phases, each `--seconds` long, after an untimed warm-up:
  fanout-alone      the sockets open, the probes, nothing else;
  mixed             the sockets, the probes and the whole HTTP schedule;
  submission-alone  the sockets closed, only the submissions of the schedule.
Prints two lines, mixed p99 over alone p99 (target <= 2x each):

    deadline-hour-submission: ratio=... project=<mixed> baseline=<alone> ...
    deadline-hour-fanout: ratio=... project=<mixed> baseline=<alone> ...

and the accounting on both: errors (HTTP >= 500, connection errors, a submission, login, view
or recognition that did not succeed), lost points (the ledger entries made during the run
against the awards made: on-time points per submission, 5 per recognition and per probe; and
every touched person's all-time score moved by exactly their ledger sum) and reach (sockets
that received every ledger entry made while they were open, as its `seq`). `--check` exits
non-zero unless errors, lost points and missed sockets are all 0 (the test runs it so).

Here: the servers and the three phases; the HTTP load in `deadline_load`, the accounting and
the two lines in `deadline_report`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time
from collections import deque

import requests

from . import common
from .bench_fanout import award
from .bench_submission import LOCMEM_EMAIL
from .deadline_load import Load, prepare, schedule
from .deadline_report import Phases, fanout_latencies, ledger_state, reach, report
from .sockets import Clients, board_headers
from .submission_data import BENCH_DOMAIN


def log(message: str) -> None:
    sys.stderr.write(f"bench_deadline: {time.strftime('%H:%M:%S')} {message}\n")
    sys.stderr.flush()


async def probe(user, until: float, every: float, log: list[tuple[int, float]]) -> None:
    """Awards from this driver, `1/every` a second, until `until`: (seq, started) each."""
    while time.perf_counter() < until:
        started = time.perf_counter()
        seq, _entry = await asyncio.to_thread(award, user)
        log.append((seq, started))
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))


async def run(args) -> int:
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", LOCMEM_EMAIL)
    common.setup_django()
    from asgiref.sync import sync_to_async

    from leaderboard.models import PointEntry
    from portal.models import User

    events = schedule(args)
    per_phase = sum(1 for _, kind in events if kind == "submission")
    warm = 4 * args.workers
    people = args.people or 2 * per_phase + warm + 20
    jobs, user, kiosk_token = await sync_to_async(prepare)(args, people)
    sessions = [key for key, _report, _indicators in jobs]
    logins = await sync_to_async(
        lambda: list(
            User.objects.filter(
                email__startswith="kasi", email__endswith=f"@{BENCH_DOMAIN}"
            ).values_list("email", flat=True)
        )
    )()
    touched = await sync_to_async(
        lambda: [
            user.pk,
            *User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").values_list("pk", flat=True),
        ]
    )()
    jobs = deque(jobs)
    ws_port, http_port = args.port, args.port + 1
    base = f"http://127.0.0.1:{http_port}"
    load = await sync_to_async(Load)(base, jobs, sessions, logins)
    board = Clients(
        f"ws://127.0.0.1:{ws_port}/ws/board/", await sync_to_async(board_headers)(ws_port, user)
    )
    kiosks = None
    every = 1 / args.probes
    probes = {"alone": [], "mixed": []}
    log("starting daphne and gunicorn")
    daphne = common.daphne(ws_port, cpu=0)
    try:
        gunicorn = common.start(
            [
                *(common.PY, "-m", "gunicorn", "portal.wsgi:application"),
                *("--bind", f"127.0.0.1:{http_port}", "--workers", str(args.workers)),
                *("--no-control-socket", "--log-level", "warning"),
            ],
            http_port,
            cpu=0,
            DJANGO_EMAIL_BACKEND=LOCMEM_EMAIL,
            DJANGO_CONN_MAX_AGE="60",
            DJANGO_TRUSTED_PROXY_COUNT="1",
        )
    except BaseException:
        common.stop(daphne)
        raise
    common.pin_self(1)
    log("servers up; warming up")
    try:
        before = await sync_to_async(ledger_state)(touched)
        # warm-up, untimed: every kind of request reaches every worker's code and connection
        # (not a login: its cost is the password hash, nothing to warm)
        warm_events = [
            (0.05 * i, kind)
            for i in range(args.workers)
            for kind in ("submission", "view", "recognition")
        ]
        await asyncio.to_thread(
            load.run, warm_events, {"submission", "login", "view", "recognition"}
        )
        log(f"warmed up; opening {args.sockets} + {args.kiosks} sockets")
        snapshot = await asyncio.to_thread(
            requests.get, f"{base}/papan/snapshot/", params={"k": kiosk_token}
        )
        ticket = snapshot.json()["ticket"]
        kiosks = Clients(
            f"ws://127.0.0.1:{ws_port}/ws/board/?ticket={ticket}",
            {"Origin": f"http://127.0.0.1:{ws_port}"},
        )
        await board.open(args.sockets)
        await kiosks.open(args.kiosks)
        groups = [board, kiosks]
        await asyncio.sleep(1)
        first_open = await sync_to_async(ledger_state)([])
        load.reset()
        gc.collect()
        gc.freeze()
        gc.disable()
        log(f"phase 1: the fan-out alone ({args.seconds:g}s)")
        until = time.perf_counter() + args.seconds
        await probe(user, until, every, probes["alone"])
        log(f"phase 2: everything at once ({args.seconds:g}s, {len(events)} requests)")
        until = time.perf_counter() + args.seconds
        await asyncio.gather(
            probe(user, until, every, probes["mixed"]),
            asyncio.to_thread(load.run, events, {"submission", "login", "view", "recognition"}),
        )
        mixed = {k: list(v) for k, v in load.latency.items()}
        mixed_counts = dict(load.counts)
        last = await sync_to_async(
            lambda: PointEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        )()
        await board.wait_for(last)
        await kiosks.wait_for(last)
        await asyncio.sleep(0.5)
        seqs = set(
            await sync_to_async(
                lambda: list(
                    PointEntry.objects.filter(pk__gt=first_open[0], pk__lte=last).values_list(
                        "pk", flat=True
                    )
                )
            )()
        )
        reached, sockets = reach(groups, seqs)
        latencies = {phase: fanout_latencies(groups, probes[phase]) for phase in ("alone", "mixed")}
        await board.close()
        await kiosks.close()
        await asyncio.sleep(1)
        log(f"phase 3: the submissions alone ({per_phase}), no socket open")
        load.reset()
        await asyncio.to_thread(load.run, events, {"submission"})
        alone = load.latency.get("submission", [])
    finally:
        gc.enable()
        await board.close()
        if kiosks is not None:
            await kiosks.close()
        common.stop(gunicorn)
        common.stop(daphne)
    phases = Phases(mixed, mixed_counts, alone, latencies, reached, sockets)
    bad = await sync_to_async(report)(args, load, probes, before, touched, phases)
    return 1 if (args.check and bad) else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=2000, help="open board sockets")
    parser.add_argument("--kiosks", type=int, default=8, help="open kiosk screens")
    parser.add_argument("--seconds", type=float, default=40, help="length of each phase")
    parser.add_argument("--speedup", type=float, default=2, help="x 1.33 submissions/s")
    parser.add_argument("--logins", type=float, default=0.25, help="logins per submission")
    parser.add_argument("--views", type=float, default=2, help="board views per submission")
    parser.add_argument("--recognitions", type=float, default=0.25, help="per submission")
    parser.add_argument("--probes", type=float, default=2, help="fan-out probe awards/s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--indicators", type=int, default=3)
    parser.add_argument("--people", type=int, default=0, help="default: enough for the run")
    parser.add_argument("--port", type=int, default=8150, help="daphne; gunicorn on the next")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the accounting is 0")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
