from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from leaderboard.models import PointEntry, Score
from performance import services
from performance.models import Indicator, PeriodicReport, Realisasi, ReportEvent, ReportingPeriod
from training.services import complete_lesson, complete_module

from .factories import make_report

pytestmark = pytest.mark.django_db


def _link(report, user):
    services.add_evidence_link(actor=user, report=report, url="https://contoh.go.id/bukti")


def _realisasi(report, value="5"):
    """Every indicator of the report with the same realisasi, parsed (as the report form gives)."""
    return dict.fromkeys(Indicator.objects.for_report(report), Decimal(value))


def test_realisasi_that_is_not_a_number_keeps_the_draft_intact(client_for, employee, report):
    indicator_ids = list(report.realisasi.values_list("indicator_id", flat=True))
    client = client_for(employee)
    response = client.post(
        reverse("performance:report_save", args=[report.pk]),
        {
            "narrative": "Narasi baru",
            f"realisasi_{indicator_ids[0]}": "7",
            f"realisasi_{indicator_ids[1]}": "tujuh",
        },
    )
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "harus berupa angka" in body
    assert 'value="tujuh"' in body and "Narasi baru" in body  # what was typed is kept
    report.refresh_from_db()
    assert report.narrative == ""
    assert set(report.realisasi.values_list("value", flat=True)) == {Decimal("3")}  # unchanged


def test_save_draft_and_submit_through_http(client_for, employee, supervisor, report):
    _link(report, employee)
    ids = list(report.realisasi.values_list("indicator_id", flat=True))
    response = client_for(employee).post(
        reverse("performance:report_save", args=[report.pk]),
        {
            "narrative": "Selesai",
            f"realisasi_{ids[0]}": "8,5",
            f"realisasi_{ids[1]}": "9",
            "ajukan": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.status == "diajukan" and report.on_time is True
    assert report.realisasi.get(indicator_id=ids[0]).value == Decimal("8.5")


def test_kualitatif_allows_text_realisasi(employee, report):
    report.skp.pendekatan = "kualitatif"
    report.skp.save()
    first, second = Indicator.objects.for_report(report)
    services.save_report(
        actor=employee,
        report=report,
        narrative="",
        realisasi={first: "Sangat memuaskan", second: Decimal("4")},
    )
    stored = Realisasi.objects.get(report=report, indicator=first)
    assert stored.value is None and stored.text == "Sangat memuaskan"
    assert Realisasi.objects.get(report=report, indicator=second).value == Decimal("4")


def test_submit_needs_every_realisasi_and_evidence(employee, employee_skp, period):
    report = make_report(employee_skp, period, filled=False)
    with pytest.raises(ValidationError, match="Belum diisi"):
        services.submit_report(actor=employee, report=report)
    services.save_report(
        actor=employee,
        report=report,
        narrative="",
        realisasi=_realisasi(report, "1"),
    )
    with pytest.raises(ValidationError, match="bukti dukung"):
        services.submit_report(actor=employee, report=report)
    _link(report, employee)
    assert services.submit_report(actor=employee, report=report).status == "diajukan"


def test_on_time_submission_awards_points_once(employee, report, settings):
    settings.PERFORMANCE_ON_TIME_POINTS = 7
    _link(report, employee)
    services.submit_report(actor=employee, report=report)
    supervisor = report.skp.pejabat_penilai
    services.return_report(actor=supervisor, report=report, note="Lengkapi")
    services.submit_report(actor=employee, report=report)
    entries = PointEntry.objects.filter(user=employee)
    assert [(e.points, e.reason, e.key) for e in entries] == [
        (7, "report_on_time", f"report:{report.pk}:on_time")
    ]
    assert Score.objects.get(user=employee, season="all").total == 7


def test_late_submission_records_late_and_awards_nothing(employee, employee_skp, cycle):
    q3 = cycle.periods.get(number=3)  # due 10 October, today is later
    report = make_report(employee_skp, q3)
    _link(report, employee)
    report = services.submit_report(actor=employee, report=report)
    assert report.on_time is False
    assert not PointEntry.objects.filter(user=employee).exists()


def test_report_after_the_period_is_closed_is_refused(client_for, employee, report):
    _link(report, employee)
    ReportingPeriod.objects.filter(pk=report.period_id).update(is_closed=True)
    response = client_for(employee).post(reverse("performance:report_submit", args=[report.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "sudah ditutup" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draf" and report.submitted_at is None
    assert report.evidence.count() == 1


def test_report_in_a_closed_cycle_is_refused(employee, report):
    _link(report, employee)
    report.period.cycle.status = "closed"
    report.period.cycle.save()
    with pytest.raises(ValidationError, match="ditutup"):
        services.submit_report(actor=employee, report=report)


def _complete(user, module):
    for lesson in module.lessons():
        complete_lesson(user=user, lesson=lesson)
    complete_module(user=user, module=module)


def test_training_gate_refuses_the_first_report(client_for, employee, report, mandatory_module):
    _link(report, employee)
    response = client_for(employee).post(reverse("performance:report_submit", args=[report.pk]))
    body = response.content.decode()
    assert "pelatihan wajib" in body
    assert 'href="/pelatihan/"' in body
    report.refresh_from_db()
    assert report.status == "draf"
    assert not PointEntry.objects.filter(reason=PointEntry.Reason.REPORT_ON_TIME).exists()


def test_training_gate_passed_allows_the_first_report(
    client_for, employee, report, mandatory_module
):
    _complete(employee, mandatory_module)
    _link(report, employee)
    client_for(employee).post(reverse("performance:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "diajukan"


def test_training_gate_is_only_for_the_first_report(
    employee, employee_skp, cycle, mandatory_module
):
    make_report(employee_skp, cycle.periods.get(number=2), status="dinilai")
    report = make_report(employee_skp, cycle.periods.get(number=4))
    _link(report, employee)
    assert services.submit_report(actor=employee, report=report).status == "diajukan"


def test_training_gate_counts_only_the_employees_own_reports(
    employee, supervisor, supervisor_skp, cycle, report, mandatory_module
):
    """A report someone else submitted (the supervisor's) does not open the gate."""
    make_report(supervisor_skp, cycle.periods.get(number=2), status="dinilai")
    _link(report, employee)
    with pytest.raises(ValidationError, match="pelatihan wajib"):
        services.submit_report(actor=employee, report=report)


def test_training_gate_switched_off(employee, report, mandatory_module, settings):
    settings.PERFORMANCE_TRAINING_GATE = False
    _link(report, employee)
    assert services.submit_report(actor=employee, report=report).status == "diajukan"


def test_rating_sets_predikat_and_locks(client_for, employee, supervisor, submitted_report):
    response = client_for(supervisor).post(
        reverse("performance:report_rate", args=[submitted_report.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas", "konfirmasi": "ya"},
    )
    assert response.status_code == HTTPStatus.FOUND
    submitted_report.refresh_from_db()
    assert submitted_report.status == "dinilai"
    assert submitted_report.predikat == "sangat_baik"
    assert submitted_report.rated_by == supervisor
    page = client_for(employee).get(submitted_report.get_absolute_url()).content.decode()
    assert "Sangat Baik" in page and "terkunci" in page


def test_second_rating_is_refused_with_a_clear_message(client_for, supervisor, submitted_report):
    services.rate_report(
        actor=supervisor, report=submitted_report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    response = client_for(supervisor).post(
        reverse("performance:report_rate", args=[submitted_report.pk]),
        {"hasil_kerja": "di_bawah", "perilaku_kerja": "di_bawah", "konfirmasi": "ya"},
    )
    assert "sudah dinilai" in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.predikat == "baik"


@pytest.mark.parametrize("who", ["employee", "kepala", "bkpsdm_admin"])
def test_rating_by_someone_who_is_not_the_pejabat_penilai(
    client_for, request, who, submitted_report
):
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("performance:report_rate", args=[submitted_report.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas", "konfirmasi": "ya"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Hanya pejabat penilai" in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.status == "diajukan" and submitted_report.predikat == ""


def test_rating_is_refused_for_a_draft(supervisor, report):
    with pytest.raises(ValidationError):
        services.rate_report(
            actor=supervisor, report=report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )


def test_rating_with_unknown_codes_is_refused(supervisor, submitted_report):
    with pytest.raises(ValidationError):
        services.rate_report(
            actor=supervisor,
            report=submitted_report,
            hasil_kerja="istimewa",
            perilaku_kerja="sesuai",
        )
    submitted_report.refresh_from_db()
    assert submitted_report.status == "diajukan"


def test_return_before_rating_then_resubmit(employee, supervisor, submitted_report):
    with pytest.raises(ValidationError):
        services.return_report(actor=supervisor, report=submitted_report, note="")
    report = services.return_report(actor=supervisor, report=submitted_report, note="Bukti kurang")
    assert report.status == "dikembalikan"
    services.save_report(
        actor=employee, report=report, narrative="Revisi", realisasi=_realisasi(report)
    )
    _link(report, employee)
    assert services.submit_report(actor=employee, report=report).status == "diajukan"


def test_nothing_changes_once_rated(employee, supervisor, kepala, submitted_report):
    services.rate_report(
        actor=supervisor, report=submitted_report, hasil_kerja="sesuai", perilaku_kerja="di_bawah"
    )
    report = PeriodicReport.objects.get(pk=submitted_report.pk)
    rhk = report.skp.rhks.first()
    for call in (
        lambda: services.save_report(actor=employee, report=report, narrative="x", realisasi={}),
        lambda: services.submit_report(actor=employee, report=report),
        lambda: services.add_evidence_link(actor=employee, report=report, url="https://a.id"),
        lambda: services.return_report(actor=supervisor, report=report, note="x"),
        lambda: services.rate_report(
            actor=supervisor, report=report, hasil_kerja="di_atas", perilaku_kerja="di_atas"
        ),
    ):
        with pytest.raises(ValidationError):
            call()
    # The dialogue is not part of the lock: it stays open until the period is closed
    # (tests/performance/test_report_dialogue.py).
    services.add_feedback(actor=supervisor, report=report, body="x", rhk=rhk)
    for actor in (kepala, employee):
        with pytest.raises(PermissionDenied):
            services.return_report(actor=actor, report=report, note="x")
    report.refresh_from_db()
    assert report.predikat == "kurang_misconduct"


def test_forbidden_report_transitions(employee, supervisor, report):
    with pytest.raises(ValidationError):
        services.return_report(actor=supervisor, report=report, note="x")  # draf
    _link(report, employee)
    services.submit_report(actor=employee, report=report)
    with pytest.raises(ValidationError):
        services.submit_report(actor=employee, report=report)  # already diajukan
    with pytest.raises(ValidationError):
        services.save_report(actor=employee, report=report, narrative="x", realisasi={})
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=supervisor, report=report)


def test_every_transition_is_recorded_and_the_employee_reads_it(
    client_for, employee, supervisor, report
):
    _link(report, employee)
    services.submit_report(actor=employee, report=report)
    services.return_report(actor=supervisor, report=report, note="Tambah bukti")
    services.submit_report(actor=employee, report=report)
    services.rate_report(
        actor=supervisor, report=report, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    assert list(
        ReportEvent.objects.filter(report=report).values_list("from_status", "to_status")
    ) == [
        ("draf", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "dinilai"),
    ]
    page = client_for(employee).get(reverse("performance:home")).content.decode()
    assert "Tambah bukti" in page
    detail = client_for(employee).get(report.get_absolute_url()).content.decode()
    assert detail.count("oleh") >= 4


def test_report_constraints_hold_in_the_database(employee_skp, period, supervisor):
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicReport.objects.create(skp=employee_skp, period=period, status="diajukan")
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicReport.objects.create(skp=employee_skp, period=period, status="dikembalikan")
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicReport.objects.create(skp=employee_skp, period=period, predikat="baik")


def test_start_report_requires_an_approved_skp(employee, cycle, period, supervisor_rhk):
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError, match="disetujui"):
        services.start_report(actor=employee, skp=skp, period=period)


def test_start_report_is_idempotent(client_for, employee, employee_skp, period):
    client = client_for(employee)
    url = reverse("performance:report_start", args=[employee_skp.pk, period.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.url == second.url
    assert PeriodicReport.objects.filter(skp=employee_skp).count() == 1
