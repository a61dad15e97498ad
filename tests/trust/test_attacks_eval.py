"""Attacks on the evaluation side, performed over HTTP as the role would (issue 14.8).

A former atasan keeps rating after the register moves the employee to another atasan: the
pejabat penilai recorded on the SKP lapses on every path that writes `User.atasan`, and Admin
BKPSDM re-points the open SKPs with a recorded event.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from performance.models import PeriodicReport, ReportEvent, SkpEvent
from portal.models import User
from tests.factories import UserFactory
from tests.performance.factories import current_period, make_cycle, make_report, make_skp

pytestmark = pytest.mark.django_db

RATING = {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "konfirmasi": "ya"}


def move_employee(employee, new_atasan, path):
    """Change the atasan the way each path does: one instance save (Wagtail user form, staff
    import) or a queryset update (bulk actions), which runs no model code at all."""
    if path == "save":
        employee.atasan = new_atasan
        employee.save()
    else:
        User.objects.filter(pk=employee.pk).update(atasan=new_atasan)


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def period(cycle):
    return current_period(cycle)


@pytest.fixture
def kepala(supervisor):
    head = UserFactory(org_unit=supervisor.org_unit, jabatan="Kepala Dinas", jenis_jabatan="jpt")
    supervisor.atasan = head
    supervisor.save()
    return head


@pytest.fixture
def bkpsdm_admin(db):
    from allauth.mfa.models import Authenticator

    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    return admin


@pytest.fixture
def moved(cycle, period, employee, supervisor, kepala):
    """The employee's submitted report, then a new atasan (another Kepala Bidang)."""
    skp = make_skp(employee, cycle)
    report = make_report(skp, period, status="diajukan")
    rated = make_report(skp, cycle.periods.exclude(pk=period.pk).first(), status="dinilai")
    new_atasan = UserFactory(
        org_unit=supervisor.org_unit, atasan=kepala, jabatan="Kepala Bidang Baru"
    )
    return skp, report, rated, new_atasan


@pytest.mark.parametrize("path", ["save", "update"])
def test_former_atasan_can_no_longer_rate_or_open_open_reports(
    moved, employee, supervisor, client_for, path
):
    skp, report, rated, new_atasan = moved
    move_employee(employee, new_atasan, path)
    client = client_for(supervisor)
    rate = client.post(reverse("performance:report_rate", args=[report.pk]), RATING)
    assert rate.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    report.refresh_from_db()
    assert report.status == PeriodicReport.Status.DIAJUKAN and report.rated_by is None
    assert client.get(report.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(skp.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    # what they rated themselves stays readable to them
    assert client.get(rated.get_absolute_url()).status_code == HTTPStatus.OK
    # the new atasan has no rights until Admin BKPSDM re-assigns
    assert client_for(new_atasan).get(report.get_absolute_url()).status_code == 404


def test_admin_reassigns_to_the_current_atasan_who_then_rates(
    moved, employee, supervisor, bkpsdm_admin, client_for
):
    skp, report, rated, new_atasan = moved
    move_employee(employee, new_atasan, "update")
    admin = client_for(bkpsdm_admin)
    listing = admin.get(reverse("performance:admin_penilai"))
    assert listing.status_code == HTTPStatus.OK
    assert employee.full_name in listing.content.decode()
    response = admin.post(reverse("performance:penilai_reassign", args=[employee.pk]), {})
    assert response.status_code == HTTPStatus.FOUND
    form_url = reverse("performance:penilai_reassign", args=[employee.pk])
    assert form_url in listing.content.decode()
    assert form_url not in admin.get(reverse("performance:admin_penilai")).content.decode()
    skp.refresh_from_db()
    assert skp.pejabat_penilai == new_atasan
    note = f"{supervisor.full_name} -> {new_atasan.full_name} oleh {bkpsdm_admin.full_name}"
    assert note in SkpEvent.objects.get(skp=skp).note
    assert note in ReportEvent.objects.get(report=report).note
    assert not ReportEvent.objects.filter(report=rated).exists()  # rated reports stay as they were

    client = client_for(new_atasan)
    assert client.get(report.get_absolute_url()).status_code == HTTPStatus.OK
    client.post(reverse("performance:report_rate", args=[report.pk]), RATING)
    report.refresh_from_db()
    assert report.status == PeriodicReport.Status.DINILAI and report.rated_by == new_atasan
    # the employee reads who changed the rater in the report's history
    history = client_for(employee).get(report.get_absolute_url()).content.decode()
    assert new_atasan.full_name in history


def test_admin_reassigns_to_a_chosen_rater_by_nip(
    moved, employee, supervisor, bkpsdm_admin, client_for
):
    skp, report, _rated, new_atasan = moved
    move_employee(employee, new_atasan, "save")
    chosen = UserFactory(jabatan="Sekretaris")
    response = client_for(bkpsdm_admin).post(
        reverse("performance:penilai_reassign", args=[employee.pk]),
        {f"u{employee.pk}-penilai_nip": chosen.nip},
    )
    assert response.status_code == HTTPStatus.FOUND
    client = client_for(chosen)
    client.post(reverse("performance:report_rate", args=[report.pk]), RATING)
    report.refresh_from_db()
    assert report.rated_by == chosen


def test_reassign_refuses_unknown_nip_and_non_admins(
    moved, employee, supervisor, bkpsdm_admin, client_for
):
    skp, _report, _rated, new_atasan = moved
    move_employee(employee, new_atasan, "save")
    url = reverse("performance:penilai_reassign", args=[employee.pk])
    bad = client_for(bkpsdm_admin).post(url, {f"u{employee.pk}-penilai_nip": "199001012020011999"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "Tidak ada pegawai dengan NIP" in bad.content.decode()
    assert "199001012020011999" in bad.content.decode()  # what was typed stays
    for person in (supervisor, new_atasan, employee):
        assert client_for(person).post(url, {}).status_code == HTTPStatus.FORBIDDEN
    skp.refresh_from_db()
    assert skp.pejabat_penilai == supervisor


def test_staff_import_moving_the_atasan_cuts_the_former_one_off(client_for, db):
    """The staff register import is one more path that writes User.atasan."""
    from django.core.management import call_command

    from portal.services import import_employees, read_register
    from tests.portal.test_import import SAMPLE

    call_command("import_employees", str(SAMPLE))
    deden = User.objects.get(nip="199105202015031001")
    yuli, agus = deden.atasan, User.objects.get(nip="197503142000031001")
    cycle = make_cycle()
    report = make_report(make_skp(deden, cycle), current_period(cycle), status="diajukan")
    url = reverse("performance:report_rate", args=[report.pk])
    moved = SAMPLE.read_text().replace(
        "Ahli Pertama,fungsional,Penata Muda Tk. I (III/b),PNS,dinas-perhubungan,198204172006042002",
        "Ahli Pertama,fungsional,Penata Muda Tk. I (III/b),PNS,dinas-perhubungan,197503142000031001",
    )
    assert import_employees(rows=read_register(moved.encode(), "x.csv")).ok
    deden.refresh_from_db()
    assert deden.atasan == agus
    response = client_for(yuli).post(url, RATING)
    assert response.status_code == HTTPStatus.NOT_FOUND
    report.refresh_from_db()
    assert report.status == PeriodicReport.Status.DIAJUKAN
