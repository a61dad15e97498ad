"""SKP and performance endpoints, shaped as e-Kinerja's SKP document (domain REFERENCE 2.2):
header (pegawai, pejabat penilai, atasan pejabat penilai, periode), hasil kerja utama/tambahan
(RHK pimpinan yang diintervensi, RHK, aspek, indikator, target), perilaku kerja (BerAKHLAK with
ekspektasi khusus pimpinan), lampiran; then the realisasi and ratings of each period, the annual
rating and the unit's capaian kinerja organisasi. Field names are part of the contract.

A list costs the same number of queries for one SKP or a thousand (prefetching).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema

from performance.models import (
    Cycle,
    ExpectationKhusus,
    PeriodicReport,
    Realisasi,
    Rhk,
    Skp,
    UnitEvaluation,
)
from performance.models.common import today, value_choices
from portal.models import OrgUnit, User

from .auth import ApiRouter, Caller
from .errors import ApiError
from .models import Scope
from .register import checked_nip, unit_for

router = ApiRouter(tags=["performance"])


class Person(Schema):
    nip: str | None
    nama: str
    jabatan: str = ""
    pangkat_golongan: str = ""
    unit_kerja: str = ""


class Indikator(Schema):
    id: int
    aspek: str
    indikator: str
    target: float
    satuan: str


class RhkAtasan(Schema):
    id: int
    rhk: str


class RhkOut(Schema):
    id: int
    rhk: str
    rhk_atasan: RhkAtasan | None
    perspektif: str
    indikator: list[Indikator]


class HasilKerja(Schema):
    utama: list[RhkOut]
    tambahan: list[RhkOut]


class Perilaku(Schema):
    kode: str
    nilai: str
    ekspektasi_khusus: str


class Lampiran(Schema):
    dukungan_sumber_daya: list[str]
    skema_pertanggungjawaban: list[str]
    konsekuensi: list[str]


class Periode(Schema):
    jenis: str
    nomor: int
    label: str
    mulai: dt.date
    selesai: dt.date


class RealisasiOut(Schema):
    indikator_id: int
    nilai: float | None
    uraian: str
    capaian_persen: float | None


class LaporanPeriodik(Schema):
    periode: Periode
    status: str
    tepat_waktu: bool | None
    rating_hasil_kerja: str
    rating_perilaku_kerja: str
    predikat: str
    realisasi: list[RealisasiOut]


class PenilaianTahunan(Schema):
    rating_hasil_kerja: str
    rating_perilaku_kerja: str
    predikat: str


class SkpDocument(Schema):
    id: int
    tahun: int
    pendekatan: str
    status: str
    berlaku_mulai: dt.date
    berlaku_sampai: dt.date
    pegawai: Person
    pejabat_penilai: Person | None
    atasan_pejabat_penilai: Person | None
    hasil_kerja: HasilKerja
    perilaku_kerja: list[Perilaku]
    lampiran: Lampiran
    laporan_periodik: list[LaporanPeriodik]
    penilaian_tahunan: PenilaianTahunan | None
    capaian_kinerja_organisasi: str | None


class SkpList(Schema):
    tahun: int
    jumlah: int
    skp: list[SkpDocument]


def skp_queryset():
    """SKPs with everything the document shows, in a fixed number of queries."""
    return (
        Skp.objects.select_related(
            "employee__org_unit",
            "cycle",
            "pejabat_penilai",
            "atasan_pejabat_penilai",
            "annual_rating",
            "assignment__org_unit",
        )
        .prefetch_related(
            Prefetch(
                "rhks",
                Rhk.objects.select_related("parent_rhk")
                .prefetch_related("indicators")
                .order_by("-jenis", "order", "pk"),
            ),
            Prefetch("expectations", ExpectationKhusus.objects.all()),
            Prefetch(
                "reports",
                PeriodicReport.objects.select_related("period").order_by("period__start", "pk"),
            ),
            Prefetch("reports__realisasi", Realisasi.objects.select_related("indicator")),
        )
        .order_by("employee__nip", "starts_on")
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _capaian(realisasi: Realisasi) -> float | None:
    target = realisasi.indicator.target
    if realisasi.value is None or not target:
        return None
    return round(float(realisasi.value / target * 100), 2)


def _rhk(rhk: Rhk) -> dict:
    parent = rhk.parent_rhk
    return {
        "id": rhk.pk,
        "rhk": rhk.text,
        "rhk_atasan": {"id": parent.pk, "rhk": parent.text} if parent else None,
        "perspektif": rhk.perspektif,
        "indikator": [
            {
                "id": ind.pk,
                "aspek": ind.aspek,
                "indikator": ind.text,
                "target": float(ind.target),
                "satuan": ind.unit,
            }
            for ind in rhk.indicators.all()
        ],
    }


def skp_document(skp: Skp, capaian: dict[int, str], opd_of: dict[int, int]) -> dict:
    employee = skp.employee
    rhks = list(skp.rhks.all())
    expectations = {e.value_code: e.text for e in skp.expectations.all()}
    rating = getattr(skp, "annual_rating", None)
    unit = skp.assignment.org_unit if skp.assignment_id else employee.org_unit
    penilai = atasan = None
    if skp.pejabat_penilai_id or skp.pejabat_penilai_name:
        penilai = {
            "nip": skp.pejabat_penilai.nip if skp.pejabat_penilai_id else None,
            "nama": skp.pejabat_penilai_name or skp.pejabat_penilai.full_name,
            "jabatan": skp.pejabat_penilai_jabatan,
        }
    if skp.atasan_pejabat_penilai_id or skp.atasan_pejabat_penilai_name:
        atasan = {
            "nip": skp.atasan_pejabat_penilai.nip if skp.atasan_pejabat_penilai_id else None,
            "nama": skp.atasan_pejabat_penilai_name or skp.atasan_pejabat_penilai.full_name,
        }
    return {
        "id": skp.pk,
        "tahun": skp.cycle.year,
        "pendekatan": skp.pendekatan,
        "status": skp.status,
        "berlaku_mulai": skp.starts_on,
        "berlaku_sampai": skp.last_day,
        "pegawai": {
            "nip": employee.nip,
            "nama": employee.full_name,
            "jabatan": skp.employee_jabatan or employee.jabatan,
            "pangkat_golongan": employee.pangkat_golongan,
            "unit_kerja": skp.employee_unit or (unit.name if unit else ""),
        },
        "pejabat_penilai": penilai,
        "atasan_pejabat_penilai": atasan,
        "hasil_kerja": {
            "utama": [_rhk(r) for r in rhks if r.jenis == Rhk.Jenis.UTAMA],
            "tambahan": [_rhk(r) for r in rhks if r.jenis == Rhk.Jenis.TAMBAHAN],
        },
        "perilaku_kerja": [
            {"kode": code, "nilai": name, "ekspektasi_khusus": expectations.get(code, "")}
            for code, name in value_choices()
        ],
        "lampiran": {
            "dukungan_sumber_daya": Skp.lines(skp.dukungan_sumber_daya),
            "skema_pertanggungjawaban": Skp.lines(skp.skema_pertanggungjawaban),
            "konsekuensi": Skp.lines(skp.konsekuensi),
        },
        "laporan_periodik": [
            {
                "periode": {
                    "jenis": report.period.kind,
                    "nomor": report.period.number,
                    "label": report.period.label,
                    "mulai": report.period.start,
                    "selesai": report.period.end,
                },
                "status": report.status,
                "tepat_waktu": report.on_time,
                "rating_hasil_kerja": report.rating_hasil_kerja,
                "rating_perilaku_kerja": report.rating_perilaku_kerja,
                "predikat": report.predikat,
                "realisasi": [
                    {
                        "indikator_id": item.indicator_id,
                        "nilai": _number(item.value),
                        "uraian": item.text,
                        "capaian_persen": _capaian(item),
                    }
                    for item in report.realisasi.all()
                ],
            }
            for report in skp.reports.all()
        ],
        "penilaian_tahunan": {
            "rating_hasil_kerja": rating.rating_hasil_kerja,
            "rating_perilaku_kerja": rating.rating_perilaku_kerja,
            "predikat": rating.predikat,
        }
        if rating
        else None,
        "capaian_kinerja_organisasi": capaian.get(opd_of.get(unit.pk)) if unit else None,
    }


def documents(skps: list[Skp], cycle: Cycle) -> list[dict]:
    """The documents of these SKPs of one cycle, with each OPD's capaian (two more queries)."""
    tree = OrgUnit.objects.unit_map()
    opd_of = {}
    for skp in skps:
        unit = skp.assignment.org_unit if skp.assignment_id else skp.employee.org_unit
        if unit is not None:
            opd_of[unit.pk] = tree.opd_of(unit.pk)
    capaian = dict(
        UnitEvaluation.objects.filter(cycle=cycle, org_unit_id__in=set(opd_of.values()))
        .exclude(capaian="")
        .values_list("org_unit_id", "capaian")
    )
    return [skp_document(skp, capaian, opd_of) for skp in skps]


def cycle_for(year: int | None) -> Cycle:
    year = year or today().year
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise ApiError(404, _("Siklus kinerja tahun %(year)s tidak ada.") % {"year": year})
    return cycle


def visible(caller: Caller):
    skps = skp_queryset()
    return skps if caller.sees_everyone else skps.visible_to(caller.user)


YEAR = Query(None, ge=2022, le=2100, description="Tahun siklus (kosong: tahun ini)")


@router.reads("/employees/{nip}/skp", SkpList, Scope.READ_PERFORMANCE, "SKP seorang pegawai")
def employee_skp(request: HttpRequest, nip: str, tahun: int | None = YEAR):
    """The employee's SKPs of the year (more than one after a transfer), each with its
    realisasi, ratings and predikat per period and the annual rating."""
    caller: Caller = request.auth
    cycle = cycle_for(tahun)
    nip = checked_nip(nip)
    person = User.objects.filter(nip=nip).first()
    skps = list(visible(caller).filter(employee=person, cycle=cycle)) if person else []
    if person is None or not (skps or caller.may_read_person(person)):
        raise ApiError(404, _("Pegawai dengan NIP %(nip)s tidak ditemukan.") % {"nip": nip})
    return {"tahun": cycle.year, "jumlah": len(skps), "skp": documents(skps, cycle)}


@router.reads("/units/{code}/skp", SkpList, Scope.READ_PERFORMANCE, "SKP satu perangkat daerah")
def unit_skp(
    request: HttpRequest,
    code: str,
    tahun: int | None = YEAR,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    """The SKPs of everyone in the unit and the units below it (an OPD: the whole OPD)."""
    caller: Caller = request.auth
    cycle = cycle_for(tahun)
    unit = unit_for(code)
    skps = visible(caller).filter(cycle=cycle).in_units(OrgUnit.objects.descendant_ids(unit))
    page = list(skps[offset : offset + limit])
    return {"tahun": cycle.year, "jumlah": skps.count(), "skp": documents(page, cycle)}
