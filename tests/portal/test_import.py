import io
from http import HTTPStatus
from pathlib import Path

import openpyxl
import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from portal.models import ADMIN_BKPSDM, User
from portal.services import import_employees, read_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "contoh-data-pegawai.csv"
HEADER = (
    "nip,nama_lengkap,email,jabatan,jenis_jabatan,pangkat_golongan,status,kode_unit,nip_atasan\n"
)


def csv_rows(text: str) -> list[dict]:
    return read_register((HEADER + text).encode(), "register.csv")


def test_sample_file_imports_with_units_and_atasan():
    call_command("import_employees", str(SAMPLE))
    staff = User.objects.get(nip="199105202015031001")
    assert staff.org_unit.name == "Dinas Perhubungan"
    assert staff.atasan.nip == "198204172006042002"
    assert staff.atasan.atasan.full_name == "Dr. Agus Salim, M.Si."
    assert User.objects.get(nip="199808082023012001").status_kepegawaian == "PPPK"
    assert not staff.has_usable_password()


def test_dry_run_writes_nothing():
    out = io.StringIO()
    call_command("import_employees", str(SAMPLE), "--dry-run", stdout=out)
    assert "4 pegawai akan dibuat" in out.getvalue()
    assert not User.objects.filter(nip="199105202015031001").exists()


def test_reimport_updates_by_nip():
    call_command("import_employees", str(SAMPLE))
    changed = SAMPLE.read_text().replace("Deden Kurniawan, S.T.", "Deden Kurniawan, S.T., M.T.")
    result = import_employees(rows=read_register(changed.encode(), "x.csv"))
    assert result.ok
    assert len(result.updated) == 4 and result.created == []
    assert User.objects.get(nip="199105202015031001").full_name == "Deden Kurniawan, S.T., M.T."


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_saved():
    rows = csv_rows(
        "198609262015051001,Asep,asep@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,\n"
        "12345,Budi,budi@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,\n"
        "198609262015051002,,bukan-email,Staf,jabatan-aneh,,PNS,unit-tidak-ada,\n"
        "198609262015051003,Cici,cici@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,999999999999999999\n"
        "198609262015051001,Dodi,asep@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,\n"
    )
    result = import_employees(rows=rows)
    assert not result.ok
    by_line = {}
    for error in result.errors:
        by_line.setdefault(error.line, []).append(error.message)
    assert 2 not in by_line
    assert any("18 angka" in m for m in by_line[3])
    assert any("Nama lengkap" in m for m in by_line[4])
    assert any("bukan-email" in m for m in by_line[4])
    assert any("jabatan-aneh" in m for m in by_line[4])
    assert any("unit-tidak-ada" in m for m in by_line[4])
    assert any("atasan" in m for m in by_line[5])
    assert any("baris 2" in m for m in by_line[6])
    assert str(result.errors[0]).startswith("Baris ")
    assert User.objects.filter(email__endswith="@contoh.go.id").count() == 0


def test_atasan_cycle_in_file_is_refused():
    rows = csv_rows(
        "198609262015051001,Asep,asep@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,198609262015051002\n"
        "198609262015051002,Budi,budi@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,198609262015051001\n"
    )
    result = import_employees(rows=rows)
    assert any("lingkaran" in e.message for e in result.errors)
    assert not User.objects.filter(nip="198609262015051001").exists()


def test_cycle_through_existing_employees_is_refused():
    boss = UserFactory(full_name="Asep Kepala")
    rows = csv_rows(
        f"{boss.nip},{boss.full_name},{boss.email},Kepala,jpt,,PNS,dinas-perhubungan,198609262015051009\n"
        f"198609262015051009,Eko,eko@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,{boss.nip}\n"
    )
    result = import_employees(rows=rows)
    assert any("lingkaran" in e.message for e in result.errors)


def test_xlsx_import(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "198609262015051001",
            "Asep Sunandar",
            "asep@contoh.go.id",
            "Staf",
            "Pelaksana",
            "",
            "PNS",
            "Dinas Perhubungan",
            "",
        ]
    )
    path = tmp_path / "register.xlsx"
    book.save(path)
    call_command("import_employees", str(path))
    assert User.objects.get(nip="198609262015051001").org_unit.name == "Dinas Perhubungan"


def test_command_reports_errors_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "1,X,x@contoh.go.id,,,,PNS,dinas-perhubungan,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="tidak ada data yang disimpan"):
        call_command("import_employees", str(path), stderr=err)
    assert "Baris 2" in err.getvalue()


def test_missing_columns_are_named():
    with pytest.raises(Exception, match="kode_unit"):
        read_register(b"nip,nama_lengkap,email\n1,2,3\n", "x.csv")


@pytest.fixture
def bkpsdm_client(client):
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    return client


def test_admin_bkpsdm_imports_through_the_editor_workspace(bkpsdm_client):
    with SAMPLE.open("rb") as handle:
        response = bkpsdm_client.post("/admin/pegawai/impor/", {"file": handle})
    assert response.status_code == HTTPStatus.OK
    assert "4 pegawai akan dibuat" in response.content.decode()
    assert not User.objects.filter(nip="199105202015031001").exists()
    response = bkpsdm_client.post("/admin/pegawai/impor/", {"action": "confirm"}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert User.objects.filter(nip="199105202015031001").exists()


def test_admin_import_shows_row_errors(bkpsdm_client, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "1,X,x@contoh.go.id,,,,PNS,dinas-perhubungan,\n")
    with path.open("rb") as handle:
        response = bkpsdm_client.post("/admin/pegawai/impor/", {"file": handle})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Baris 2" in response.content.decode()


def test_import_page_is_for_admin_bkpsdm_only(client_for, employee):
    Authenticator.objects.create(user=employee, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = client_for(employee).get("/admin/pegawai/impor/")
    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}


def test_admin_bkpsdm_edits_an_employee_in_the_users_area(bkpsdm_client, employee):
    response = bkpsdm_client.get(f"/admin/users/edit/{employee.pk}/")
    assert response.status_code == HTTPStatus.OK
    assert "Atasan langsung" in response.content.decode()


def test_the_import_records_who_changed_whose_unit_and_atasan(bkpsdm_client, tmp_path):
    """Issue 14 "Also": the register import writes the same audit record as the user forms."""
    from portal.models import AuditEntry, OrgUnit

    call_command("import_employees", str(SAMPLE))
    staff = User.objects.get(nip="199105202015031001")
    old_atasan = staff.atasan
    new_unit = OrgUnit.objects.exclude(pk=staff.org_unit_id).filter(parent__isnull=True).first()
    AuditEntry.objects.all().delete()
    text = SAMPLE.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    moved = [
        line.replace(staff.org_unit.code, new_unit.code).replace(old_atasan.nip, "")
        if line.startswith(staff.nip)
        else line
        for line in lines
    ]
    path = tmp_path / "pindah.csv"
    path.write_text("\n".join(moved) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        assert bkpsdm_client.post("/admin/pegawai/impor/", {"file": handle}).status_code == 200
    assert not AuditEntry.objects.exists()  # the dry run records nothing
    bkpsdm_client.post("/admin/pegawai/impor/", {"action": "confirm"})
    entries = {e.kind: e for e in AuditEntry.objects.filter(subject=staff)}
    assert set(entries) == {AuditEntry.Kind.ORG_UNIT, AuditEntry.Kind.ATASAN}
    assert entries[AuditEntry.Kind.ATASAN].old.endswith(f"({old_atasan.nip})")
    assert entries[AuditEntry.Kind.ATASAN].new == "—"
    assert entries[AuditEntry.Kind.ORG_UNIT].new == new_unit.name
    admin = User.objects.get(pk=bkpsdm_client.session["_auth_user_id"])
    assert {e.actor for e in entries.values()} == {admin}
    assert {e.source for e in entries.values()} == {AuditEntry.Source.IMPORT}
    assert AuditEntry.objects.count() == 2  # unchanged rows write nothing


def test_an_address_held_in_allauths_table_is_refused_by_the_import(employee):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=employee, email="kedua@contoh.bandung.go.id", verified=True)
    rows = csv_rows(
        "197503142000031001,Baru,kedua@contoh.bandung.go.id,,,,PNS,dinas-perhubungan,\n"
    )
    result = import_employees(rows=rows)
    assert not result.ok
    assert employee.nip in str(result.errors[0])
