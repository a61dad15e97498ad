"""Exports: XLSX for e-Kinerja entry and the Dokumen Evaluasi Kinerja Pegawai PDF.

XLSX files are written with openpyxl's write-only mode row by row into a temporary file (memory
stays flat) and returned as a FileResponse; rows are read with `.values_list().iterator()`.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.domain import berakhlak_values, predikat_levels, rating_levels
from portal.exports import safe_cell

from .models import AnnualRating, PeriodicReport, ReportingPeriod, Skp


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        # Names, jabatan and units are typed by people: none of them may run as a formula.
        sheet.append([safe_cell(value) for value in row])
    # Deleted when the FileResponse closes it after streaming.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    private_download(response)
    return response


def private_download(response):
    """Personal data: no proxy or shared browser cache may keep a copy."""
    response["Cache-Control"] = "private, no-store"
    return response


def period_slug(period: ReportingPeriod) -> str:
    """The period in an Indonesian file name: `triwulan-2`, `bulan-11`."""
    word = "triwulan" if period.kind == ReportingPeriod.Kind.QUARTERLY else "bulan"
    return f"{word}-{period.number}"


def monitoring_headers() -> list[str]:
    return [
        _("Perangkat daerah"),
        _("Pegawai"),
        _("SKP disetujui"),
        _("Laporan tepat waktu"),
        _("Laporan terlambat"),
        _("Belum lapor"),
        _("Laporan dinilai"),
        _("Pelatihan selesai"),
        _("Pelatihan (jumlah pegawai)"),
        _("Apresiasi"),
    ]


def monitoring_values(rows) -> Iterable[list]:
    for row in rows:
        done, total = row.training if row.training else (None, None)
        yield [
            row.opd.name,
            row.employees,
            row.skp_approved,
            row.on_time,
            row.late,
            row.missing,
            row.rated,
            done,
            total,
            row.recognitions,
        ]


def names_headers(kind: str) -> list[str]:
    if kind == "pelatihan":
        return [_("Perangkat daerah"), _("NIP"), _("Nama"), _("Jabatan"), _("Unit"), _("Atasan")]
    return [
        _("Perangkat daerah"),
        _("NIP"),
        _("Nama"),
        _("Jabatan"),
        _("Unit"),
        _("Pejabat penilai"),
        _("Keadaan"),
    ]


def report_names_values(skps, opd_of: dict[int, str], period: ReportingPeriod) -> Iterable[list]:
    overdue = period.is_overdue
    for nip, name, jabatan, unit_id, unit, penilai, submitted in skps.values_list(
        "employee__nip",
        "employee__full_name",
        "post_jabatan",
        "post_unit_id",
        "post_unit_name",
        "pejabat_penilai_name",
        "period_submitted_at",
    ).iterator(chunk_size=2000):
        if submitted:
            state = _("Diajukan terlambat")
        else:
            state = _("Belum diajukan, lewat batas waktu") if overdue else _("Belum diajukan")
        yield [opd_of.get(unit_id, ""), nip, name, jabatan, unit or "", penilai, state]


def training_names_values(people, opd_of: dict[int, str]) -> Iterable[list]:
    for nip, name, jabatan, unit_id, unit, atasan in people.values_list(
        "nip", "full_name", "jabatan", "org_unit_id", "org_unit__name", "atasan__full_name"
    ).iterator(chunk_size=2000):
        yield [opd_of.get(unit_id, ""), nip, name, jabatan, unit or "", atasan or ""]


def predikat_headers() -> list[str]:
    return [
        _("NIP"),
        _("Nama"),
        _("Jabatan"),
        _("Unit"),
        _("Periode"),
        _("Rating hasil kerja"),
        _("Rating perilaku kerja"),
        _("Predikat"),
    ]


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    ratings = {level["code"]: level["label"] for level in rating_levels()["scale"]}
    predikat = {level["code"]: level["label"] for level in predikat_levels()}
    return ratings, predikat


def predikat_values_annual(ratings: QuerySet[AnnualRating], year: int) -> Iterable[list]:
    rating_label, predikat_label = _labels()
    period = _("Tahunan %(year)s") % {"year": year}
    for nip, name, jabatan, unit, hasil, perilaku, predikat in (
        ratings.order_by("skp__employee__full_name", "pk")
        .values_list(
            "skp__employee__nip",
            "skp__employee__full_name",
            "skp__employee__jabatan",
            "skp__employee__org_unit__name",
            "rating_hasil_kerja",
            "rating_perilaku_kerja",
            "predikat",
        )
        .iterator(chunk_size=2000)
    ):
        yield [
            nip,
            name,
            jabatan,
            unit or "",
            period,
            rating_label.get(hasil, hasil),
            rating_label.get(perilaku, perilaku),
            predikat_label.get(predikat, predikat),
        ]


def predikat_values_period(
    reports: QuerySet[PeriodicReport], period: ReportingPeriod
) -> Iterable[list]:
    rating_label, predikat_label = _labels()
    label = str(period)
    for nip, name, jabatan, unit, hasil, perilaku, predikat in (
        reports.filter(status=PeriodicReport.Status.DINILAI)
        .order_by("skp__employee__full_name", "pk")
        .values_list(
            "skp__employee__nip",
            "skp__employee__full_name",
            "skp__employee__jabatan",
            "skp__employee__org_unit__name",
            "rating_hasil_kerja",
            "rating_perilaku_kerja",
            "predikat",
        )
        .iterator(chunk_size=2000)
    ):
        yield [
            nip,
            name,
            jabatan,
            unit or "",
            label,
            rating_label.get(hasil, hasil),
            rating_label.get(perilaku, perilaku),
            predikat_label.get(predikat, predikat),
        ]


# --- Dokumen Evaluasi Kinerja Pegawai (PDF) ------------------------------------------------


def evaluation_pdf(
    *,
    skp: Skp,
    report: PeriodicReport | None = None,
    annual: AnnualRating | None = None,
    capaian: str = "",
) -> bytes:
    """The document's official sections: identities, capaian organisasi, hasil kerja with
    realisasi and umpan balik, perilaku kerja per BerAKHLAK value, predikat, signatures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .models import FeedbackMessage, Realisasi

    styles = getSampleStyleSheet()
    normal, heading = styles["BodyText"], styles["Heading4"]
    rating_label, predikat_label = _labels()
    employee = skp.employee
    penilai = skp.pejabat_penilai
    atasan = skp.atasan_pejabat_penilai

    def p(text) -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(str(text or "–")), normal)

    def table(rows, widths) -> Table:
        result = Table(rows, colWidths=widths, repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ]
            )
        )
        return result

    if annual is not None:
        period_text = _("Periode: tahunan %(year)s") % {"year": skp.cycle.year}
        hasil, perilaku, predikat = (
            annual.rating_hasil_kerja,
            annual.rating_perilaku_kerja,
            annual.predikat,
        )
    else:
        period_text = _("Periode: %(period)s (%(start)s – %(end)s)") % {
            "period": report.period,
            "start": report.period.start.strftime("%d-%m-%Y"),
            "end": report.period.end.strftime("%d-%m-%Y"),
        }
        hasil, perilaku, predikat = (
            report.rating_hasil_kerja,
            report.rating_perilaku_kerja,
            report.predikat,
        )

    story = [
        Paragraph(_("DOKUMEN EVALUASI KINERJA PEGAWAI"), styles["Title"]),
        Paragraph(_("Pemerintah Kota Bandung"), styles["Heading3"]),
        p(period_text),
        Spacer(1, 0.3 * cm),
    ]

    def identity(title, person, name_fallback="") -> list:
        return [
            [Paragraph(f"<b>{title}</b>", normal), ""],
            [p(_("Nama")), p(person.full_name if person else name_fallback)],
            [p(_("NIP")), p(person.nip if person else "")],
            [
                p(_("Pangkat/golongan")),
                p(getattr(person, "pangkat_golongan", "") if person else ""),
            ],
            [p(_("Jabatan")), p(person.jabatan if person else "")],
            [p(_("Unit kerja")), p(person.org_unit.label if person and person.org_unit_id else "")],
        ]

    rows = (
        identity(_("PEGAWAI YANG DINILAI"), employee)
        + identity(_("PEJABAT PENILAI KINERJA"), penilai, skp.pejabat_penilai_name)
        + identity(_("ATASAN PEJABAT PENILAI KINERJA"), atasan, skp.atasan_pejabat_penilai_name)
    )
    story += [table(rows, [5 * cm, 11.5 * cm]), Spacer(1, 0.3 * cm)]

    story.append(Paragraph(_("CAPAIAN KINERJA ORGANISASI"), heading))
    story.append(p(capaian or _("Belum ditetapkan")))

    story.append(Paragraph(_("HASIL KERJA"), heading))
    realisasi = {}
    feedback: dict[int, list[str]] = {}
    value_feedback: dict[str, list[str]] = {}
    reports = [report] if report is not None else list(skp.reports.all())
    report_ids = [r.pk for r in reports if r is not None]
    for item in Realisasi.objects.filter(report_id__in=report_ids).select_related("report__period"):
        realisasi.setdefault(item.indicator_id, []).append(
            f"{item.report.period.label}: {item.display}" if report is None else item.display
        )
    for message in FeedbackMessage.objects.filter(report_id__in=report_ids).select_related(
        "author"
    ):
        line = f"{message.author.full_name}: {message.body}"
        if message.rhk_id:
            feedback.setdefault(message.rhk_id, []).append(line)
        else:
            value_feedback.setdefault(message.value_code, []).append(line)
    rows = [
        [
            p(_("Rencana hasil kerja")),
            p(_("Indikator dan target")),
            p(_("Realisasi")),
            p(_("Umpan balik")),
        ]
    ]
    for rhk in skp.rhks.prefetch_related("indicators"):
        indicators = list(rhk.indicators.all())
        rows.append(
            [
                p(f"{rhk.get_jenis_display()}: {rhk.text}"),
                p("; ".join(f"{i.text} ({i.target.normalize():f} {i.unit})" for i in indicators)),
                p("; ".join(v for i in indicators for v in realisasi.get(i.pk, []))),
                p(" | ".join(feedback.get(rhk.pk, []))),
            ]
        )
    story += [table(rows, [4.5 * cm, 4.5 * cm, 3.5 * cm, 4 * cm])]

    story.append(Paragraph(_("PERILAKU KERJA"), heading))
    expectations = {e.value_code: e.text for e in skp.expectations.all()}
    rows = [[p(_("Nilai BerAKHLAK")), p(_("Ekspektasi khusus pimpinan")), p(_("Umpan balik"))]]
    for value in berakhlak_values():
        rows.append(
            [
                p(value["name"]),
                p(expectations.get(value["code"], "")),
                p(" | ".join(value_feedback.get(value["code"], []))),
            ]
        )
    story += [table(rows, [4 * cm, 6 * cm, 6.5 * cm])]

    story.append(Paragraph(_("PREDIKAT KINERJA PEGAWAI"), heading))
    rows = [
        [p(_("Rating hasil kerja")), p(rating_label.get(hasil, hasil or _("Belum dinilai")))],
        [
            p(_("Rating perilaku kerja")),
            p(rating_label.get(perilaku, perilaku or _("Belum dinilai"))),
        ],
        [p(_("Predikat")), p(predikat_label.get(predikat, predikat or _("Belum dinilai")))],
    ]
    story += [table(rows, [5 * cm, 11.5 * cm]), Spacer(1, 0.8 * cm)]

    def sign(title, person, fallback="") -> list:
        return [
            p(title),
            Spacer(1, 1.5 * cm),
            p(person.full_name if person else fallback),
            p(_("NIP %(nip)s") % {"nip": person.nip} if person else ""),
        ]

    signatures = Table(
        [
            [
                sign(_("Pegawai yang dinilai"), employee),
                sign(_("Pejabat penilai kinerja"), penilai, skp.pejabat_penilai_name),
                sign(_("Atasan pejabat penilai kinerja"), atasan, skp.atasan_pejabat_penilai_name),
            ]
        ],
        colWidths=[5.5 * cm] * 3,
    )
    story.append(signatures)

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Dokumen Evaluasi Kinerja Pegawai"),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    ).build(story)
    return buffer.getvalue()
