"""Demo data for the annual evaluation and monitoring (`seed_demo`, order 45). Idempotent.

Relative to today, like performance's demo:
- Last year's cycle, closed: Diskominfo's Bidang Aplikasi Informatika rated for the year, every
  predikat "Baik" and capaian organisasi "Baik", so the unit page warns about the kurva
  (nobody Butuh Perbaikan, more than 70% Baik). The Kepala Dinas, who has no atasan in the
  portal, was rated by the Wali Kota (his designated rater; Admin BKPSDM recorded it); the
  capaian is recorded by Admin BKPSDM (`bkpsdm`) on the Sekretaris Daerah's decision, with a
  document reference (issue 17: the head does not set their own). Not finalised: the Kepala
  Dinas finalises it (the step the demo tour shows).
- Kecamatan Coblong last year: the Camat's team rated; the Camat's own rating waits for Admin
  BKPSDM to record the Wali Kota's, the capaian organisasi for its setter; then the Camat
  finalises his kecamatan.
- The previous quarter (`previous_period()`): approved SKPs and reports in other OPDs, on
  time, late and missing, so the monitoring page has something to show. A late submission
  whose day has not come yet (the first days after the due date) is simply not there yet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.demo import demo_user
from portal.models import User

from . import rules
from .demo import (
    WALI_KOTA,
    approved_skp,
    at,
    current_quarter,
    previous_period,
    quarterly_cycle,
)
from .models import (
    AnnualRating,
    Cycle,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportingPeriod,
    Skp,
    UnitEvaluation,
    today,
)

APTIKA = ["atasan", "pegawai", "fajar", "intan", "yoga", "nenden"]
# Who decided Diskominfo's capaian, and the (invented) document Admin BKPSDM records it with.
CAPAIAN_PENETAP = "Sekretaris Daerah Kota Bandung"
CAPAIAN_DOCUMENT = "Nota Dinas Sekda 000.8/DEMO-17"
# (person, submitted: ("end", days before the period's end) on time, ("due", days after the due
# date) late, or None: not submitted; rated)
MONITORING = [
    ("ratna", ("end", 4), True),
    ("dewi", ("end", 1), False),
    ("hendra", ("due", 4), False),
    ("bambang", ("end", 8), True),
    ("lina", ("due", 10), False),
    ("ujang", None, False),
    ("euis", None, False),
    ("tatang", ("end", 2), False),
    ("ai", None, False),
    ("gilang", ("due", 2), False),
    ("sri", None, False),
    ("intan", ("due", 5), False),
    ("yoga", None, False),
]


def last_year() -> int:
    return current_quarter()[0] - 1


def submitted_on(period: ReportingPeriod, when: tuple[str, int] | None) -> dt.date | None:
    """The day a monitoring person submitted for `period`; None when not (yet) submitted."""
    if when is None:
        return None
    anchor, days = when
    day = period.end - dt.timedelta(days=days) if anchor == "end" else period.due_date
    day = day + dt.timedelta(days=days) if anchor == "due" else day
    return day if day <= today() else None


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


# Kecamatan Coblong last year: the Camat heads it and runs its evaluation; his Kepala Seksi and
# the Kasi's staff are rated; the Camat's own rating, by the Wali Kota, waits for Admin BKPSDM
# to record it. (person, rater, ratings or None)
KECAMATAN = [
    ("camat.coblong", None, None),
    ("tatang", "camat.coblong", ("di_atas", "sesuai")),
    ("ai", "tatang", ("sesuai", "sesuai")),
    ("gilang", "tatang", ("sesuai", "di_atas")),
    ("sri", "tatang", ("di_bawah", "sesuai")),
]


def _on_behalf(year: int) -> str:
    return (
        f"Dicatat Admin BKPSDM atas nama {WALI_KOTA}; dokumen: "
        f"Surat Wali Kota Bandung Nomor 800/{year}-Kinerja."
    )


def _rate(skp: Skp, ratings: tuple[str, str], rater: User, note: str = "") -> None:
    AnnualRating.objects.get_or_create(
        skp=skp,
        defaults={
            "rating_hasil_kerja": ratings[0],
            "rating_perilaku_kerja": ratings[1],
            "predikat": rules.predikat(*ratings),
            "rated_by": rater,
            "note": note,
        },
    )


def _seed_kecamatan(cycle: Cycle) -> None:
    for key, rater, ratings in KECAMATAN:
        skp = _skp(demo_user(key), cycle)
        if ratings:
            _rate(skp, ratings, demo_user(rater))


@transaction.atomic
def seed_evaluation_demo(*, stdout=None) -> None:
    year = last_year()
    last = quarterly_cycle(year, closed_through=4, status=Cycle.Status.CLOSED)
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
    recorded = {
        "capaian": "baik",
        "capaian_set_by": demo_user("bkpsdm"),
        "capaian_set_at": timezone.now(),
        "capaian_capacity": UnitEvaluation.CapaianCapacity.BKPSDM,
        "capaian_penetap": CAPAIAN_PENETAP,
        "capaian_document_ref": CAPAIAN_DOCUMENT,
    }
    kadis = demo_user("kadis.kominfo")
    state, created = UnitEvaluation.objects.get_or_create(
        cycle=last, org_unit=kadis.org_unit, defaults=recorded
    )
    if not created and not state.capaian_capacity and not state.is_final:
        # seeded before issue 17 as set by the Kepala Dinas himself: recorded properly now
        UnitEvaluation.objects.filter(pk=state.pk).update(**recorded)
    # The Kepala Dinas has no atasan in the portal: the Wali Kota rated him, Admin BKPSDM
    # recorded it (so Diskominfo can be finalised).
    _rate(_skp(kadis, last), ("sesuai", "sesuai"), demo_user("bkpsdm"), note=_on_behalf(year))
    _seed_kecamatan(last)

    period = previous_period()
    for key, when, rated in MONITORING:
        skp = _skp(demo_user(key), period.cycle)
        submitted = submitted_on(period, when)
        if submitted:
            _report(skp, period, submitted, rated)
    if stdout:
        stdout.write(f"  evaluasi {year}: {AnnualRating.objects.count()} penilaian tahunan")
