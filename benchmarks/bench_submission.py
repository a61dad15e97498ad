"""Report submission throughput (DESIGN §6): the deadline-hour load of the portal, employees
submitting their periodic self-report, against a bare view doing one INSERT, on the same
daphne server, in alternating timed phases with the same concurrency.

    python -m benchmarks.bench_submission --seconds 10 --rounds 4 --concurrency 4
    python -m benchmarks.bench_submission --form recognition   # the "Beri Apresiasi" POST

The measured request is the report page's own form, "Simpan dan ajukan": `POST
/kinerja/laporan/<pk>/simpan/` with the CSRF token, the employee's session cookie, a
realisasi for every indicator (Indonesian decimals, parsed by the form and the service), a
narrative and `ajukan`. The real view and services run: permission, form, realisasi upsert,
every submission rule (all indicators filled, at least one bukti dukung, the training gate
for a first report), the report event, the on-time points (ledger, scores, level, badges,
board broadcast after commit), the supervisor's notification (its e-mail left pending in the
outbox, as in production: `send_notification_emails` sends it outside the request). Only a 302 to the
report page counts; any other answer stops the run with the response.

Each POST submits a different employee's draft, once, as in the deadline hour.
`prepare_reports` (benchmarks/submission_data.py) builds N employees with bulk INSERTs, rows
shaped as the services make them: a supervisor per eight employees, approved SKPs in this
year's open cycle (one RHK intervening the supervisor's RHK, `--indicators` indicators), SKP
events, a draft report for the current period with one bukti dukung link (the link form is a
separate POST on the same page, made before the final submit), a certificate for every live
mandatory training module (with the enrolment, the ledger entry and scores `complete_module`
writes) so the gate passes for real, and one logged-in session each (as `common.session_cookie`
stores it). N defaults to enough reports for the whole run at 250 submissions/s (a 2-core
machine serves 10-20); running out stops the run (`--people` raises it).
Each worker GETs a report page once, before the timed phases, for its CSRF cookie and token
(a browser keeps them across pages); cookies set by responses (the flash message) are
dropped, as a browser that follows the redirect would consume them.

The server is gunicorn with one sync worker per concurrent client (production serves HTTP with
gunicorn, deploy/portal-web.service), pinned to core 0 like the other benchmarks' servers;
`--server daphne` serves both sides from daphne instead. Under daphne every request runs in a
new thread, so with the project's persistent connections (CONN_MAX_AGE=60) each request opens
a PostgreSQL connection and leaves it open until it ages out: both sides pay a connection per
request, and a long run ends in "too many clients" (67 connections after 20 s here).
Any e-mail the server would send goes to Django's locmem backend (built, not sent).
`--server-settings` runs the server with another settings module (to measure a proposed
setting without changing the project). Prints
`submission: ratio=<project req/s / baseline req/s> project=... baseline=...`.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import threading
import time
import uuid
from collections import deque

import requests

from . import common
from .submission_data import NARRATIVE, prepare_recognition, prepare_reports, report_payload

LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- load ----------------------------------------------------------------------------------------


class Run:
    def __init__(self, base: str, form: str, jobs: deque, recognition: tuple | None):
        self.base = base
        self.form = form
        self.jobs = jobs
        self.recognition = recognition
        self.lock = threading.Lock()
        self.counts = {"project": 0, "baseline": 0}
        self.elapsed = {"project": 0.0, "baseline": 0.0}
        self.submitted: list[int] = []
        self.failure: str | None = None
        self.exhausted = False
        self.clients: list[tuple[requests.Session, dict]] = []

    def client(self, n: int) -> tuple[requests.Session, dict]:
        """A browser-like client: the CSRF cookie and token from a GET of the form page."""
        http = requests.Session()
        if self.form == "report":
            key, report, _indicators = self.jobs[n]
            page = f"{self.base}/kinerja/laporan/{report}/"
            cookies = {"sessionid": key}
        else:
            page = f"{self.base}/papan/beri/"
            cookies = {"sessionid": self.recognition[0]}
        response = http.get(page, cookies=cookies)
        match = CSRF_RE.search(response.text)
        if response.status_code != 200 or not match or "csrftoken" not in http.cookies:
            raise SystemExit(f"bench_submission: GET {page} gave {response.status_code}")
        return http, {"cookie": http.cookies["csrftoken"], "token": match.group(1), "page": page}

    def project_once(self, http: requests.Session, csrf: dict) -> bool:
        if self.form == "report":
            with self.lock:
                if not self.jobs:
                    self.exhausted = True
                    return False
                key, report, indicators = self.jobs.popleft()
            url = f"{self.base}/kinerja/laporan/{report}/simpan/"
            response = http.post(
                url,
                data=report_payload(csrf["token"], indicators),
                cookies={"sessionid": key, "csrftoken": csrf["cookie"]},
                headers={"Referer": f"{self.base}/kinerja/laporan/{report}/"},
                allow_redirects=False,
            )
            ok = response.status_code == 302 and response.headers.get("Location") == (
                f"/kinerja/laporan/{report}/"
            )
        else:
            session, receiver, value = self.recognition
            url = f"{self.base}/papan/beri/"
            response = http.post(
                url,
                data={
                    "csrfmiddlewaretoken": csrf["token"],
                    "receiver": receiver,
                    "value": value,
                    "points": "5",
                    "message": "Terima kasih atas kerja kerasnya minggu ini.",
                    "token": uuid.uuid4().hex,
                },
                cookies={"sessionid": session, "csrftoken": csrf["cookie"]},
                headers={"Referer": url},
                allow_redirects=False,
            )
            ok = response.status_code == 302
            report = None
        # A browser following the redirect would consume the flash message: drop its cookie.
        http.cookies.clear()
        if not ok:
            with self.lock:
                self.failure = self.failure or (
                    f"POST {url} -> {response.status_code} "
                    f"{response.headers.get('Location', '')}\n{response.text[:3000]}"
                )
            return False
        if report is not None:
            with self.lock:
                self.submitted.append(report)
        return True

    def baseline_once(self, http: requests.Session) -> bool:
        response = http.post(
            f"{self.base}/_baseline/insert/",
            data={"narrative": NARRATIVE, "realisasi_1": "8,5", "realisasi_2": "9,5"},
        )
        if response.status_code != 201:
            with self.lock:
                self.failure = self.failure or (
                    f"baseline POST -> {response.status_code}\n{response.text[:2000]}"
                )
            return False
        return True

    def worker(self, kind: str, n: int, until: float) -> None:
        http, csrf = self.clients[n]
        ok = 0
        while time.perf_counter() < until and self.failure is None and not self.exhausted:
            if kind == "project":
                ok += self.project_once(http, csrf)
            else:
                ok += self.baseline_once(http)
        with self.lock:
            self.counts[kind] += ok

    def warm_up(self, requests_each: int) -> None:
        """Untimed requests of both kinds, so that every server worker has loaded its code and
        opened its database connection before the clock runs (they submit real reports)."""
        for n in range(requests_each):
            http, csrf = self.clients[n % len(self.clients)]
            self.project_once(http, csrf)
            self.baseline_once(http)
            if self.failure:
                raise SystemExit(f"bench_submission: a warm-up POST failed:\n{self.failure}")

    def phase(self, kind: str, seconds: float, concurrency: int) -> None:
        started = time.perf_counter()
        until = started + seconds
        threads = [
            threading.Thread(target=self.worker, args=(kind, n, until)) for n in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed[kind] += time.perf_counter() - started
        if self.failure:
            raise SystemExit(f"bench_submission: a {kind} POST failed:\n{self.failure}")
        if self.exhausted:
            raise SystemExit(
                f"bench_submission: ran out of prepared reports after {len(self.submitted)} "
                "submissions; run again with a larger --people"
            )


def verify(submitted: list[int]) -> None:
    """Every counted POST really submitted its report and earned the on-time points."""
    from leaderboard.models import PointEntry
    from performance.models import PeriodicReport, ReportEvent

    done = PeriodicReport.objects.filter(pk__in=submitted, status="diajukan", on_time=True).count()
    events = ReportEvent.objects.filter(report__in=submitted, to_status="diajukan").count()
    points = PointEntry.objects.filter(key__in=[f"report:{pk}:on_time" for pk in submitted]).count()
    if not (done == events == points == len(submitted)):
        raise SystemExit(
            f"bench_submission: {len(submitted)} successes but {done} reports submitted, "
            f"{events} events, {points} point entries"
        )


def profile(jobs: deque, requests_: int, top: int) -> None:
    """Submit `requests_` reports in this process through Django's test client (the same
    middleware and view), after one warm-up, under cProfile; print the query count of one
    submission, its queries, and where the time goes."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    first = jobs[0]
    client.cookies["sessionid"] = first[0]
    page = client.get(f"/kinerja/laporan/{first[1]}/")
    token = CSRF_RE.search(page.content.decode()).group(1)
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    def submit(job) -> None:
        key, report, indicators = job
        client.cookies.clear()
        client.cookies["sessionid"] = key
        client.cookies["csrftoken"] = page.cookies["csrftoken"].value
        response = client.post(
            f"/kinerja/laporan/{report}/simpan/", report_payload(token, indicators)
        )
        assert response.status_code == 302, response.content.decode()[:3000]

    submit(jobs.popleft())  # warm-up
    with CaptureQueriesContext(connection) as queries:
        submit(jobs.popleft())
    sys.stdout.write(f"one submission: {len(queries)} queries\n")
    for query in queries.captured_queries:
        sys.stdout.write(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:140]}\n")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests_):
        submit(jobs.popleft())
    profiler.disable()
    elapsed = time.perf_counter() - started
    sys.stdout.write(f"{requests_} submissions in {elapsed:.2f}s ({requests_ / elapsed:.1f}/s)\n")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--form", choices=["report", "recognition"], default="report")
    parser.add_argument("--indicators", type=int, default=3, help="indicators per SKP")
    parser.add_argument(
        "--people",
        type=int,
        default=0,
        help="employees with a draft report (default: enough for 250 submissions/s)",
    )
    parser.add_argument(
        "--server",
        choices=["gunicorn", "daphne"],
        default="gunicorn",
        help="HTTP server for project and baseline: gunicorn sync workers (one per concurrent "
        "client), as deployed, or daphne",
    )
    parser.add_argument("--server-settings", default="benchmarks.settings")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="no server: profile N submissions in this process (cProfile, query count)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", LOCMEM_EMAIL)  # for --profile
    common.setup_django()
    project_seconds = args.seconds * math.ceil(args.rounds / 2)
    people = args.people or max(200, math.ceil(project_seconds * 250)) + 4 * args.concurrency
    jobs: deque = deque()
    recognition = None
    if args.profile:
        profile(deque(prepare_reports(args.profile + 2, args.indicators)), args.profile, 40)
        return
    if args.form == "report":
        jobs = deque(prepare_reports(people, args.indicators))
    else:
        recognition = prepare_recognition()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert "
            "(id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)"
        )
    connection.close()
    if args.server == "gunicorn":  # how production serves HTTP (deploy/portal-web.service)
        command = [
            *(common.PY, "-m", "gunicorn", "portal.wsgi:application"),
            *("--bind", f"127.0.0.1:{args.port}", "--workers", str(args.concurrency)),
            *("--no-control-socket", "--log-level", "warning"),
        ]
    else:
        command = [common.PY, "-m", "daphne", "-v", "0", "-p", str(args.port)]
        command.append("portal.asgi:application")
    server = common.start(
        command,
        args.port,
        cpu=0,
        DJANGO_SETTINGS_MODULE=args.server_settings,
        DJANGO_EMAIL_BACKEND=LOCMEM_EMAIL,
        # As deployed: the WSGI workers keep their connection, daphne does not.
        DJANGO_CONN_MAX_AGE="60" if args.server == "gunicorn" else "0",
    )
    common.pin_self(1)
    run = Run(f"http://127.0.0.1:{args.port}", args.form, jobs, recognition)
    try:
        run.clients = [run.client(n) for n in range(args.concurrency)]
        run.warm_up(3 * args.concurrency)
        for i in range(args.rounds):
            for kind in ("project", "baseline") if i % 2 == 0 else ("baseline", "project"):
                run.phase(kind, args.seconds, args.concurrency)
    finally:
        common.stop(server)
    if not run.counts["project"]:
        raise SystemExit("submission: no project POST succeeded")
    if args.form == "report":
        verify(run.submitted)
    rps = {kind: run.counts[kind] / run.elapsed[kind] for kind in run.counts}
    common.line(
        "submission",
        rps["project"] / rps["baseline"],
        f"{rps['project']:.1f}req/s",
        f"{rps['baseline']:.1f}req/s",
        f"form={args.form} server={args.server} concurrency={args.concurrency} "
        f"seconds={args.seconds}x{args.rounds}",
    )


if __name__ == "__main__":
    main()
