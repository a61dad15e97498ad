"""The deadline hour's HTTP load (bench_deadline): the rate, the open-loop schedule, the
requests (submissions, logins, board views, recognitions) and the data they need.

The rate. Bandung has about 16,000 ASN; 30 % of the city submits its periodic report in the
last hour before the deadline: 16,000 x 30 % / 3,600 s = 1.33 submissions/s (bench_deadline's
docstring has the whole reckoning and the mix).
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .bench_submission import CSRF_RE, Run
from .sockets import bench_user
from .submission_data import BENCH_DOMAIN, prepare_recognition, prepare_reports

CITY = 16_000
SHARE = 0.30
HOUR = 3_600
RATE = CITY * SHARE / HOUR  # 1.33 submissions/s in the deadline hour
RECOGNITION_POINTS = 5  # the recognition form's points field, and bench_fanout's awards
LOGIN_PASSWORD = "tenggat-laporan-19"  # the generated submitters only (benchmark data)


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
        self.csrf: dict[str, dict] = {}  # form -> the CSRF cookie and token every thread uses
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}
        self.latency: dict[str, list[float]] = {}
        self.recognitions = 0
        self.turn = 0

    def _client(self, run: Run):
        """Each thread its own browser-like client per form, with the CSRF cookie and token of
        one GET of the form page (the first, in the warm-up). Django checks the token against
        the cookie, not the session; a GET per new thread landed inside the timed phases, on
        the servers they measure (a sixth of gunicorn's CPU in the mixed phase), and more of
        them in the mixed phase, whose slower requests need more of the pool's threads."""
        clients = self.local.__dict__.setdefault("clients", {})
        if run.form not in clients:
            with self.lock:
                if run.form not in self.csrf:
                    self.csrf[run.form] = run.client(0)[1]
            clients[run.form] = (requests.Session(), self.csrf[run.form])
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
            # a thread's first form POST needs its client: made before the clock runs
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
