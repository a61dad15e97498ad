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
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import requests

from . import common
from .bench_fanout import award
from .bench_submission import CSRF_RE, LOCMEM_EMAIL, Run, verify
from .sockets import Clients, bench_user, board_headers
from .submission_data import BENCH_DOMAIN, prepare_recognition, prepare_reports

CITY = 16_000
SHARE = 0.30
HOUR = 3_600
RATE = CITY * SHARE / HOUR  # 1.33 submissions/s in the deadline hour
RECOGNITION_POINTS = 5  # the recognition form's points field, and bench_fanout's awards
LOGIN_PASSWORD = "tenggat-laporan-19"  # the generated submitters only (benchmark data)


def log(message: str) -> None:
    sys.stderr.write(f"bench_deadline: {time.strftime('%H:%M:%S')} {message}\n")
    sys.stderr.flush()


def schedule(args) -> list[tuple[float, str]]:
    """(offset in s, kind) for one phase: Poisson arrivals, the same for every phase."""
    rng = random.Random(19)
    rate = RATE * args.speedup
    events = []
    for kind, per in (
        ("submission", 1.0),
        ("login", args.logins),
        ("view", args.views),
        ("recognition", args.recognitions),
    ):
        count = round(rate * per * args.seconds)
        events += [(rng.uniform(0, args.seconds), kind) for _ in range(count)]
    return sorted(events)


class Load:
    """The HTTP side: submissions through bench_submission's `Run`, the rest here."""

    def __init__(self, base: str, jobs, views: list[str], logins: list[str]) -> None:
        self.base = base
        self.reports = Run(base, "report", jobs, None)
        self.gifts = Run(base, "recognition", jobs, prepare_recognition())
        self.views = views
        self.logins = logins
        self.local = threading.local()
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}
        self.latency: dict[str, list[float]] = {}
        self.recognitions = 0
        self.turn = 0

    def _client(self, run: Run):
        """Each thread its own browser-like client per form (CSRF cookie and token)."""
        clients = self.local.__dict__.setdefault("clients", {})
        if run.form not in clients:
            clients[run.form] = run.client(0)
        return clients[run.form]

    def _next(self) -> int:
        with self.lock:
            self.turn += 1
            return self.turn

    def _error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {message}")

    def one(self, kind: str) -> None:
        try:
            # a thread's first form POST needs its CSRF token: fetched before the clock runs
            if kind in ("submission", "recognition"):
                self._client(self.reports if kind == "submission" else self.gifts)
            started = time.perf_counter()
            getattr(self, kind)()
        except requests.RequestException as error:
            self._error(kind, repr(error))
        elapsed = time.perf_counter() - started
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.latency.setdefault(kind, []).append(elapsed)

    def submission(self) -> bool:
        ok = self.reports.project_once(*self._client(self.reports))
        if not ok:
            self._error("submission", self.reports.failure or "out of prepared reports")
            self.reports.failure = None
        return ok

    def recognition(self) -> bool:
        ok = self.gifts.project_once(*self._client(self.gifts))
        if ok:
            with self.lock:
                self.recognitions += 1
        else:
            self._error("recognition", self.gifts.failure or "")
            self.gifts.failure = None
        return ok

    def view(self) -> bool:
        key = self.views[self._next() % len(self.views)]
        response = requests.get(f"{self.base}/papan/", cookies={"sessionid": key})
        if response.status_code != 200:
            self._error("view", f"GET /papan/ -> {response.status_code}")
        return response.status_code == 200

    def login(self) -> bool:
        n = self._next()
        http = requests.Session()  # a new browser
        forwarded = {"X-Forwarded-For": f"10.19.{n % 63}.{1 + n % 200}"}
        page = http.get(f"{self.base}/accounts/login/", headers=forwarded)
        match = CSRF_RE.search(page.text)
        if page.status_code != 200 or not match:
            self._error("login", f"GET /accounts/login/ -> {page.status_code}")
            return False
        response = http.post(
            f"{self.base}/accounts/login/",
            data={
                "csrfmiddlewaretoken": match.group(1),
                "login": self.logins[n % len(self.logins)],
                "password": LOGIN_PASSWORD,
            },
            headers={**forwarded, "Referer": f"{self.base}/accounts/login/"},
            allow_redirects=False,
        )
        ok = response.status_code == 302 and "sessionid" in response.cookies
        if not ok:
            self._error("login", f"POST /accounts/login/ -> {response.status_code}")
        return ok

    def run(self, events: list[tuple[float, str]], kinds: set[str]) -> None:
        """The schedule's events of `kinds`, each started on time on its own thread."""
        chosen = [(at, kind) for at, kind in events if kind in kinds]
        with ThreadPoolExecutor(max_workers=48) as pool:
            started = time.perf_counter()
            for at, kind in chosen:
                delay = started + at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(self.one, kind)

    def reset(self) -> None:
        self.counts, self.latency = {}, {}


async def probe(user, until: float, every: float, log: list[tuple[int, float]]) -> None:
    """Awards from this driver, `1/every` a second, until `until`: (seq, started) each."""
    while time.perf_counter() < until:
        started = time.perf_counter()
        seq, _entry = await asyncio.to_thread(award, user)
        log.append((seq, started))
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))


def fanout_latencies(groups: list[Clients], probes: list[tuple[int, float]]) -> list[float]:
    started = dict(probes)
    out = []
    for clients in groups:
        for log in clients.received:
            out += [at - started[seq] for seq, at in log if seq in started]
    return out


def reach(groups: list[Clients], seqs: set[int]) -> tuple[int, int]:
    sockets = [log for clients in groups for log in clients.received]
    return sum(1 for log in sockets if seqs <= {s for s, _ in log}), len(sockets)


def ms(values: list[float], q: float) -> float:
    return common.percentile(values, q) * 1000


def prepare(args, people: int):
    """The submitters (bench_submission's data), a login password on them, a kiosk link."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from leaderboard.models import KioskLink

    jobs = prepare_reports(people, args.indicators)
    with connection.cursor() as cursor:
        # The supervisors log in: a new password would end the submitters' sessions.
        cursor.execute(
            "UPDATE portal_user SET password = %s WHERE email LIKE %s",
            [make_password(LOGIN_PASSWORD), f"kasi%@{BENCH_DOMAIN}"],
        )
    user = bench_user()
    link, _ = KioskLink.objects.get_or_create(
        org_unit=user.org_unit, label="Layar lobi (benchmark)"
    )
    return jobs, user, link.token


def ledger_state(users) -> tuple[int, dict[int, int]]:
    from leaderboard.models import ALL_TIME, PointEntry, Score

    last = PointEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    scores = dict(
        Score.objects.filter(season=ALL_TIME, user__in=users).values_list("user_id", "total")
    )
    return last, scores


def accounting(users, before: tuple[int, dict], awarded: int) -> tuple[int, int]:
    """(points missing from the ledger, people whose all-time score moved by other than
    their ledger sum) since `before`."""
    from django.db.models import Sum

    from leaderboard.models import PointEntry

    first, scores = before
    new = PointEntry.objects.filter(pk__gt=first)
    ledger = new.aggregate(s=Sum("points"))["s"] or 0
    per_user = dict(new.values("user").annotate(s=Sum("points")).values_list("user", "s"))
    _last, now = ledger_state(users)
    wrong = sum(
        1 for user, total in now.items() if total - scores.get(user, 0) != per_user.get(user, 0)
    )
    wrong += sum(1 for user in per_user if user not in now)
    return awarded - ledger, wrong


async def run(args) -> int:
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", LOCMEM_EMAIL)
    common.setup_django()
    from asgiref.sync import sync_to_async
    from django.conf import settings

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
    submitted = load.reports.submitted
    await sync_to_async(verify)(submitted)
    awarded = (
        settings.PERFORMANCE_ON_TIME_POINTS * len(submitted)
        + RECOGNITION_POINTS * load.recognitions
        + RECOGNITION_POINTS * (len(probes["alone"]) + len(probes["mixed"]))
    )
    lost, wrong_scores = await sync_to_async(accounting)(touched, before, awarded)
    errors = len(load.errors)
    for message in load.errors[:5]:
        sys.stderr.write(f"deadline-hour: error {message[:500]}\n")
    account = f"errors={errors} lost={lost} scores-off={wrong_scores} reach={reached}of{sockets}"
    sub_mixed, sub_alone = mixed.get("submission", []), alone
    mix = " ".join(
        f"{k}={mixed_counts.get(k, 0)}" for k in ("submission", "login", "view", "recognition")
    )
    common.line(
        "deadline-hour-submission",
        ms(sub_mixed, 99) / ms(sub_alone, 99),
        f"{ms(sub_mixed, 99):.0f}ms-p99/{ms(sub_mixed, 50):.0f}ms-p50",
        f"{ms(sub_alone, 99):.0f}ms-p99/{ms(sub_alone, 50):.0f}ms-p50",
        f"{account} rate={RATE * args.speedup:.2f}/s mixed:{mix} "
        f"login-p50={ms(mixed.get('login', []), 50):.0f}ms "
        f"view-p99={ms(mixed.get('view', []), 99):.0f}ms",
    )
    fan_mixed, fan_alone = latencies["mixed"], latencies["alone"]
    common.line(
        "deadline-hour-fanout",
        ms(fan_mixed, 99) / ms(fan_alone, 99),
        f"{ms(fan_mixed, 99):.1f}ms-p99/{ms(fan_mixed, 50):.1f}ms-p50",
        f"{ms(fan_alone, 99):.1f}ms-p99/{ms(fan_alone, 50):.1f}ms-p50",
        f"{account} sockets={args.sockets}+{args.kiosks}kiosk "
        f"probes={len(probes['mixed'])}+{len(probes['alone'])} seconds={args.seconds} "
        f"speedup={args.speedup}",
    )
    bad = errors or lost or wrong_scores or reached != sockets
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
