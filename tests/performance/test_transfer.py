"""A transfer on day D (issue 17): the old post's SKP closes on D - 1, the new post's SKP is
drafted from D; reports of the periods before D stay with the old pejabat penilai, who finishes
what was submitted and nothing after; the new one reads the earlier SKP and rates the new."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance import rights, services
from performance.models import Notification, PeriodicReport, ReportingPeriod, Skp, SkpEvent
from portal.staffing import Assignment

from .factories import make_report
from .transfer_world import approved, build_world, day, freeze

pytestmark = pytest.mark.django_db

RATING = {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "konfirmasi": "ya"}


@pytest.fixture
def world(monkeypatch, commits):
    freeze(monkeypatch, day(1, 10))
    with commits():
        built = build_world()
    built.old_skp = approved(built.staff, built.cycle)
    return built


def quarter(world, number: int) -> ReportingPeriod:
    return world.cycle.periods.get(number=number)


def transfer(world, monkeypatch, commits, *, on, recorded_on=None):
    freeze(monkeypatch, recorded_on or on)
    with commits():
        world.move_staff(on)
    world.old_skp.refresh_from_db()
    return Skp.objects.get(employee=world.staff, starts_on=on)


def test_the_old_skp_closes_the_day_before_and_a_draft_opens_for_the_new_post(
    world, monkeypatch, commits
):
    new = transfer(world, monkeypatch, commits, on=day(5, 1))
    old = world.old_skp
    assert old.ends_on == day(4, 30) and old.status == "disetujui"
    assert new.status == "draf" and new.ends_on is None
    assert new.assignment.org_unit == world.bidang_b
    assert new.pejabat_penilai == world.kabid_b
    assert new.atasan_pejabat_penilai == world.kadis_b
    assert new.employee_unit == str(world.bidang_b)
    closed = SkpEvent.objects.get(skp=old, note__startswith="Ditutup karena mutasi")
    assert str(world.bidang_a) in closed.note and str(world.bidang_b) in closed.note
    assert SkpEvent.objects.filter(skp=new, note__startswith="Dibuat karena mutasi").exists()
    told = Notification.objects.filter(url=new.get_absolute_url())
    assert {n.recipient for n in told} == {world.staff, world.kabid_b}
    # the SKP in force follows the dates
    assert Skp.objects.in_force(day(4, 30)).get(employee=world.staff) == old
    assert Skp.objects.in_force(day(5, 1)).get(employee=world.staff) == new
    assert Skp.objects.current_for(world.staff, cycle=world.cycle, day=day(3, 1)) == old
    # running the transfer again changes nothing
    services.transfer.transfer_skps(person=world.staff, old=None, new=new.assignment, day=day(5, 1))
    assert Skp.objects.filter(employee=world.staff).count() == 2
    assert SkpEvent.objects.filter(note__contains="mutasi/promosi").count() == 2


def test_reports_before_and_after_the_transfer_go_to_their_own_raters(
    world, monkeypatch, commits, client_for
):
    q1, q2 = quarter(world, 1), quarter(world, 2)
    freeze(monkeypatch, day(4, 3))
    before = make_report(world.old_skp, q1, status="diajukan")  # submitted before D
    new = transfer(world, monkeypatch, commits, on=day(5, 1), recorded_on=day(5, 2))

    # The period the transfer falls in is reported on the new post's SKP ("akhir").
    with pytest.raises(ValidationError, match="SKP yang berlaku pada 30-06-2026"):
        services.start_report(actor=world.staff, skp=world.old_skp, period=q2)
    approved(world.staff, world.cycle, skp=new)
    after = make_report(new, q2, status="diajukan")

    # The old pejabat penilai finishes what was submitted before D, and nothing after it.
    assert rights.capacity(world.kabid_a, world.old_skp) == "atasan"
    assert rights.capacity(world.kabid_a, new) is None
    with pytest.raises(PermissionDenied):
        services.rate_report(
            actor=world.kabid_a, report=after, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    with pytest.raises(PermissionDenied):
        services.rate_report(
            actor=world.kabid_b, report=before, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    services.rate_report(
        actor=world.kabid_a, report=before, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    services.rate_report(
        actor=world.kabid_b, report=after, hasil_kerja="di_atas", perilaku_kerja="sesuai"
    )
    assert PeriodicReport.objects.get(pk=before.pk).rated_by == world.kabid_a
    assert PeriodicReport.objects.get(pk=after.pk).rated_by == world.kabid_b
    assert list(PeriodicReport.objects.waiting_for(world.kabid_a)) == []

    # Over HTTP: the old rater cannot open the new post's report; the new one reads the old.
    old_rater = client_for(world.kabid_a)
    assert old_rater.get(after.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert old_rater.get(new.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert old_rater.get(before.get_absolute_url()).status_code == HTTPStatus.OK


def test_the_new_rater_reads_the_earlier_skp_of_the_year_and_cannot_act_on_it(
    world, monkeypatch, commits, client_for
):
    q1 = quarter(world, 1)
    freeze(monkeypatch, day(4, 3))
    waiting = make_report(world.old_skp, q1, status="diajukan")
    transfer(world, monkeypatch, commits, on=day(5, 1))
    client = client_for(world.kabid_b)
    page = client.get(world.old_skp.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert 'data-testid="hanya-baca"' in body and "Setujui SKP" not in body
    report = client.get(waiting.get_absolute_url())
    assert report.status_code == HTTPStatus.OK
    assert 'data-testid="hanya-baca"' in report.content.decode()
    assert 'id="penilaian"' not in report.content.decode()
    refused = client.post(reverse("performance:report_rate", args=[waiting.pk]), RATING)
    assert refused.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    waiting.refresh_from_db()
    assert waiting.status == "diajukan"
    assert world.old_skp in Skp.objects.visible_to(world.kabid_b)
    assert world.old_skp not in Skp.objects.rated_by(world.kabid_b)
    # The old rater's own list still has it; the new rater's team page marks it.
    assert list(PeriodicReport.objects.waiting_for(world.kabid_a)) == [waiting]
    team = client.get(reverse("performance:team"), {"periode": q1.pk}).content.decode()
    assert f'data-testid="skp-sebelumnya-{world.staff.pk}"' in team


def test_a_report_submitted_before_the_transfer_stays_on_the_old_skp(world, monkeypatch, commits):
    q2 = quarter(world, 2)
    freeze(monkeypatch, day(4, 20))
    early = make_report(world.old_skp, q2, status="diajukan")  # Q2's, sent before D
    new = transfer(world, monkeypatch, commits, on=day(5, 1))
    approved(world.staff, world.cycle, skp=new)
    assert rights.capacity(world.kabid_a, world.old_skp) == "atasan"
    with pytest.raises(ValidationError, match="sudah diajukan pada SKP jabatan sebelumnya"):
        services.start_report(actor=world.staff, skp=new, period=q2)
    services.rate_report(
        actor=world.kabid_a, report=early, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )


def test_the_period_rule_awal_keeps_the_period_of_the_transfer_on_the_old_skp(
    world, monkeypatch, commits, settings
):
    settings.PERFORMANCE_TRANSFER_PERIOD_RULE = "awal"
    q2, q3 = quarter(world, 2), quarter(world, 3)
    new = transfer(world, monkeypatch, commits, on=day(5, 1))
    approved(world.staff, world.cycle, skp=new)
    assert world.old_skp.takes_period(q2) and not new.takes_period(q2)
    assert new.takes_period(q3)
    report = services.start_report(actor=world.staff, skp=world.old_skp, period=q2)
    assert report.skp == world.old_skp
    assert list(Skp.objects.taking(q2).filter(employee=world.staff)) == [world.old_skp]


def test_a_transfer_dated_inside_a_closed_period_is_refused(world, monkeypatch, commits):
    q1 = quarter(world, 1)
    ReportingPeriod.objects.filter(pk=q1.pk).update(is_closed=True)
    freeze(monkeypatch, day(4, 15))
    rows = Assignment.objects.count()
    with pytest.raises(ValidationError) as refused, commits():
        world.move_staff(day(3, 15))
    message = " ".join(refused.value.messages)
    assert "Triwulan I 2026" in message and "sudah ditutup" in message
    assert "Pakai tanggal sesudah 31-03-2026" in message
    assert Assignment.objects.count() == rows
    world.old_skp.refresh_from_db()
    assert world.old_skp.ends_on is None
    with commits():
        world.move_staff(day(4, 1))  # after the closed period: fine
    world.old_skp.refresh_from_db()
    assert world.old_skp.ends_on == day(3, 31)


def test_a_late_recorded_transfer_before_reports_submitted_since_is_refused(
    world, monkeypatch, commits
):
    freeze(monkeypatch, day(7, 2))
    make_report(world.old_skp, quarter(world, 2), status="diajukan")
    freeze(monkeypatch, day(7, 20))
    with pytest.raises(ValidationError, match="sesudah tanggal mutasi/promosi 01-05-2026"):
        world.move_staff(day(5, 1))
    assert not Skp.objects.filter(employee=world.staff, ends_on__isnull=False).exists()


def test_the_end_of_a_post_closes_the_skp_without_a_new_one(world, monkeypatch, commits):
    from portal.staffing.services import end_assignment

    freeze(monkeypatch, day(6, 1))
    with commits():
        end_assignment(actor=None, person=world.staff, end=day(5, 31), reason="Pensiun")
    world.old_skp.refresh_from_db()
    assert world.old_skp.ends_on == day(5, 31)
    assert Skp.objects.filter(employee=world.staff).count() == 1
    assert rights.capacity(world.kabid_a, world.old_skp) == "atasan"  # finishes the SKP


def test_a_same_day_correction_rerecords_the_rating_chain(world, monkeypatch, commits):
    new = transfer(world, monkeypatch, commits, on=day(5, 1))
    with commits():
        world.move_staff(day(5, 1), jabatan="Analis Data")  # the SK said otherwise
    new.refresh_from_db()
    assert new.employee_jabatan == "Analis Data"
    assert Skp.objects.filter(employee=world.staff).count() == 2
    with commits():
        from tests.performance.transfer_world import post

        post(world.staff, world.bidang_b, world.kadis_b, start=day(5, 1))
    new.refresh_from_db()
    assert new.pejabat_penilai == world.kadis_b and new.penilai_is_current
    assert SkpEvent.objects.filter(skp=new, note__startswith="Penempatan dikoreksi").count() == 2
