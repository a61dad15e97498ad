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

Each POST submits a different employee's draft, once, as in the deadline hour. `prepare`
builds N employees with bulk INSERTs, rows shaped as the services make them: a supervisor per
eight employees, approved SKPs in this year's open cycle (one RHK intervening the supervisor's
RHK, `--indicators` indicators), SKP events, a draft report for the current period with one
bukti dukung link (the link form is a separate POST on the same page, made before the final
submit), a certificate for every live mandatory training module (with the enrolment, the
ledger entry and scores `complete_module` writes) so the gate passes for real, and one
logged-in session each (as `common.session_cookie` stores it). N defaults to enough reports
for the whole run at 250 submissions/s (a 2-core machine serves 10-20); running out stops the
run (`--people` raises it).
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

BENCH_DOMAIN = "laporan.bench.local"
NIP_OFFSET = 3_000_000  # away from generate_board_data's NIPs (same database under `make bench`)
SESSION_PREFIX = "benchlaporan"
NARRATIVE = (
    "Pada periode ini seluruh dokumen perencanaan bidang diselesaikan dan diunggah ke "
    "e-Kinerja; rapat koordinasi dua mingguan berjalan sesuai jadwal dan notulennya terlampir."
)
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log(message: str) -> None:
    sys.stderr.write(f"bench_submission: {message}\n")
    sys.stderr.flush()


# --- preparing the reports ---------------------------------------------------------------------


def _reset() -> None:
    """Remove what an earlier run of this script made (its people and everything hanging on them)."""
    # local: the benchmark sets Django up before it imports the apps
    from django.db import connection

    from leaderboard.ledger import erase_entries
    from portal.models import User

    users = "SELECT id FROM portal_user WHERE email LIKE %s"
    skps = f"SELECT id FROM performance_skp WHERE employee_id IN ({users})"
    reports = f"SELECT id FROM performance_periodicreport WHERE skp_id IN ({skps})"
    rhks = f"SELECT id FROM performance_rhk WHERE skp_id IN ({skps})"
    statements = [
        f"DELETE FROM performance_evidence WHERE report_id IN ({reports})",
        f"DELETE FROM performance_realisasi WHERE report_id IN ({reports})",
        f"DELETE FROM performance_reportevent WHERE report_id IN ({reports})",
        f"DELETE FROM performance_feedbackmessage WHERE report_id IN ({reports})",
        f"DELETE FROM performance_periodicreport WHERE skp_id IN ({skps})",
        f"DELETE FROM performance_notification WHERE recipient_id IN ({users})",
        f"DELETE FROM performance_skpevent WHERE skp_id IN ({skps})",
        f"DELETE FROM performance_indicator WHERE rhk_id IN ({rhks})",
        f"UPDATE performance_rhk SET parent_rhk_id = NULL WHERE skp_id IN ({skps})",
        f"DELETE FROM performance_rhk WHERE skp_id IN ({skps})",
        f"DELETE FROM performance_skp WHERE employee_id IN ({users})",
        f"DELETE FROM leaderboard_badgeaward WHERE user_id IN ({users})",
        None,  # the ledger: only through its erasure path (refused otherwise on PostgreSQL)
        f"DELETE FROM leaderboard_score WHERE user_id IN ({users})",
        f"DELETE FROM training_certificate WHERE user_id IN ({users})",
        f"DELETE FROM training_enrollment WHERE user_id IN ({users})",
        "UPDATE portal_user SET atasan_id = NULL WHERE email LIKE %s",
        "DELETE FROM portal_user WHERE email LIKE %s",
    ]
    pattern = f"%@{BENCH_DOMAIN}"
    with connection.cursor() as cursor:
        for sql in statements:
            if sql is None:
                erase_entries(users=User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}"))
            else:
                cursor.execute(sql, [pattern] * sql.count("%s"))
        cursor.execute(
            "DELETE FROM django_session WHERE session_key LIKE %s", [f"{SESSION_PREFIX}%"]
        )


def _cycle_and_period():
    """This year's open cycle (monthly periods, as `services.create_cycle` makes them) and the
    period containing today, which takes on-time reports."""
    import datetime as dt

    from performance.models import Cycle, ReportingPeriod, today

    year = today().year
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        cycle = Cycle.objects.create(year=year)
        for number in range(1, 13):
            start = dt.date(year, number, 1)
            end = (
                dt.date(year, 12, 31)
                if number == 12
                else dt.date(year, number + 1, 1) - dt.timedelta(days=1)
            )
            ReportingPeriod.objects.create(
                cycle=cycle,
                kind="monthly",
                number=number,
                start=start,
                end=end,
                due_date=end + dt.timedelta(days=10),
            )
    period = ReportingPeriod.objects.select_related("cycle").current(cycle)
    if period is None or not period.accepts_reports or period.is_overdue:
        raise SystemExit(f"bench_submission: cycle {year} has no open, on-time period today")
    return cycle, period


def _mandatory_modules() -> list:
    from training.models import TrainingModulePage

    modules = list(TrainingModulePage.objects.live().filter(mandatory=True))
    if not modules:
        from training.demo import seed_training_demo

        seed_training_demo()  # the demo's mandatory module, so the gate has something to check
        modules = list(TrainingModulePage.objects.live().filter(mandatory=True))
    return modules


def prepare_reports(people: int, indicators: int) -> list[tuple[str, int, list[int]]]:
    """`people` employees with a draft report each; returns (session key, report pk, indicator pks)."""
    import datetime as dt
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from benchmarks.board_data import bench_nip
    from leaderboard.models import ALL_TIME, PointEntry, Score, season_of
    from leaderboard.rules import level_index
    from performance.models import (
        Evidence,
        Indicator,
        PeriodicReport,
        Rhk,
        Skp,
        SkpEvent,
    )
    from portal.models import OrgUnit, User
    from training.models import Certificate, Enrollment, new_certificate_code

    started = time.monotonic()
    _reset()
    cycle, period = _cycle_and_period()
    modules = _mandatory_modules()
    units = list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True)[:20])
    now = timezone.now()
    password = make_password(uuid.uuid4().hex)  # nobody logs in with it: sessions are made below
    heads = max(1, math.ceil(people / 8))
    with transaction.atomic():
        supervisors = User.objects.bulk_create(
            [
                User(
                    nip=bench_nip(NIP_OFFSET + i),
                    email=f"kasi{i}@{BENCH_DOMAIN}",
                    full_name=f"Kepala Seksi Laporan {i}",
                    jabatan="Kepala Seksi Perencanaan",
                    jenis_jabatan=User.JenisJabatan.PENGAWAS,
                    org_unit_id=units[i % len(units)],
                    password=password,
                )
                for i in range(heads)
            ]
        )
        employees = User.objects.bulk_create(
            [
                User(
                    nip=bench_nip(NIP_OFFSET + heads + i),
                    email=f"pegawai{i}@{BENCH_DOMAIN}",
                    full_name=f"Pegawai Laporan {i}",
                    jabatan="Analis Perencanaan",
                    jenis_jabatan=User.JenisJabatan.FUNGSIONAL,
                    org_unit_id=supervisors[i % heads].org_unit_id,
                    atasan=supervisors[i % heads],
                    password=password,
                )
                for i in range(people)
            ],
            batch_size=2000,
        )
        # SKPs as create_skp snapshots them and submit_skp / approve_skp leave them.
        head_skps = Skp.objects.bulk_create(
            [
                Skp(
                    employee=head,
                    cycle=cycle,
                    employee_jabatan=head.jabatan,
                    status=Skp.Status.DISETUJUI,
                    submitted_at=now,
                    approved_at=now,
                )
                for head in supervisors
            ]
        )
        skps = Skp.objects.bulk_create(
            [
                Skp(
                    employee=person,
                    cycle=cycle,
                    pejabat_penilai=person.atasan,
                    pejabat_penilai_name=person.atasan.full_name,
                    pejabat_penilai_jabatan=person.atasan.jabatan,
                    employee_jabatan=person.jabatan,
                    status=Skp.Status.DISETUJUI,
                    submitted_at=now,
                    approved_at=now,
                )
                for person in employees
            ],
            batch_size=2000,
        )
        auto = "Disetujui otomatis: pegawai di puncak struktur tanpa pejabat penilai."
        SkpEvent.objects.bulk_create(
            [
                SkpEvent(
                    skp=s, actor=s.employee, from_status="draf", to_status="disetujui", note=auto
                )
                for s in head_skps
            ]
            + [
                event
                for s in skps
                for event in (
                    SkpEvent(skp=s, actor=s.employee, from_status="draf", to_status="diajukan"),
                    SkpEvent(
                        skp=s,
                        actor=s.pejabat_penilai,
                        from_status="diajukan",
                        to_status="disetujui",
                    ),
                )
            ],
            batch_size=5000,
        )
        head_rhks = Rhk.objects.bulk_create(
            [
                Rhk(skp=s, text="Tersusunnya dokumen perencanaan seksi tepat waktu", order=1)
                for s in head_skps
            ]
        )
        rhks = Rhk.objects.bulk_create(
            [
                Rhk(
                    skp=s,
                    text="Tersusunnya bahan perencanaan dan laporan kinerja bidang",
                    parent_rhk=head_rhks[i % heads],
                    order=1,
                )
                for i, s in enumerate(skps)
            ],
            batch_size=5000,
        )
        aspects = ["kuantitas", "kualitas", "waktu", "biaya"]
        Indicator.objects.bulk_create(
            [
                Indicator(
                    rhk=r, aspek="kuantitas", text="Dokumen perencanaan", target=4, unit="dokumen"
                )
                for r in head_rhks
            ]
            + [
                Indicator(
                    rhk=r,
                    aspek=aspects[n % 4],
                    text=f"Indikator {n + 1} bahan perencanaan",
                    target=Decimal("10"),
                    unit="dokumen",
                )
                for r in rhks
                for n in range(indicators)
            ],
            batch_size=5000,
        )
        reports = PeriodicReport.objects.bulk_create(
            [PeriodicReport(skp=s, period=period) for s in skps], batch_size=5000
        )
        Evidence.objects.bulk_create(
            [
                Evidence(
                    report=r,
                    url=f"https://drive.bandung.go.id/kinerja/{r.pk}/notulen",
                    description="Notulen rapat koordinasi dan dokumen perencanaan",
                    uploaded_by=person,
                )
                for r, person in zip(reports, employees, strict=True)
            ],
            batch_size=5000,
        )
        # The mandatory training, as complete_module leaves it: certificate, enrolment, points.
        per_module = settings.TRAINING_POINTS_PER_MODULE
        Certificate.objects.bulk_create(
            [
                Certificate(
                    code=new_certificate_code(),
                    user=person,
                    module=module,
                    holder_name=person.full_name,
                    holder_nip=person.nip,
                    module_title=module.title,
                    jp=module.jp_hours,
                    score=90,
                )
                for person in employees
                for module in modules
            ],
            batch_size=5000,
        )
        Enrollment.objects.bulk_create(
            [Enrollment(user=p, module=m, completed_at=now) for p in employees for m in modules],
            batch_size=5000,
        )
        PointEntry.objects.bulk_create(
            [
                PointEntry(
                    user=p,
                    points=per_module,
                    reason=PointEntry.Reason.MODULE_COMPLETED,
                    key=f"module:{m.pk}:user:{p.pk}",
                )
                for p in employees
                for m in modules
            ],
            batch_size=5000,
        )
        total = per_module * len(modules)
        if total:
            Score.objects.bulk_create(
                [
                    Score(
                        user=p,
                        season=season,
                        total=total,
                        level=level_index(total) if season == ALL_TIME else 0,
                    )
                    for p in employees
                    for season in (season_of(now), ALL_TIME)
                ],
                batch_size=5000,
            )
        # One logged-in session per employee, the rows common.session_cookie saves one by one.
        backend = settings.AUTHENTICATION_BACKENDS[0]
        expire = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        keys = [
            SESSION_PREFIX + get_random_string(20, "abcdefghijklmnopqrstuvwxyz0123456789")
            for _ in employees
        ]
        store = SessionStore()
        Session.objects.bulk_create(
            [
                Session(
                    session_key=key,
                    session_data=store.encode(
                        {
                            SESSION_KEY: str(p.pk),
                            BACKEND_SESSION_KEY: backend,
                            HASH_SESSION_KEY: p.get_session_auth_hash(),
                        }
                    ),
                    expire_date=expire,
                )
                for key, p in zip(keys, employees, strict=True)
            ],
            batch_size=5000,
        )
    by_skp: dict[int, list[int]] = {}
    for pk, skp_id in (
        Indicator.objects.filter(rhk__skp__in=skps).order_by("pk").values_list("pk", "rhk__skp_id")
    ):
        by_skp.setdefault(skp_id, []).append(pk)
    jobs = [(key, r.pk, by_skp[r.skp_id]) for key, r in zip(keys, reports, strict=True)]
    log(
        f"prepared {people} employees ({heads} supervisors, {indicators} indicators each, "
        f"{len(modules)} mandatory module(s), period {period}) in {time.monotonic() - started:.1f}s"
    )
    return jobs


def report_payload(csrf: str, indicator_pks: list[int]) -> dict:
    data = {"csrfmiddlewaretoken": csrf, "narrative": NARRATIVE, "ajukan": ""}
    for n, pk in enumerate(indicator_pks):
        data[f"realisasi_{pk}"] = f"{8 + n % 3},5"
    return data


# --- the recognition form (optional) -------------------------------------------------------------


def prepare_recognition() -> tuple[str, int, str]:
    from portal.demo import demo_user, seed_people
    from portal.domain import berakhlak_values

    seed_people()
    giver, receiver = demo_user("atasan"), demo_user("pegawai")
    assert receiver.atasan_id == giver.pk, "the demo atasan must lead the demo pegawai"
    return common.session_cookie(giver), receiver.pk, berakhlak_values()[0]["code"]


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
