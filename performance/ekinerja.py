"""The e-Kinerja-shaped export (issue 18): the full SKP of each person, in the sections of the
SKP form (domain/REFERENCE.md §2.2) — pegawai and pejabat penilai, HASIL KERJA (utama and
tambahan: RHK pimpinan yang diintervensi, RHK, perspektif, aspek, indikator kinerja individu,
target), PERILAKU KERJA (ekspektasi khusus pimpinan per BerAKHLAK value), LAMPIRAN — with the
realisasi of every indicator per reporting period, the ratings and predikat of each period and
the annual ones.

`export_skps` reads the SKPs in batches (a fixed number of queries per batch of
`BATCH`), so a large OPD streams with flat memory; `skp_document` is the JSON shape (stable
Indonesian field names) and `workbook_rows` the XLSX sheets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from .models import (
    PeriodicReport,
    Rhk,
    Skp,
    perspektif_choices,
    predikat_choices,
    rating_choices,
    value_choices,
)

# SKPs read together: each brings its year's reports, realisasi, RHK and indicators as model
# instances. At 200 the export of a 1,766-person OPD took its server process 43 MiB, at 50
# 22-27 MiB (bench_city_exports), for 187 queries instead of 52.
BATCH = 50


def export_skps(skps: QuerySet[Skp]) -> Iterator[Skp]:
    """`skps` with everything the export reads, by employee name."""
    return (
        skps.select_related(
            "employee__org_unit",
            "cycle",
            "pejabat_penilai",
            "atasan_pejabat_penilai",
            "annual_rating",
        )
        .prefetch_related(
            Prefetch(
                "rhks",
                queryset=Rhk.objects.select_related("parent_rhk")
                .prefetch_related("indicators")
                .order_by("order", "pk"),
            ),
            "expectations",
            Prefetch(
                "reports",
                queryset=PeriodicReport.objects.select_related("period__cycle")
                .prefetch_related("realisasi")
                .order_by("period__start", "pk"),
            ),
        )
        .order_by("employee__full_name", "starts_on", "pk")
        .iterator(chunk_size=BATCH)
    )


class Labels:
    """Choice labels in the active language, read once per export."""

    def __init__(self) -> None:
        self.rating = dict(rating_choices())
        self.predikat = dict(predikat_choices())
        self.perspektif = dict(perspektif_choices())
        self.value = dict(value_choices())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _person(user, *, name: str = "", jabatan: str = "", unit: str = "") -> dict | None:
    if user is None and not name:
        return None
    return {
        "nip": user.nip if user else "",
        "nama": name or (user.full_name if user else ""),
        "pangkat_golongan": user.pangkat_golongan if user else "",
        "jabatan": jabatan or (user.jabatan if user else ""),
        "unit_kerja": unit,
    }


def _ratings(row, labels: Labels) -> dict:
    return {
        "rating_hasil_kerja": labels.rating.get(row.rating_hasil_kerja, row.rating_hasil_kerja),
        "rating_perilaku_kerja": labels.rating.get(
            row.rating_perilaku_kerja, row.rating_perilaku_kerja
        ),
        "predikat": labels.predikat.get(row.predikat, row.predikat),
    }


def _annual(skp: Skp):
    try:
        return skp.annual_rating
    except Skp.annual_rating.RelatedObjectDoesNotExist:
        return None


def skp_document(skp: Skp, labels: Labels | None = None) -> dict:
    """One SKP as e-Kinerja's SKP document has it, with realisasi and ratings."""
    labels = labels or Labels()
    employee = skp.employee
    unit = skp.employee_unit or (str(employee.org_unit) if employee.org_unit_id else "")
    reports = list(skp.reports.all())
    realisasi = {}
    for report in reports:
        for row in report.realisasi.all():
            realisasi.setdefault(row.indicator_id, []).append((report, row))
    hasil: dict[str, list] = {Rhk.Jenis.UTAMA: [], Rhk.Jenis.TAMBAHAN: []}
    for rhk in skp.rhks.all():
        number = len(hasil.setdefault(rhk.jenis, [])) + 1
        hasil[rhk.jenis].append(
            {
                "no": number,
                "rhk_pimpinan_yang_diintervensi": rhk.parent_rhk.text if rhk.parent_rhk_id else "",
                "rencana_hasil_kerja": rhk.text,
                "perspektif": labels.perspektif.get(rhk.perspektif, rhk.perspektif),
                "indikator": [
                    {
                        "aspek": indicator.get_aspek_display(),
                        "indikator_kinerja_individu": indicator.text,
                        "target": _number(indicator.target),
                        "satuan": indicator.unit,
                        "realisasi": [
                            {
                                "periode": str(report.period),
                                "nilai": _number(row.value),
                                "uraian": row.text,
                            }
                            for report, row in realisasi.get(indicator.pk, [])
                        ],
                    }
                    for indicator in rhk.indicators.all()
                ],
            }
        )
    annual = _annual(skp)
    return {
        "tahun": skp.cycle.year,
        "periode_penilaian": {"mulai": skp.starts_on, "sampai": skp.last_day},
        "pendekatan": skp.get_pendekatan_display(),
        "status": skp.get_status_display(),
        "pegawai_yang_dinilai": _person(employee, jabatan=skp.employee_jabatan, unit=unit),
        "pejabat_penilai_kinerja": _person(
            skp.pejabat_penilai,
            name=skp.pejabat_penilai_name,
            jabatan=skp.pejabat_penilai_jabatan,
        ),
        "atasan_pejabat_penilai_kinerja": _person(
            skp.atasan_pejabat_penilai, name=skp.atasan_pejabat_penilai_name
        ),
        "hasil_kerja": {
            "utama": hasil[Rhk.Jenis.UTAMA],
            "tambahan": hasil[Rhk.Jenis.TAMBAHAN],
        },
        "perilaku_kerja": [
            {
                "nilai": labels.value.get(e.value_code, e.value_code),
                "ekspektasi_khusus_pimpinan": e.text,
            }
            for e in skp.expectations.all()
        ],
        "lampiran": {
            "dukungan_sumber_daya": _lines(skp.dukungan_sumber_daya),
            "skema_pertanggungjawaban": _lines(skp.skema_pertanggungjawaban),
            "konsekuensi": _lines(skp.konsekuensi),
        },
        "penilaian_periodik": [
            {
                "periode": str(report.period),
                "status": report.get_status_display(),
                **_ratings(report, labels),
            }
            for report in reports
        ],
        "penilaian_tahunan": _ratings(annual, labels) if annual else None,
    }


# --- XLSX: four sheets ------------------------------------------------------------------------


def workbook_sheets() -> dict[str, list[str]]:
    """Sheet title -> headers (Indonesian), in the order of the SKP form."""
    who = [_("Tahun"), _("NIP"), _("Nama")]
    return {
        _("Hasil kerja"): who
        + [
            _("Pangkat/Gol. Ruang"),
            _("Jabatan"),
            _("Unit kerja"),
            _("Pendekatan"),
            _("Status SKP"),
            _("Pejabat penilai kinerja"),
            _("NIP pejabat penilai"),
            _("Atasan pejabat penilai"),
            _("Hasil kerja"),
            _("No"),
            _("Rencana hasil kerja pimpinan yang diintervensi"),
            _("Rencana hasil kerja"),
            _("Perspektif"),
            _("Aspek"),
            _("Indikator kinerja individu"),
            _("Target"),
            _("Satuan"),
            _("Periode pelaporan"),
            _("Realisasi"),
            _("Uraian realisasi"),
        ],
        _("Perilaku kerja"): who + [_("Nilai BerAKHLAK"), _("Ekspektasi khusus pimpinan")],
        _("Lampiran"): who
        + [_("Dukungan sumber daya"), _("Skema pertanggungjawaban"), _("Konsekuensi")],
        _("Penilaian"): who
        + [
            _("Periode"),
            _("Status"),
            _("Rating hasil kerja"),
            _("Rating perilaku kerja"),
            _("Predikat"),
        ],
    }


def workbook_rows(skps: Iterable[Skp]) -> Iterator[tuple[int, list]]:
    """(sheet index in `workbook_sheets`, row) for every line of every SKP."""
    labels = Labels()
    kinds = {Rhk.Jenis.UTAMA: _("Utama"), Rhk.Jenis.TAMBAHAN: _("Tambahan")}
    for skp in skps:
        doc = skp_document(skp, labels)
        person, rater = doc["pegawai_yang_dinilai"], doc["pejabat_penilai_kinerja"] or {}
        who = [doc["tahun"], person["nip"], person["nama"]]
        head = who + [
            person["pangkat_golongan"],
            person["jabatan"],
            person["unit_kerja"],
            doc["pendekatan"],
            doc["status"],
            rater.get("nama", ""),
            rater.get("nip", ""),
            (doc["atasan_pejabat_penilai_kinerja"] or {}).get("nama", ""),
        ]
        for jenis in (Rhk.Jenis.UTAMA, Rhk.Jenis.TAMBAHAN):
            for rhk in doc["hasil_kerja"][str(jenis)]:
                rhk_cells = [
                    kinds[jenis],
                    rhk["no"],
                    rhk["rhk_pimpinan_yang_diintervensi"],
                    rhk["rencana_hasil_kerja"],
                    rhk["perspektif"],
                ]
                for ind in rhk["indikator"]:
                    cells = [ind["aspek"], ind["indikator_kinerja_individu"], ind["target"]]
                    cells.append(ind["satuan"])
                    for real in ind["realisasi"] or [{"periode": "", "nilai": "", "uraian": ""}]:
                        yield (
                            0,
                            head
                            + rhk_cells
                            + cells
                            + [
                                real["periode"],
                                real["nilai"],
                                real["uraian"],
                            ],
                        )
        for item in doc["perilaku_kerja"]:
            yield 1, who + [item["nilai"], item["ekspektasi_khusus_pimpinan"]]
        lampiran = doc["lampiran"]
        yield 2, who + ["\n".join(lampiran[k]) for k in lampiran]
        rated = [(r["periode"], r["status"], r) for r in doc["penilaian_periodik"]]
        if doc["penilaian_tahunan"]:
            rated.append(
                (_("Tahunan %(year)s") % {"year": doc["tahun"]}, "", doc["penilaian_tahunan"])
            )
        for period, status, r in rated:
            yield (
                3,
                who
                + [
                    period,
                    status,
                    r["rating_hasil_kerja"],
                    r["rating_perilaku_kerja"],
                    r["predikat"],
                ],
            )


def json_chunks(about: dict, skps: Iterable[Skp], labels: Labels) -> Iterator[str]:
    """`{"ekspor": about, "skp": [document, ...]}` one SKP at a time (a streamed response)."""
    yield '{"ekspor": ' + json.dumps(about, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield ', "skp": ['
    for index, skp in enumerate(skps):
        document = json.dumps(skp_document(skp, labels), cls=DjangoJSONEncoder, ensure_ascii=False)
        yield ("," if index else "") + document
    yield "]}"
