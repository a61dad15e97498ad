"""Every path that changes a person's unit, atasan or jabatan writes an assignment: the register
import, the Wagtail user form, the demo; the daily job and the data migration."""

import configparser
import datetime as dt
import importlib
import io
from http import HTTPStatus
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.core.management import call_command

from performance.models import Cycle
from portal import authority
from portal.demo import OPD, demo_user, seed_people
from portal.models import ADMIN_BKPSDM, AuditEntry, User
from portal.people import save_person
from portal.services import import_employees, read_register
from portal.staffing import Assignment
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, post, today

pytestmark = pytest.mark.django_db

HEADER = (
    "nip,nama_lengkap,email,jabatan,jenis_jabatan,pangkat_golongan,status,kode_unit,nip_atasan\n"
)
KADIS = "197503142000031001,Kadis,kadis@contoh.go.id,Kepala Dinas,jpt,,PNS,dinas-perhubungan,\n"
KABID = (
    "198204172006042002,Kabid,kabid@contoh.go.id,Kepala Bidang,administrator,,PNS,"
    "dinas-perhubungan,197503142000031001\n"
)


def staff_row(atasan_nip: str, jabatan: str = "Analis") -> str:
    return (
        f"199105202015031001,Staf,staf@contoh.go.id,{jabatan},fungsional,,PNS,"
        f"dinas-perhubungan,{atasan_nip}\n"
    )


def run_import(text: str, **kwargs):
    result = import_employees(rows=read_register((HEADER + text).encode(), "r.csv"), **kwargs)
    assert result.ok, [str(e) for e in result.errors]
    return result


def test_the_import_creates_one_open_assignment_per_person():
    run_import(KADIS + KABID + staff_row("198204172006042002"))
    staff = User.objects.get(nip="199105202015031001")
    kadis = User.objects.get(nip="197503142000031001")
    (row,) = staff.assignments.all()
    assert (row.source, row.start, row.end, row.atasan.nip) == (
        Assignment.Source.IMPOR,
        today(),
        None,
        "198204172006042002",
    )
    assert (row.jabatan, row.jenis_jabatan, row.is_head) == ("Analis", "fungsional", False)
    assert kadis.assignments.get().is_head  # a JPT at the top of an OPD, as before
    assert (staff.org_unit.code, staff.jabatan) == ("dinas-perhubungan", "Analis")
    kinds = set(AuditEntry.objects.filter(subject=staff).values_list("kind", "source"))
    assert {
        (AuditEntry.Kind.CREATED, "import"),
        (AuditEntry.Kind.ATASAN, "import"),
        (AuditEntry.Kind.JABATAN, "import"),
    } <= kinds


def test_a_second_import_with_a_changed_atasan_ends_the_old_assignment_and_starts_a_new_one():
    run_import(KADIS + KABID + staff_row("198204172006042002"))
    Assignment.objects.update(start=today() - dt.timedelta(days=40))  # imported last month
    run_import(KADIS + KABID + staff_row("197503142000031001"))
    staff = User.objects.get(nip="199105202015031001")
    old, new = staff.assignments.order_by("start")
    assert (old.end, old.atasan.nip) == (today() - DAY, "198204172006042002")
    assert (new.start, new.end, new.atasan.nip) == (today(), None, "197503142000031001")
    assert staff.atasan.nip == "197503142000031001"
    assert User.objects.get(nip="197503142000031001").assignments.count() == 1  # unchanged


def test_a_re_import_on_the_same_day_corrects_todays_assignment():
    run_import(KADIS + KABID + staff_row("198204172006042002"))
    run_import(KADIS + KABID + staff_row("197503142000031001", jabatan="Analis Muda"))
    row = User.objects.get(nip="199105202015031001").assignments.get()
    assert (row.atasan.nip, row.jabatan) == ("197503142000031001", "Analis Muda")


def test_an_atasan_swap_in_one_file_is_applied_top_down():
    run_import(KADIS + KABID + staff_row("198204172006042002"))
    Assignment.objects.update(start=today() - dt.timedelta(days=40))
    swapped = (
        "197503142000031001,Kadis,kadis@contoh.go.id,Kepala Dinas,jpt,,PNS,dinas-perhubungan,"
        "198204172006042002\n"
        "198204172006042002,Kabid,kabid@contoh.go.id,Kepala Dinas,jpt,,PNS,dinas-perhubungan,\n"
    )
    run_import(swapped + staff_row("198204172006042002"))
    kadis = User.objects.get(nip="197503142000031001")
    assert authority.atasan_on(kadis).nip == "198204172006042002"


def test_the_import_dry_run_writes_no_assignment():
    run_import(KADIS, dry_run=True)
    assert not Assignment.objects.exists()


def test_an_import_refused_by_the_staffing_service_reports_the_line_and_saves_nothing():
    run_import(KADIS + KABID + staff_row("198204172006042002"))
    staff = User.objects.get(nip="199105202015031001")
    post(staff, staff.org_unit, None, start=today() + dt.timedelta(days=10))
    before = Assignment.objects.count()
    result = import_employees(
        rows=read_register(
            (HEADER + KADIS + KABID + staff_row("197503142000031001")).encode(), "r.csv"
        )
    )
    assert [(e.line, "sudah memiliki penempatan mulai" in e.message) for e in result.errors] == [
        (4, True)
    ]
    assert Assignment.objects.count() == before


def test_save_person_writes_an_assignment_with_source_admin(org_unit, supervisor):
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    person = UserFactory(org_unit=org_unit, atasan=supervisor)
    other_unit = OrgUnitFactory()
    person.org_unit, person.atasan, person.jabatan = other_unit, None, "Analis Kebijakan"
    person.full_name = "Nama Baru"
    save_person(actor=admin, user=person)
    old, new = Assignment.objects.filter(person=person).order_by("start")
    assert (old.org_unit, old.atasan, old.end) == (org_unit, supervisor, today() - DAY)
    assert (new.org_unit, new.atasan, new.source, new.recorded_by) == (
        other_unit,
        None,
        Assignment.Source.ADMIN,
        admin,
    )
    person.refresh_from_db()
    assert (person.org_unit, person.full_name, person.jabatan) == (
        other_unit,
        "Nama Baru",
        "Analis Kebijakan",
    )
    entries = AuditEntry.objects.filter(subject=person)
    assert sorted(entries.values_list("kind", flat=True)) == sorted(
        [AuditEntry.Kind.ORG_UNIT, AuditEntry.Kind.ATASAN, AuditEntry.Kind.JABATAN]
    )
    assert {e.source for e in entries} == {AuditEntry.Source.FORM}


def test_save_person_without_a_post_change_writes_no_assignment(employee):
    employee.full_name = "Nama Lain"
    save_person(actor=None, user=employee)
    assert not Assignment.objects.exists()


def test_a_new_person_from_the_form_starts_their_assignment_today(org_unit, supervisor):
    person = User(
        nip="198609262015051001",
        email="baru@contoh.go.id",
        full_name="Baru",
        org_unit=org_unit,
        atasan=supervisor,
        jabatan="Analis",
    )
    save_person(actor=None, user=person)
    row = person.assignments.get()
    assert (row.start, row.org_unit, row.atasan, row.source) == (
        today(),
        org_unit,
        supervisor,
        Assignment.Source.ADMIN,
    )


def test_the_user_form_shows_a_refusal_of_the_staffing_service(client, employee, org_unit):
    admin = UserFactory(groups=[ADMIN_BKPSDM], org_unit=org_unit)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    boss = UserFactory(org_unit=org_unit)
    post(employee, org_unit, None, start=today() + dt.timedelta(days=5))
    client.force_login(admin)
    data = {
        "nip": employee.nip,
        "email": employee.email,
        "full_name": employee.full_name,
        "jabatan": "Analis",
        "jenis_jabatan": "pelaksana",
        "status_kepegawaian": "PNS",
        "org_unit": org_unit.pk,
        "atasan": boss.pk,
        "is_active": "on",
    }
    response = client.post(f"/admin/users/edit/{employee.pk}/", data)
    assert response.status_code == HTTPStatus.OK
    assert "sudah memiliki penempatan mulai" in response.content.decode()
    employee.refresh_from_db()
    assert employee.atasan != boss


def test_the_demo_people_hold_assignments_with_their_head_posts():
    seed_people()
    camat = demo_user("camat.coblong")
    row = camat.assignments.get()
    assert (row.source, row.is_head, row.start) == (
        Assignment.Source.DEMO,
        True,
        dt.date(today().year - 1, 1, 1),
    )
    assert authority.head_of(camat.org_unit) == camat
    assert camat.org_unit.code == OPD["coblong"]
    assert authority.atasan_on(demo_user("pegawai")) == demo_user("atasan")
    seed_people()  # again: nothing changes
    assert camat.assignments.count() == 1


def test_apply_assignments_refreshes_the_snapshots_of_the_day(employee, org_unit):
    other = OrgUnitFactory()
    post(employee, other, None, start=today())
    User.objects.filter(pk=employee.pk).update(org_unit=org_unit)  # as if written yesterday
    out = io.StringIO()
    call_command("apply_assignments", stdout=out)
    assert "1 orang" in out.getvalue()
    employee.refresh_from_db()
    assert employee.org_unit == other


def test_the_data_migration_gives_everyone_with_a_unit_one_open_assignment():
    migration = importlib.import_module("portal.migrations.0008_assignments_from_users")
    Cycle.objects.create(year=today().year - 1)
    opd = OrgUnitFactory()
    bidang = OrgUnitFactory(parent=opd)
    kadis = UserFactory(org_unit=opd, jenis_jabatan="jpt")
    kabid = UserFactory(org_unit=bidang, jenis_jabatan="jpt", atasan=kadis)
    loose = UserFactory(org_unit=None)
    migration.create_assignments(django_apps, None)
    migration.create_assignments(django_apps, None)  # idempotent
    rows = {a.person_id: a for a in Assignment.objects.all()}
    assert set(rows) == {kadis.pk, kabid.pk}
    assert loose.pk not in rows
    assert (rows[kadis.pk].is_head, rows[kabid.pk].is_head) == (True, False)
    assert rows[kabid.pk].atasan == kadis
    assert {(a.start, a.end, a.source) for a in rows.values()} == {
        (dt.date(today().year - 1, 1, 1), None, "migrasi")
    }


def test_the_daily_timer_runs_apply_assignments():
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    units = {}
    for name in ("portal-staffing.service", "portal-staffing.timer"):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string((deploy / name).read_text())
        units[name] = parser
    service = units["portal-staffing.service"]["Service"]
    assert service["Type"] == "oneshot" and service["User"] == "portal"
    assert " manage.py apply_assignments" in service["ExecStart"]
    assert units["portal-staffing.timer"]["Timer"]["Persistent"] == "true"


def test_emptying_the_unit_in_the_form_ends_the_assignment(employee, supervisor):
    assignment = post(employee, employee.org_unit, supervisor, start=today() - dt.timedelta(days=9))
    employee.org_unit = None
    save_person(actor=None, user=employee)
    assignment.refresh_from_db()
    assert assignment.end == today() - DAY
    employee.refresh_from_db()
    assert (employee.org_unit, employee.atasan) == (None, supervisor)
    kinds = set(AuditEntry.objects.filter(subject=employee).values_list("kind", flat=True))
    assert {AuditEntry.Kind.ASSIGNMENT_ENDED, AuditEntry.Kind.ORG_UNIT} <= kinds


def test_a_person_without_rows_and_without_a_unit_keeps_only_the_snapshot(supervisor):
    person = UserFactory(org_unit=None)
    person.atasan = supervisor
    save_person(actor=None, user=person)
    person.refresh_from_db()
    assert person.atasan == supervisor and not Assignment.objects.exists()
    entry = AuditEntry.objects.get(subject=person)
    assert (entry.kind, entry.old) == (AuditEntry.Kind.ATASAN, "—")
