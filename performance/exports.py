"""Exports: XLSX for e-Kinerja entry and the Dokumen Evaluasi Kinerja Pegawai PDF.

XLSX files are written with openpyxl's write-only mode row by row into a temporary file (memory
stays flat) and returned as a `FileDownload`; rows are read with `.values_list().iterator()`.
Downloads go out a chunk at a time under WSGI (gunicorn) and ASGI (daphne) alike.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from asgiref.sync import sync_to_async
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.exports import safe_cell

from .models import (
    AnnualRating,
    PeriodicReport,
    ReportingPeriod,
    predikat_choices,
    rating_choices,
)


class _ChunkByChunk:
    """Served under ASGI (daphne) one chunk at a time. Django serves a synchronous iterator
    there by reading it whole into a list first (`StreamingHttpResponse.__aiter__`): a city's
    export would sit in the process entire. Each chunk is read in the thread the view ran in
    (its database connection: the e-Kinerja JSON reads as it goes). WSGI is unchanged."""

    async def __aiter__(self):
        chunks = iter(self.streaming_content)
        step = sync_to_async(next)
        while (chunk := await step(chunks, None)) is not None:
            yield chunk


class StreamedDownload(_ChunkByChunk, StreamingHttpResponse):
    """A download generated as it is sent (the e-Kinerja JSON)."""


class FileDownload(_ChunkByChunk, FileResponse):
    """A file's download (the XLSX exports, bukti dukung), 64 KiB a chunk."""

    block_size = 1 << 16


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable) -> FileResponse:
    return xlsx_workbook_response(filename, {title: headers}, ((0, row) for row in rows))


def xlsx_workbook_response(
    filename: str, sheets: dict[str, list[str]], rows: Iterable[tuple[int, list]]
) -> FileResponse:
    """A workbook of the sheets `sheets` (title -> headers), each row of `rows` appended to the
    sheet of its index as it comes (write-only sheets: memory stays flat)."""
    workbook = Workbook(write_only=True)
    targets = []
    for title, headers in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        targets.append(sheet)
    for index, row in rows:
        # Names, jabatan and units are typed by people: none of them may run as a formula.
        targets[index].append([safe_cell(value) for value in row])
    # Deleted when the response closes it after streaming.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    response = FileDownload(
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


def _predikat_values(rows: QuerySet, period: str) -> Iterable[list]:
    """`rows` (annual ratings or periodic reports: both have the SKP, the ratings and the
    predikat) as lines of the predikat list, `period` written in each."""
    rating_label, predikat_label = dict(rating_choices()), dict(predikat_choices())
    for nip, name, jabatan, unit, hasil, perilaku, predikat in (
        rows.order_by("skp__employee__full_name", "pk")
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


def predikat_values_annual(ratings: QuerySet[AnnualRating], year: int) -> Iterable[list]:
    return _predikat_values(ratings, _("Tahunan %(year)s") % {"year": year})


def predikat_values_period(
    reports: QuerySet[PeriodicReport], period: ReportingPeriod
) -> Iterable[list]:
    return _predikat_values(reports.filter(status=PeriodicReport.Status.DINILAI), str(period))
