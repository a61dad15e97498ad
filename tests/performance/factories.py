"""Builders for performance tests: a cycle, a cascade of approved SKPs, reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from performance.models import (
    Cycle,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportingPeriod,
    Rhk,
    Skp,
)


def make_cycle(year: int | None = None, *, due_days: int = 10) -> Cycle:
    """A cycle for `year` (default: this year) with four quarterly periods."""
    year = year or timezone.localdate().year
    cycle = Cycle.objects.create(year=year)
    for number in range(1, 5):
        start = dt.date(year, (number - 1) * 3 + 1, 1)
        end = (
            dt.date(year, 12, 31)
            if number == 4
            else dt.date(year, number * 3 + 1, 1) - dt.timedelta(days=1)
        )
        ReportingPeriod.objects.create(
            cycle=cycle,
            kind="quarterly",
            number=number,
            start=start,
            end=end,
            due_date=end + dt.timedelta(days=due_days),
        )
    return cycle


def current_period(cycle: Cycle) -> ReportingPeriod:
    return ReportingPeriod.objects.current(cycle)


def make_skp(
    employee,
    cycle: Cycle,
    *,
    status: str = "disetujui",
    parent: Rhk | None = None,
    pendekatan: str = "kuantitatif",
    indicators: int = 1,
) -> Skp:
    """An SKP with one RHK utama (intervening `parent`) and `indicators` indicators."""
    penilai = employee.atasan
    now = timezone.now()
    skp = Skp.objects.create(
        employee=employee,
        cycle=cycle,
        pendekatan=pendekatan,
        pejabat_penilai=penilai,
        pejabat_penilai_name=penilai.full_name if penilai else "",
        atasan_pejabat_penilai=penilai.atasan if penilai else None,
        status=status,
        submitted_at=now if status in ("diajukan", "disetujui") else None,
        approved_at=now if status == "disetujui" else None,
        return_note="perbaiki" if status == "dikembalikan" else "",
    )
    rhk = Rhk.objects.create(
        skp=skp, jenis="utama", text=f"RHK {employee.full_name}", parent_rhk=parent
    )
    for n in range(indicators):
        Indicator.objects.create(
            rhk=rhk,
            aspek="kuantitas",
            text=f"Indikator {n + 1}",
            target=Decimal("10"),
            unit="dokumen",
        )
    return skp


def make_report(skp: Skp, period: ReportingPeriod, *, status: str = "draf", filled: bool = True):
    now = timezone.now()
    submitted = status in ("diajukan", "dinilai")
    rated = status == "dinilai"
    report = PeriodicReport.objects.create(
        skp=skp,
        period=period,
        status=status,
        submitted_at=now if submitted else None,
        on_time=True if submitted else None,
        return_note="perbaiki" if status == "dikembalikan" else "",
        rating_hasil_kerja="sesuai" if rated else "",
        rating_perilaku_kerja="sesuai" if rated else "",
        predikat="baik" if rated else "",
        rated_by=skp.pejabat_penilai if rated else None,
        rated_at=now if rated else None,
    )
    if filled:
        for indicator in Indicator.objects.filter(rhk__skp=skp):
            Realisasi.objects.create(report=report, indicator=indicator, value=Decimal("3"))
    return report
