"""Register endpoints: units by code, employees by NIP, the end of an assignment.

Writes go through the register services (`portal.services.import_employees`, the engine the
file import uses, and `portal.staffing.services.end_assignment`), so the API validates as the
import does and says so in the same Indonesian words; every write is all-or-nothing (the sync:
unless `sebagian`), and one sync writes at a time (the engine's lock: 409 meanwhile).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import StrictBool

from portal.models import OrgUnit, User
from portal.services import import_employees
from portal.staffing import Assignment
from portal.staffing.services import end_assignment
from portal.validators import normalize_nip, validate_nip

from . import services
from .auth import ApiRouter, Caller
from .errors import ApiError, ErrorItem, Text
from .models import Scope

router = ApiRouter(tags=["register"])

SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class UnitIn(Schema):
    nama: Text = Field(min_length=1, max_length=200)
    nama_singkat: Text = Field("", max_length=60)
    jenis: OrgUnit.Kind
    kode_induk: Text = Field("", max_length=120)


class UnitOut(Schema):
    kode: str
    nama: str
    nama_singkat: str
    jenis: str
    kode_induk: str | None


class UnitSaved(UnitOut):
    dibuat: bool


class UnitPage(Schema):
    jumlah: int
    unit: list[UnitOut]


class EmployeeIn(Schema):
    nama_lengkap: Text = Field(max_length=150)
    email: Text = Field(max_length=254)
    kode_unit: Text = Field(max_length=200)
    jabatan: Text = Field("", max_length=200)
    jenis_jabatan: Text = Field("", max_length=40)
    pangkat_golongan: Text = Field("", max_length=80)
    status: Text = Field("", max_length=10)
    nip_atasan: Text = Field("", max_length=40)


class EmployeeRow(EmployeeIn):
    nip: Text = Field(max_length=40)


class EmployeeOut(Schema):
    nip: str
    nama_lengkap: str
    email: str
    jabatan: str
    jenis_jabatan: str
    pangkat_golongan: str
    status: str
    kode_unit: str | None
    nip_atasan: str | None
    aktif: bool


class EmployeePage(Schema):
    jumlah: int
    pegawai: list[EmployeeOut]


class SyncIn(Schema):
    pegawai: list[EmployeeRow] = Field(max_length=50_000)
    dry_run: StrictBool = False
    akhiri_yang_tidak_ada: StrictBool = Field(
        False, description="Akhiri penempatan pegawai aktif yang tidak ada dalam daftar."
    )
    sebagian: StrictBool = Field(
        False, description="Simpan baris yang baik dan laporkan baris yang buruk."
    )


class SyncOut(Schema):
    detail: str = Field(description="Ringkasan hasil sinkron dalam bahasa portal.")
    dry_run: bool
    dibuat: list[str]
    diubah: list[str]
    diakhiri: list[str]
    errors: list[ErrorItem] = []


class EndIn(Schema):
    tanggal_akhir: dt.date
    alasan: Text = Field(min_length=1, max_length=500)


class EndOut(Schema):
    nip: str
    kode_unit: str
    mulai: dt.date
    tanggal_akhir: dt.date


def unit_out(unit: OrgUnit, parent_codes: dict[int, str]) -> dict:
    return {
        "kode": unit.code,
        "nama": unit.name,
        "nama_singkat": unit.short_name,
        "jenis": unit.kind,
        "kode_induk": parent_codes.get(unit.parent_id),
    }


def employee_out(user: User) -> dict:
    return {
        "nip": user.nip,
        "nama_lengkap": user.full_name,
        "email": user.email,
        "jabatan": user.jabatan,
        "jenis_jabatan": user.jenis_jabatan,
        "pangkat_golongan": user.pangkat_golongan,
        "status": user.status_kepegawaian,
        "kode_unit": user.org_unit.code if user.org_unit_id else None,
        "nip_atasan": user.atasan.nip if user.atasan_id else None,
        "aktif": user.is_active,
    }


def checked_nip(nip: str) -> str:
    """The NIP of a path, refused in the import's words when it cannot be one."""
    nip = normalize_nip(nip)
    try:
        validate_nip(nip)
    except ValidationError as exc:
        raise ApiError(
            422,
            _("NIP %(nip)s tidak sah.") % {"nip": nip},
            [{"nip": nip, "message": message} for message in exc.messages],
        ) from exc
    return nip


def person_for(caller: Caller, nip: str) -> User:
    """The employee with this NIP whom the caller may read (404 otherwise: no probing)."""
    nip = checked_nip(nip)
    person = User.objects.select_related("org_unit", "atasan").filter(nip=nip).first()
    if person is None or not caller.may_read_person(person):
        raise ApiError(404, _("Pegawai dengan NIP %(nip)s tidak ditemukan.") % {"nip": nip})
    return person


def unit_for(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first() if SLUG.match(code) else None
    if unit is None:
        raise ApiError(404, _("Unit dengan kode '%(code)s' tidak ditemukan.") % {"code": code})
    return unit


@router.reads("/units", UnitPage, Scope.READ_REGISTER, "Unit")
def list_units(request: HttpRequest):
    """All units of the register with their parent's code."""
    units = list(OrgUnit.objects.order_by("code"))
    codes = {unit.pk: unit.code for unit in units}
    return {"jumlah": len(units), "unit": [unit_out(unit, codes) for unit in units]}


@router.writes("PUT", "/units/{code}", UnitSaved, Scope.WRITE_REGISTER, "Simpan unit")
def put_unit(request: HttpRequest, code: Text, payload: UnitIn):
    """Create or update the unit with this code (idempotent)."""
    unit, created = services.upsert_unit(
        actor=request.auth.user,
        code=code,
        name=payload.nama,
        short_name=payload.nama_singkat,
        kind=payload.jenis,
        parent_code=payload.kode_induk,
    )
    codes = {unit.parent_id: unit.parent.code} if unit.parent_id else {}
    return {**unit_out(unit, codes), "dibuat": created}


@router.reads("/employees", EmployeePage, Scope.READ_REGISTER, "Pegawai")
def list_employees(
    request: HttpRequest,
    kode_unit: Text | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    """Employees (a token or Admin BKPSDM: everyone; anybody else: themselves)."""
    caller: Caller = request.auth
    people = User.objects.select_related("org_unit", "atasan").order_by("nip")
    if not caller.sees_everyone:
        people = people.filter(pk=caller.user.pk)
    if kode_unit:
        people = people.filter(org_unit=unit_for(kode_unit))
    page = list(people[offset : offset + limit])
    return {"jumlah": people.count(), "pegawai": [employee_out(p) for p in page]}


@router.reads("/employees/{nip}", EmployeeOut, Scope.READ_REGISTER, "Satu pegawai")
def get_employee(request: HttpRequest, nip: str):
    return employee_out(person_for(request.auth, nip))


def run_sync(caller: Caller, rows: list[dict], *, dry_run: bool, end_missing: bool, partial: bool):
    """`import_employees` (the engine the file import uses, with its one sync lock: a second
    sync while one writes is refused with 409), its row errors in the API's shape, its writes
    audited once more as an API call. The engine's lock is held until this transaction ends,
    so the audit of the call is inside it too."""
    services.check_register_writer(caller.user)
    if end_missing and not rows:
        raise ApiError(
            422, _("Daftar pegawai kosong: penempatan semua pegawai tidak diakhiri sekaligus.")
        )
    with transaction.atomic():
        result = import_employees(
            rows=rows,
            dry_run=dry_run,
            actor=caller.user,
            end_missing=end_missing,
            partial=partial,
            first_line=1,
        )
        if result.busy:
            raise ApiError(409, result.errors[0].message)
        errors = [
            {
                "line": error.line or None,
                "nip": rows[error.line - 1].get("nip") if error.line else None,
                "message": error.message,
            }
            for error in result.errors
        ]
        if errors and not partial:
            raise ApiError(422, _("Register ditolak; tidak ada yang disimpan."), errors)
        ended = [person.nip for person in result.ended]
        if not dry_run:
            services.record_sync(
                actor=caller.user,
                token=caller.token,
                summary=_("%(c)s baru, %(u)s diubah, %(e)s diakhiri")
                % {"c": len(result.created), "u": len(result.updated), "e": len(ended)},
            )
    return {
        "detail": sync_detail(result, partial=partial),
        "dry_run": dry_run,
        "dibuat": result.created,
        "diubah": result.updated,
        "diakhiri": ended,
        "errors": errors,
    }


def sync_detail(result, *, partial: bool) -> str:
    """One Indonesian sentence on what the sync did (or, in a dry run, would do)."""
    counts = {"c": len(result.created), "u": len(result.updated), "e": len(result.ended)}
    if result.dry_run:
        text = _(
            "Uji coba: %(c)s pegawai akan dibuat, %(u)s diubah, %(e)s penempatan diakhiri; "
            "tidak ada yang disimpan."
        )
    else:
        text = _(
            "Register disimpan: %(c)s pegawai dibuat, %(u)s diubah, %(e)s penempatan diakhiri."
        )
    text = text % counts
    if partial and result.errors:
        text += " " + _(
            "Impor sebagian: %(bad)s baris salah dilewati (lihat errors); perbaiki lalu kirim "
            "lagi baris itu saja."
        ) % {"bad": len(result.bad_lines) or len(result.errors)}
    return text


@router.writes("POST", "/sync", SyncOut, Scope.WRITE_REGISTER, "Sinkron register", 409)
def sync_employees(request: HttpRequest, payload: SyncIn):
    """Create or update many employees by NIP (idempotent), atasan resolved within the list;
    all or nothing unless `sebagian`. Same rules and messages as the file import."""
    rows = [row.dict() for row in payload.pegawai]
    return run_sync(
        request.auth,
        rows,
        dry_run=payload.dry_run,
        end_missing=payload.akhiri_yang_tidak_ada,
        partial=payload.sebagian,
    )


@router.writes("PUT", "/employees/{nip}", EmployeeOut, Scope.WRITE_REGISTER, "Simpan pegawai", 409)
def put_employee(request: HttpRequest, nip: str, payload: EmployeeIn):
    """Create or update one employee by NIP (idempotent)."""
    nip = checked_nip(nip)
    run_sync(
        request.auth,
        [{**payload.dict(), "nip": nip}],
        dry_run=False,
        end_missing=False,
        partial=False,
    )
    return employee_out(User.objects.select_related("org_unit", "atasan").get(nip=nip))


@router.writes("POST", "/employees/{nip}/end", EndOut, Scope.WRITE_REGISTER, "Akhiri penempatan")
def end_employee_assignment(request: HttpRequest, nip: str, payload: EndIn):
    """End the assignment in effect on `tanggal_akhir` (retired, moved out). Again with the
    same date: the same answer, nothing changes."""
    caller: Caller = request.auth
    person = person_for(caller, nip)
    services.check_register_writer(caller.user)
    day = payload.tanggal_akhir
    with transaction.atomic():
        row = Assignment.objects.filter(person=person, end=day).select_related("org_unit").first()
        if row is None:
            row = end_assignment(
                actor=caller.user,
                person=person,
                end=day,
                reason=payload.alasan,
                source=Assignment.Source.API,
            )
            services.record_sync(
                actor=caller.user,
                token=caller.token,
                summary=_("Penempatan %(nip)s diakhiri %(day)s") % {"nip": person.nip, "day": day},
            )
    return {
        "nip": person.nip,
        "kode_unit": row.org_unit.code,
        "mulai": row.start,
        "tanggal_akhir": row.end,
    }
