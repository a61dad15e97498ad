"""Demo data for the annual evaluation and monitoring (`seed_demo`, order 45). Idempotent.

- Cycle 2025, closed: Diskominfo's Bidang Aplikasi Informatika rated for the year, every
  predikat "Baik" and capaian organisasi "Baik", so the unit page warns about the kurva
  (nobody Butuh Perbaikan, more than 70% Baik). Not finalised: the Kepala Dinas finalises it.
- Cycle 2026 (performance's demo): approved SKPs and Triwulan III reports in other OPDs, on
  time, late and missing, so the monitoring page has something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.demo import demo_user
from portal.models import User

from . import rules
from .demo import approved_skp, at, quarterly_cycle
from .models import (
    AnnualRating,
    Cycle,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportingPeriod,
    Skp,
    UnitEvaluation,
)

LAST_YEAR = 2025
APTIKA = ["atasan", "pegawai", "fajar", "intan", "yoga", "nenden"]
# (person, submitted on (Triwulan III 2026 is due 10 October), rated)
MONITORING_2026 = [
    ("ratna", dt.date(2026, 10, 6), True),
    ("dewi", dt.date(2026, 10, 9), False),
    ("hendra", dt.date(2026, 10, 14), False),
    ("bambang", dt.date(2026, 10, 2), True),
    ("lina", dt.date(2026, 10, 20), False),
    ("ujang", None, False),
    ("euis", None, False),
    ("tatang", dt.date(2026, 10, 8), False),
    ("ai", None, False),
    ("gilang", dt.date(2026, 10, 12), False),
    ("sri", None, False),
    ("intan", dt.date(2026, 10, 15), False),
    ("yoga", None, False),
]


def _skp(employee: User, cycle: Cycle) -> Skp:
    plan = [
        (
            "utama",
            f"Terlaksananya tugas {employee.jabatan}",
            None,
            "",
            [("kuantitas", "Dokumen hasil kerja yang diselesaikan", "12", "dokumen")],
        )
    ]
    return approved_skp(employee, cycle, plan)[0]


def _report(skp: Skp, period: ReportingPeriod, submitted: dt.date, rated: bool) -> None:
    if PeriodicReport.objects.filter(skp=skp, period=period).exists():
        return
    rating = ("sesuai", "sesuai") if rated else ("", "")
    report = PeriodicReport.objects.create(
        skp=skp,
        period=period,
        narrative="Pekerjaan periode ini berjalan sesuai rencana.",
        status=PeriodicReport.Status.DINILAI if rated else PeriodicReport.Status.DIAJUKAN,
        submitted_at=at(submitted),
        on_time=submitted <= period.due_date,
        rating_hasil_kerja=rating[0],
        rating_perilaku_kerja=rating[1],
        predikat=rules.predikat(*rating) if rated else "",
        rated_by=skp.pejabat_penilai if rated else None,
        rated_at=at(submitted + dt.timedelta(days=2)) if rated else None,
    )
    for indicator in Indicator.objects.filter(rhk__skp=skp):
        Realisasi.objects.create(report=report, indicator=indicator, value=Decimal("3"))


@transaction.atomic
def seed_evaluation_demo(*, stdout=None) -> None:
    last = quarterly_cycle(LAST_YEAR, closed_through=4, status=Cycle.Status.CLOSED)
    for key in APTIKA:
        skp = _skp(demo_user(key), last)
        AnnualRating.objects.get_or_create(
            skp=skp,
            defaults={
                "rating_hasil_kerja": "sesuai",
                "rating_perilaku_kerja": "sesuai",
                "predikat": rules.predikat("sesuai", "sesuai"),
                "rated_by": skp.pejabat_penilai,
            },
        )
    kadis = demo_user("kadis.kominfo")
    UnitEvaluation.objects.get_or_create(
        cycle=last,
        org_unit=kadis.org_unit,
        defaults={"capaian": "baik", "capaian_set_by": kadis, "capaian_set_at": timezone.now()},
    )

    current = Cycle.objects.filter(year=2026).first()
    if current:
        period = current.periods.filter(kind="quarterly", number=3).first()
        for key, submitted, rated in MONITORING_2026:
            skp = _skp(demo_user(key), current)
            if period and submitted:
                _report(skp, period, submitted, rated)
    if stdout:
        stdout.write(f"  evaluasi {LAST_YEAR}: {AnnualRating.objects.count()} penilaian tahunan")
