from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.demo import seed_performance_demo
from performance.models import Cycle, PeriodicReport, Skp
from portal.demo import demo_user, seed_people
from tests.factories import UserFactory

from .factories import make_report, make_skp

pytestmark = pytest.mark.django_db


def _grow_team(supervisor, cycle, period, parent, n):
    for i in range(n):
        person = UserFactory(atasan=supervisor, org_unit=supervisor.org_unit)
        skp = make_skp(person, cycle, parent=parent)
        if i % 3 == 0:
            make_report(skp, period, status="diajukan")
        elif i % 3 == 1:
            make_report(skp, period, status="dinilai")


def _team_queries(client):
    client.get(reverse("performance:team"))  # steady state: site-wide caches filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("performance:team"))
    assert response.status_code == HTTPStatus.OK
    return len(ctx.captured_queries), response


def test_team_page_query_count_does_not_grow_tenfold(
    client_for, supervisor, cycle, period, supervisor_rhk
):
    client = client_for(supervisor)
    _grow_team(supervisor, cycle, period, supervisor_rhk, 2)
    small, response = _team_queries(client)
    assert response.content.decode().count('data-testid="anggota-') == 2
    _grow_team(supervisor, cycle, period, supervisor_rhk, 20)
    large, response = _team_queries(client)
    assert response.content.decode().count('data-testid="anggota-') == 22
    assert small == large


def test_team_page_highlights_overdue_and_waiting(client_for, supervisor, cycle, supervisor_rhk):
    q3 = cycle.periods.get(number=3)  # due date has passed
    late = UserFactory(atasan=supervisor, full_name="Ahmad Terlambat")
    make_skp(late, cycle, parent=supervisor_rhk)
    waiting = UserFactory(atasan=supervisor, full_name="Budi Menunggu")
    make_report(make_skp(waiting, cycle, parent=supervisor_rhk), q3, status="diajukan")
    body = (
        client_for(supervisor).get(reverse("performance:team"), {"periode": q3.pk}).content.decode()
    )
    late_row = body[body.index(f'data-testid="anggota-{late.pk}"') - 40 :]
    assert "row-overdue" in late_row[:60]
    assert "terlambat" in late_row[: late_row.index("</tr>")]
    waiting_row = body[body.index(f'data-testid="anggota-{waiting.pk}"') :]
    assert "Nilai" in waiting_row[: waiting_row.index("</tr>")]
    assert "1 laporan menunggu penilaian Anda" in body


def test_quick_navigation_between_team_reports(
    client_for, supervisor, cycle, period, supervisor_rhk
):
    reports = []
    for name in ("Ani", "Budi", "Cici"):
        person = UserFactory(atasan=supervisor, full_name=name)
        reports.append(
            make_report(make_skp(person, cycle, parent=supervisor_rhk), period, status="diajukan")
        )
    body = client_for(supervisor).get(reports[0].get_absolute_url()).content.decode()
    assert "Laporan 1 dari 3" in body
    assert reverse("performance:report_detail", args=[reports[1].pk]) in body


def test_my_workspace_shows_periods_chart_and_history(client_for, employee, employee_skp, cycle):
    make_report(employee_skp, cycle.periods.get(number=3), status="dinilai")
    body = client_for(employee).get(reverse("performance:home")).content.decode()
    assert "Triwulan IV" in body and "berjalan" in body
    assert 'id="kinerja-chart"' in body and "chart.umd.min.js" in body
    assert "Isi laporan" in body  # Q4 is open and has no report yet


def test_workspace_without_cycle_says_what_to_do(client_for, employee):
    body = client_for(employee).get(reverse("performance:home")).content.decode()
    assert "belum membuka siklus" in body


def test_beranda_card_and_menu(client_for, employee, supervisor, submitted_report):
    body = client_for(employee).get(reverse("portal:beranda")).content.decode()
    assert "Kinerja saya" in body and 'href="/kinerja/"' in body
    assert "menunggu penilaian pejabat penilai" in body
    body = client_for(supervisor).get(reverse("portal:beranda")).content.decode()
    assert "1 laporan bawahan menunggu penilaian Anda" in body


def test_cascade_matrix_shows_who_intervenes_which_rhk(
    client_for, supervisor, employee_skp, supervisor_rhk
):
    body = client_for(supervisor).get(reverse("performance:matrix")).content.decode()
    assert supervisor_rhk.text in body
    assert employee_skp.employee.full_name in body
    assert employee_skp.rhks.get().text in body


def test_seed_demo_is_idempotent_and_cascades():
    seed_people()
    seed_performance_demo()
    seed_performance_demo()
    cycle = Cycle.objects.current()
    skps = Skp.objects.filter(cycle=cycle)
    pegawai = skps.get(employee=demo_user("pegawai"))
    atasan = skps.get(employee=demo_user("atasan"))
    kadis = skps.get(employee=demo_user("kadis.kominfo"))
    assert skps.count() == 4
    assert all(r.parent_rhk.skp == atasan for r in pegawai.rhks.all())
    assert all(r.parent_rhk.skp == kadis for r in atasan.rhks.all())
    assert all(r.parent_rhk is None and r.perspektif for r in kadis.rhks.all())
    assert set(PeriodicReport.objects.values_list("status", flat=True)) == {"dinilai", "diajukan"}
    assert PeriodicReport.objects.waiting_for(demo_user("atasan")).count() == 1


def _count(client, url):
    client.get(url)  # steady state: site-wide caches filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(ctx.captured_queries)


def test_report_page_query_count_does_not_grow_with_feedback_and_evidence(
    client_for, employee, supervisor, submitted_report
):
    from performance.models import Evidence, FeedbackMessage

    def grow(n):
        rhk = submitted_report.skp.rhks.first()
        for i in range(n):
            FeedbackMessage.objects.create(
                report=submitted_report, rhk=rhk, author=supervisor, body=f"Pesan {i}"
            )
            FeedbackMessage.objects.create(
                report=submitted_report, value_code="adaptif", author=employee, body=f"Balas {i}"
            )
            Evidence.objects.create(
                report=submitted_report, url=f"https://a.id/{i}", uploaded_by=employee
            )

    client = client_for(supervisor)
    grow(2)
    small = _count(client, submitted_report.get_absolute_url())
    grow(20)
    assert _count(client, submitted_report.get_absolute_url()) == small


def test_my_workspace_query_count_does_not_grow_with_history(
    client_for, employee, employee_skp, cycle
):
    from performance.models import ReportEvent

    report = make_report(employee_skp, cycle.periods.get(number=3), status="dinilai")
    client = client_for(employee)

    def grow(n):
        for _ in range(n):
            ReportEvent.objects.create(
                report=report, actor=employee, from_status="draf", to_status="diajukan"
            )

    grow(3)
    small = _count(client, reverse("performance:home"))
    grow(30)
    assert _count(client, reverse("performance:home")) == small
