"""Demo data for performance management (`seed_demo`, order 40). Idempotent.

Built relative to today (Asia/Jakarta), so `make run` in any year meets a portal to report in:
this year's cycle with quarterly periods, the current quarter open and every earlier one closed;
a real cascade Kepala Dinas -> Kepala Bidang (atasan@demo.local) -> pegawai@demo.local and
Fajar; pegawai's report for the previous quarter rated (in January that is Triwulan IV of last
year's cycle, closed) and Fajar's report for the current quarter waiting for review.

`at`, `quarterly_cycle`, `approved_skp`, `current_quarter` and `previous_period` also build the
evaluation demo (evaluation_demo.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal import authority
from portal.demo import assignments_start, demo_user
from portal.models import User
from portal.staffing import DesignatedRater
from portal.staffing.services import designate_rater

from . import rights, rules
from .models import (
    Cycle,
    Evidence,
    ExpectationKhusus,
    FeedbackMessage,
    Indicator,
    PeriodicReport,
    Realisasi,
    ReportEvent,
    ReportingPeriod,
    Rhk,
    Skp,
    SkpEvent,
    today,
    value_choices,
)
from .services.common import rating_chain

# (jenis, text, index of the atasan's RHK it intervenes, perspektif, [(aspek, text, target, unit)])
PLANS = {
    "kadis.kominfo": [
        (
            "utama",
            "Meningkatnya kualitas layanan publik berbasis elektronik Pemerintah Kota Bandung",
            None,
            "penerima_layanan",
            [("kuantitas", "Indeks SPBE Kota Bandung", "4.0", "indeks")],
        ),
        (
            "utama",
            "Terintegrasinya aplikasi perangkat daerah dalam Bandung Command Center",
            None,
            "proses_bisnis",
            [("kuantitas", "Aplikasi perangkat daerah yang terintegrasi", "60", "aplikasi")],
        ),
    ],
    "atasan": [
        (
            "utama",
            "Tersedianya aplikasi layanan publik yang andal dan aman",
            0,
            "",
            [
                ("kuantitas", "Aplikasi layanan publik yang dikembangkan", "8", "aplikasi"),
                ("kualitas", "Ketersediaan layanan aplikasi (uptime)", "99", "persen"),
            ],
        ),
        (
            "utama",
            "Terlaksananya integrasi data aplikasi perangkat daerah",
            1,
            "",
            [("kuantitas", "Aplikasi yang terintegrasi ke Command Center", "24", "aplikasi")],
        ),
    ],
    "pegawai": [
        (
            "utama",
            "Tersusunnya modul aplikasi pengaduan masyarakat yang siap dipakai",
            0,
            "",
            [
                ("kuantitas", "Modul aplikasi yang selesai diuji", "12", "modul"),
                ("waktu", "Rata-rata waktu perbaikan gangguan", "3", "hari"),
            ],
        ),
        (
            "tambahan",
            "Terdokumentasinya integrasi API layanan kependudukan",
            1,
            "",
            [("kuantitas", "Dokumen spesifikasi API", "4", "dokumen")],
        ),
    ],
    "fajar": [
        (
            "utama",
            "Terpeliharanya server aplikasi layanan publik",
            0,
            "",
            [("kualitas", "Ketersediaan server (uptime)", "99", "persen")],
        ),
        (
            "utama",
            "Terhubungnya aplikasi perangkat daerah ke gerbang integrasi",
            1,
            "",
            [("kuantitas", "Aplikasi yang terhubung", "10", "aplikasi")],
        ),
    ],
}

EXPECTATIONS = {
    "berorientasi_pelayanan": "Menanggapi laporan gangguan dari perangkat daerah di hari yang sama.",
    "akuntabel": "Mencatat setiap perubahan kode dan konfigurasi di repositori bersama.",
    "kompeten": "Mengikuti minimal satu pelatihan keamanan aplikasi tahun ini.",
    "harmonis": "Membantu rekan satu tim saat tenggat rilis.",
    "loyal": "Menjaga kerahasiaan data kependudukan yang diolah aplikasi.",
    "adaptif": "Mencoba kerangka kerja baru yang disepakati tim.",
    "kolaboratif": "Melibatkan perangkat daerah pengguna dalam uji coba aplikasi.",
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`day` at `hour` in Asia/Jakarta, never later than now (a demo has no future events)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), timezone.now())


def current_quarter() -> tuple[int, int]:
    """(year, quarter number) of today in Asia/Jakarta."""
    day = today()
    return day.year, (day.month - 1) // 3 + 1


def previous_period() -> ReportingPeriod:
    """The quarter before the current one (Triwulan IV of last year's cycle in January-March).

    Its cycle must exist (seed_performance_demo makes it).
    """
    year, quarter = current_quarter()
    if quarter == 1:
        year, quarter = year - 1, 5
    return ReportingPeriod.objects.get(cycle__year=year, kind="quarterly", number=quarter - 1)


def quarterly_cycle(year: int, *, closed_through: int, status: str = Cycle.Status.OPEN) -> Cycle:
    """The cycle of `year` with its four quarterly periods, the first `closed_through` closed."""
    cycle, _created = Cycle.objects.get_or_create(year=year, defaults={"status": status})
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
                "is_closed": number <= closed_through,
            },
        )
    # Seeded again later (make run in a new quarter or year): what has ended is closed now.
    cycle.periods.filter(kind="quarterly", number__lte=closed_through, is_closed=False).update(
        is_closed=True
    )
    if status == Cycle.Status.CLOSED and cycle.status != status:
        cycle.status = status
        cycle.save(update_fields=["status"])
    return cycle


def approved_skp(
    employee: User,
    cycle: Cycle,
    plan: Sequence[tuple],
    *,
    parents: Sequence[Rhk] = (),
    starts_on: dt.date | None = None,
    **details,
) -> tuple[Skp, bool]:
    """The approved SKP of `employee` for `cycle` from `starts_on` (1 January); when new, with
    the RHKs and indicators of `plan`, for the post held that day and its rating chain.

    `plan` lists (jenis, text, index of the parent RHK in `parents` or None, perspektif,
    [(aspek, text, target, unit)]); `details` are further Skp fields. Returns (skp, created).
    """
    starts_on = starts_on or dt.date(cycle.year, 1, 1)
    post = authority.assignment_on(employee, starts_on)
    post = post if post is not None and post.pk else None
    skp, created = Skp.objects.get_or_create(
        employee=employee,
        cycle=cycle,
        starts_on=starts_on,
        defaults={
            "assignment": post,
            **rating_chain(employee, post, starts_on),
            "employee_jabatan": post.jabatan if post else employee.jabatan,
            "employee_unit": str(post.org_unit if post else employee.org_unit or ""),
            "status": Skp.Status.DISETUJUI,
            "submitted_at": at(max(starts_on, dt.date(cycle.year, 1, 15)), hour=9),
            "approved_at": at(max(starts_on, dt.date(cycle.year, 1, 20))),
            **details,
        },
    )
    if created:
        add_plan(skp, plan, parents)
    return skp, created


def add_plan(skp: Skp, plan: Sequence[tuple], parents: Sequence[Rhk] = ()) -> None:
    """The RHKs and indicators of `plan` (as `approved_skp` reads it) on `skp`."""
    for order, (jenis, text, parent_index, perspektif, indicators) in enumerate(plan, start=1):
        rhk = Rhk.objects.create(
            skp=skp,
            jenis=jenis,
            text=text,
            parent_rhk=parents[parent_index] if parent_index is not None else None,
            perspektif=perspektif,
            order=order,
        )
        for aspek, itext, target, unit in indicators:
            Indicator.objects.create(
                rhk=rhk, aspek=aspek, text=itext, target=Decimal(target), unit=unit
            )


def approval_events(skp: Skp, approver: User, note: str = "") -> None:
    """The SKP's history: submitted by its employee, approved by `approver` (with `note`, e.g.
    on whose behalf), at its times."""
    SkpEvent.objects.create(
        skp=skp, actor=skp.employee, from_status="draf", to_status="diajukan", at=skp.submitted_at
    )
    SkpEvent.objects.create(
        skp=skp,
        actor=approver,
        from_status="diajukan",
        to_status="disetujui",
        at=skp.approved_at,
        note=note,
    )


def seed_skp(
    employee: User,
    cycle: Cycle,
    parents: list[Rhk],
    plan: Sequence[tuple] | None = None,
    *,
    admin: User | None = None,
    **kw,
) -> tuple[Skp, list[Rhk]]:
    """An approved SKP; a head without a pejabat penilai is approved by `admin` (Admin BKPSDM,
    the demo's own when not given: a world seeded beside the demo names its own)."""
    skp, created = approved_skp(
        employee,
        cycle,
        plan or PLANS[employee.email.split("@")[0]],
        parents=parents,
        dukungan_sumber_daya="Server dan lisensi dari Diskominfo\nAnggaran pelatihan",
        skema_pertanggungjawaban="Laporan triwulanan kepada atasan langsung",
        konsekuensi="Predikat kinerja sesuai capaian",
        **kw,
    )
    penilai = skp.pejabat_penilai
    if created:
        # A head without a pejabat penilai in the portal: Admin BKPSDM records the approval on
        # behalf of the designated rater (never an approval by the employee themselves).
        admin = admin or demo_user("bkpsdm")
        approval_events(
            skp,
            penilai or admin,
            note="" if penilai else rights.act_note(admin, skp, rights.BKPSDM),
        )
        if penilai:
            for code, _name in value_choices():
                ExpectationKhusus.objects.create(
                    skp=skp, value_code=code, text=EXPECTATIONS[code], written_by=penilai
                )
    return skp, list(skp.rhks.order_by("order", "pk"))


def seed_report(
    skp: Skp, period: ReportingPeriod, *, submitted: dt.date, rating: tuple[str, str] | None
) -> PeriodicReport:
    existing = PeriodicReport.objects.filter(skp=skp, period=period).first()
    if existing:
        return existing
    report = PeriodicReport.objects.create(
        skp=skp,
        period=period,
        narrative=(
            "Pekerjaan periode ini berjalan sesuai rencana; rincian ada pada bukti dukung. "
            "Kendala utama adalah jadwal uji coba dengan perangkat daerah."
        ),
        status=PeriodicReport.Status.DIAJUKAN,
        submitted_at=at(submitted),
        on_time=submitted <= period.due_date,
    )
    for indicator in Indicator.objects.filter(rhk__skp=skp):
        Realisasi.objects.create(
            report=report, indicator=indicator, value=(indicator.target / 4).quantize(Decimal("1"))
        )
    Evidence.objects.create(
        report=report,
        url="https://github.com/bandung-smart-city",
        description="Repositori kode dan catatan rilis",
        uploaded_by=skp.employee,
    )
    ReportEvent.objects.create(
        report=report,
        actor=skp.employee,
        from_status="draf",
        to_status="diajukan",
        at=report.submitted_at,
    )
    if rating:
        penilai = skp.pejabat_penilai
        first_rhk = skp.rhks.order_by("order").first()
        FeedbackMessage.objects.create(
            report=report,
            rhk=first_rhk,
            author=penilai,
            body="Modul sudah bagus. Tolong lampirkan berita acara uji coba.",
            created_at=at(submitted + dt.timedelta(days=1)),
        )
        FeedbackMessage.objects.create(
            report=report,
            rhk=first_rhk,
            author=skp.employee,
            body="Baik, Bu. Berita acara sudah saya tambahkan di repositori.",
            created_at=at(submitted + dt.timedelta(days=2)),
        )
        report.rating_hasil_kerja, report.rating_perilaku_kerja = rating
        report.predikat = rules.predikat(*rating)
        report.rated_by = penilai
        report.rated_at = at(submitted + dt.timedelta(days=3))
        report.status = PeriodicReport.Status.DINILAI
        report.save()
        ReportEvent.objects.create(
            report=report,
            actor=penilai,
            from_status="diajukan",
            to_status="dinilai",
            note=report.get_predikat_display(),
            at=report.rated_at,
        )
    return report


def _cascade(cycle: Cycle) -> dict[str, Skp]:
    """The approved SKPs of the Aptika cascade in `cycle`, by demo key."""
    _kadis_skp, kadis_rhks = seed_skp(demo_user("kadis.kominfo"), cycle, [])
    atasan_skp, atasan_rhks = seed_skp(demo_user("atasan"), cycle, kadis_rhks)
    return {
        "atasan": atasan_skp,
        "pegawai": seed_skp(demo_user("pegawai"), cycle, atasan_rhks)[0],
        "fajar": seed_skp(demo_user("fajar"), cycle, atasan_rhks)[0],
    }


# The demo's heads have no atasan in the portal: the Wali Kota rates them, a rater outside the
# portal designated with a document, whose ratings Admin BKPSDM records (issue 17).
HEADS = ["kadis.kominfo", "kaban.bkpsdm", "kadis.kesehatan", "camat.coblong"]
WALI_KOTA = "Wali Kota Bandung"


def designation_document(year: int) -> str:
    return f"Keputusan Wali Kota Bandung Nomor 800.1.3/Kep.{year}-BKPSDM"


def designate_heads() -> None:
    """Record the Wali Kota as the designated rater of each demo head (once)."""
    start = assignments_start()
    admin = demo_user("bkpsdm")
    for key in HEADS:
        head = demo_user(key)
        if not DesignatedRater.objects.filter(person=head).exists():
            designate_rater(
                actor=admin,
                person=head,
                external_rater=WALI_KOTA,
                document_ref=designation_document(start.year),
                start=start,
            )


@transaction.atomic
def seed_performance_demo(*, stdout=None) -> None:
    designate_heads()
    year, quarter = current_quarter()
    if quarter == 1:  # the previous quarter is last year's Triwulan IV: that cycle is over
        quarterly_cycle(year - 1, closed_through=4, status=Cycle.Status.CLOSED)
    cycle = quarterly_cycle(year, closed_through=quarter - 1)
    current = cycle.periods.get(kind="quarterly", number=quarter)
    previous = previous_period()
    skps = _cascade(cycle)
    previous_skps = skps if previous.cycle_id == cycle.pk else _cascade(previous.cycle)
    # Submitted in the previous quarter's last week, discussed and rated before it ended.
    seed_report(
        previous_skps["pegawai"],
        previous,
        submitted=previous.end - dt.timedelta(days=5),
        rating=("di_atas", "sesuai"),
    )
    # Submitted early in the current quarter (at most a week ago): waiting for the atasan.
    seed_report(
        skps["fajar"],
        current,
        submitted=max(current.start, today() - dt.timedelta(days=7)),
        rating=None,
    )
    if stdout:
        stdout.write(f"  siklus {cycle.year}: {Skp.objects.filter(cycle=cycle).count()} SKP")
