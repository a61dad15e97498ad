"""The data bench_submission posts: employees with a draft report each (built with bulk
INSERTs, shaped as the services make them; see bench_submission's docstring), the form
payload, and the demo pair for `--form recognition`. Run from bench_submission only (Django
is set up by then)."""

from __future__ import annotations

import math
import sys
import time
import uuid

from . import common

BENCH_DOMAIN = "laporan.bench.local"
NIP_OFFSET = 3_000_000  # away from generate_board_data's NIPs (same database under `make bench`)
SESSION_PREFIX = "benchlaporan"
NARRATIVE = (
    "Pada periode ini seluruh dokumen perencanaan bidang diselesaikan dan diunggah ke "
    "e-Kinerja; rapat koordinasi dua mingguan berjalan sesuai jadwal dan notulennya terlampir."
)


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
    """This year's open cycle (monthly periods, made by `services.create_cycle`) and the period
    containing today, which takes on-time reports."""
    from performance.models import Cycle, ReportingPeriod, today
    from performance.services import create_cycle
    from portal.models import User

    year = today().year
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        # The benchmark's setup acts as a superuser (an unsaved one: nothing records the actor).
        admin = User(is_superuser=True)
        cycle = create_cycle(actor=admin, year=year, kind=ReportingPeriod.Kind.MONTHLY)
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
    from benchmarks.rows import issued_certificate, save_scores
    from leaderboard.models import ALL_TIME, PointEntry, season_of
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
        # SKPs as create_skp snapshots them and submit_skp / approve_skp leave them (bulk_create
        # skips Skp.save: its defaults are set here).
        approved = {
            "cycle": cycle,
            "starts_on": dt.date(cycle.year, 1, 1),
            "status": Skp.Status.DISETUJUI,
            "submitted_at": now,
            "approved_at": now,
        }
        head_skps = Skp.objects.bulk_create(
            [Skp(employee=head, employee_jabatan=head.jabatan, **approved) for head in supervisors]
        )
        skps = Skp.objects.bulk_create(
            [
                Skp(
                    employee=person,
                    pejabat_penilai=person.atasan,
                    register_atasan=person.atasan,  # as Skp.save snapshots it
                    pejabat_penilai_name=person.atasan.full_name,
                    pejabat_penilai_jabatan=person.atasan.jabatan,
                    employee_jabatan=person.jabatan,
                    **approved,
                )
                for person in employees
            ],
            batch_size=2000,
        )
        # The heads' SKPs as Admin BKPSDM leaves them, approved on behalf of a rater outside
        # the portal (nothing is approved by itself: performance.services.approval).
        auto = "Disetujui Admin BKPSDM atas nama pejabat penilai di luar portal (data uji)."
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
                issued_certificate(
                    module, person, code=new_certificate_code(), user=person, score=90
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
            seasons = (season_of(now), ALL_TIME)
            save_scores({(p.pk, s): total for p in employees for s in seasons}, batch_size=5000)
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
