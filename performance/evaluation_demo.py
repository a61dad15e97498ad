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
from .models import (
    AnnualRating,
    Cycle,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportingPeriod,
    Rhk,
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


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _cycle(year: int, *, closed: bool) -> Cycle:
    cycle, _created = Cycle.objects.get_or_create(
        year=year, defaults={"status": Cycle.Status.CLOSED if closed else Cycle.Status.OPEN}
    )
    for number in range(1, 5):
        start = dt.date(year, (number - 1) * 3 + 1, 1)
        end = (
            dt.date(year, 12, 31)
            if number == 4
            else dt.date(year, number * 3 + 1, 1) - dt.timedelta(days=1)
        )
        ReportingPeriod.objects.get_or_create(
            cycle=cycle,
            kind=ReportingPeriod.Kind.QUARTERLY,
            number=number,
            defaults={
                "start": start,
                "end": end,
                "due_date": end + dt.timedelta(days=10),
                "is_closed": closed,
            },
        )
    return cycle


def _skp(employee: User, cycle: Cycle) -> Skp:
    penilai = employee.atasan
    skp, created = Skp.objects.get_or_create(
        employee=employee,
        cycle=cycle,
        defaults={
            "pejabat_penilai": penilai,
            "pejabat_penilai_name": penilai.full_name if penilai else "",
            "pejabat_penilai_jabatan": penilai.jabatan if penilai else "",
            "atasan_pejabat_penilai": penilai.atasan if penilai else None,
            "atasan_pejabat_penilai_name": penilai.atasan.full_name
            if penilai and penilai.atasan
            else "",
            "employee_jabatan": employee.jabatan,
            "employee_unit": str(employee.org_unit or ""),
            "status": Skp.Status.DISETUJUI,
            "submitted_at": _at(dt.date(cycle.year, 1, 15)),
            "approved_at": _at(dt.date(cycle.year, 1, 20)),
        },
    )
    if created:
        rhk = Rhk.objects.create(
            skp=skp, jenis="utama", text=f"Terlaksananya tugas {employee.jabatan}", order=1
        )
        Indicator.objects.create(
            rhk=rhk,
            aspek="kuantitas",
            text="Dokumen hasil kerja yang diselesaikan",
            target=Decimal("12"),
            unit="dokumen",
        )
    return skp


def _report(skp: Skp, period: ReportingPeriod, submitted: dt.date, rated: bool) -> None:
    if PeriodicReport.objects.filter(skp=skp, period=period).exists():
        return
    rating = ("sesuai", "sesuai") if rated else ("", "")
    report = PeriodicReport.objects.create(
        skp=skp,
        period=period,
        narrative="Pekerjaan periode ini berjalan sesuai rencana.",
        status=PeriodicReport.Status.DINILAI if rated else PeriodicReport.Status.DIAJUKAN,
        submitted_at=_at(submitted),
        on_time=submitted <= period.due_date,
        rating_hasil_kerja=rating[0],
        rating_perilaku_kerja=rating[1],
        predikat=rules.predikat(*rating) if rated else "",
        rated_by=skp.pejabat_penilai if rated else None,
        rated_at=_at(submitted + dt.timedelta(days=2)) if rated else None,
    )
    for indicator in Indicator.objects.filter(rhk__skp=skp):
        Realisasi.objects.create(report=report, indicator=indicator, value=Decimal("3"))


@transaction.atomic
def seed_evaluation_demo(*, stdout=None) -> None:
    last = _cycle(LAST_YEAR, closed=True)
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
