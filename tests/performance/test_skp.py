from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from performance import services
from performance.models import Indicator, Rhk, Skp, SkpEvent
from performance.outbox import send_pending_emails
from tests.factories import UserFactory

from .factories import make_skp

pytestmark = pytest.mark.django_db


def test_create_skp_snapshots_the_rating_chain(cycle, employee, supervisor, kepala):
    skp = services.create_skp(employee=employee, cycle=cycle, pendekatan="kuantitatif")
    assert skp.pejabat_penilai == supervisor
    assert skp.pejabat_penilai_name == supervisor.full_name
    assert skp.atasan_pejabat_penilai == kepala
    # the snapshot does not move when the register changes
    employee.atasan = kepala
    employee.save()
    skp.refresh_from_db()
    assert skp.pejabat_penilai == supervisor


def test_second_skp_in_a_cycle_refused(cycle, employee):
    services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError, match="sudah ada"):
        services.create_skp(employee=employee, cycle=cycle)


def test_rhk_must_intervene_the_atasans_approved_rhk(cycle, employee, supervisor_rhk):
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError) as exc:
        services.add_rhk(actor=employee, skp=skp, jenis="utama", text="X", parent_rhk=None)
    assert "parent_rhk" in exc.value.error_dict
    rhk = services.add_rhk(
        actor=employee, skp=skp, jenis="utama", text="Modul aplikasi", parent_rhk=supervisor_rhk
    )
    assert rhk.parent_rhk == supervisor_rhk


def test_rhk_intervening_someone_elses_atasan_is_refused(cycle, employee, supervisor_rhk):
    other_boss = UserFactory()
    other_rhk = make_skp(other_boss, cycle).rhks.get()
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError, match="bukan milik atasan Anda"):
        services.add_rhk(actor=employee, skp=skp, jenis="utama", text="X", parent_rhk=other_rhk)
    assert not skp.rhks.exists()


def test_rhk_of_an_atasan_whose_skp_is_not_approved_is_refused(cycle, employee, supervisor, kepala):
    draft_rhk = make_skp(supervisor, cycle, status="draf").rhks.get()
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError, match="belum disetujui"):
        services.add_rhk(actor=employee, skp=skp, jenis="utama", text="X", parent_rhk=draft_rhk)


def test_top_of_tree_has_no_parent_and_jpt_needs_perspektif(cycle, kepala, supervisor_rhk):
    skp = services.create_skp(employee=kepala, cycle=Skp.objects.first().cycle)
    assert skp.pejabat_penilai is None
    with pytest.raises(ValidationError, match="puncak"):
        services.add_rhk(actor=kepala, skp=skp, jenis="utama", text="X", parent_rhk=supervisor_rhk)
    with pytest.raises(ValidationError, match="perspektif"):
        services.add_rhk(actor=kepala, skp=skp, jenis="utama", text="X", parent_rhk=None)
    rhk = services.add_rhk(
        actor=kepala, skp=skp, jenis="utama", text="X", parent_rhk=None, perspektif="anggaran"
    )
    assert rhk.get_perspektif_display() == "Anggaran"


def test_target_without_unit_refused_by_service_form_and_database(
    client_for, employee, cycle, supervisor_rhk
):
    skp = services.create_skp(employee=employee, cycle=cycle)
    rhk = services.add_rhk(
        actor=employee, skp=skp, jenis="utama", text="A", parent_rhk=supervisor_rhk
    )
    with pytest.raises(ValidationError) as exc:
        services.add_indicator(
            actor=employee, rhk=rhk, aspek="kuantitas", text="Dok", target=Decimal(5), unit=" "
        )
    assert "unit" in exc.value.error_dict
    response = client_for(employee).post(
        reverse("performance:indicator_add", args=[rhk.pk]),
        {"aspek": "kuantitas", "text": "Dokumen spesifikasi", "target": "5", "unit": ""},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Isi satuan target" in response.content.decode()
    assert 'value="Dokumen spesifikasi"' in response.content.decode()
    assert not Indicator.objects.filter(rhk=rhk).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(rhk=rhk, aspek="kuantitas", text="x", target=1, unit="")


def test_target_that_is_not_a_number_refused(client_for, employee, cycle, supervisor_rhk):
    skp = services.create_skp(employee=employee, cycle=cycle)
    rhk = services.add_rhk(
        actor=employee, skp=skp, jenis="utama", text="A", parent_rhk=supervisor_rhk
    )
    response = client_for(employee).post(
        reverse("performance:indicator_add", args=[rhk.pk]),
        {"aspek": "kuantitas", "text": "Dok", "target": "sepuluh", "unit": "dokumen"},
    )
    assert "Target harus berupa angka" in response.content.decode()
    assert not Indicator.objects.filter(rhk=rhk).exists()


def test_indicator_with_comma_decimal_is_accepted(client_for, employee, cycle, supervisor_rhk):
    skp = services.create_skp(employee=employee, cycle=cycle)
    rhk = services.add_rhk(
        actor=employee, skp=skp, jenis="utama", text="A", parent_rhk=supervisor_rhk
    )
    response = client_for(employee).post(
        reverse("performance:indicator_add", args=[rhk.pk]),
        {"aspek": "kualitas", "text": "Uptime", "target": "99,5", "unit": "persen"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Indicator.objects.get(rhk=rhk).target == Decimal("99.5")


def _ready_skp(employee, cycle, parent):
    skp = services.create_skp(employee=employee, cycle=cycle)
    rhk = services.add_rhk(actor=employee, skp=skp, jenis="utama", text="A", parent_rhk=parent)
    services.add_indicator(
        actor=employee, rhk=rhk, aspek="kuantitas", text="Dok", target=Decimal(4), unit="dok"
    )
    return skp


def test_skp_flow_draf_diajukan_dikembalikan_diajukan_disetujui(
    employee, supervisor, cycle, supervisor_rhk, django_capture_on_commit_callbacks, mailoutbox
):
    skp = _ready_skp(employee, cycle, supervisor_rhk)
    with django_capture_on_commit_callbacks(execute=True):
        skp = services.submit_skp(actor=employee, skp=skp)
    assert skp.status == "diajukan"
    assert mailoutbox == []  # left in the outbox
    assert send_pending_emails().sent == 1
    assert mailoutbox[-1].to == [supervisor.email]
    with pytest.raises(ValidationError, match="catatan"):
        services.return_skp(actor=supervisor, skp=skp, note="  ")
    skp = services.return_skp(actor=supervisor, skp=skp, note="Target terlalu rendah")
    assert skp.status == "dikembalikan" and skp.return_note == "Target terlalu rendah"
    skp = services.submit_skp(actor=employee, skp=skp)
    skp = services.approve_skp(actor=supervisor, skp=skp)
    assert skp.status == "disetujui" and skp.approved_at
    assert list(SkpEvent.objects.filter(skp=skp).values_list("from_status", "to_status")) == [
        ("draf", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "disetujui"),
    ]


def test_forbidden_skp_transitions(employee, supervisor, kepala, cycle, supervisor_rhk):
    skp = _ready_skp(employee, cycle, supervisor_rhk)
    with pytest.raises(ValidationError):
        services.approve_skp(actor=supervisor, skp=skp)  # draf cannot be approved
    with pytest.raises(ValidationError):
        services.return_skp(actor=supervisor, skp=skp, note="x")  # nor returned
    skp = services.submit_skp(actor=employee, skp=skp)
    with pytest.raises(ValidationError):
        services.submit_skp(actor=employee, skp=skp)  # twice
    with pytest.raises(PermissionDenied):
        services.approve_skp(actor=employee, skp=skp)  # not by the owner
    with pytest.raises(PermissionDenied):
        services.approve_skp(actor=kepala, skp=skp)  # nor by the atasan pejabat penilai
    with pytest.raises(ValidationError):
        services.add_rhk(
            actor=employee, skp=skp, jenis="utama", text="B", parent_rhk=supervisor_rhk
        )
    skp = services.approve_skp(actor=supervisor, skp=skp)
    for call in (
        lambda: services.approve_skp(actor=supervisor, skp=skp),
        lambda: services.return_skp(actor=supervisor, skp=skp, note="x"),
        lambda: services.submit_skp(actor=employee, skp=skp),
        lambda: services.delete_rhk(actor=employee, rhk=skp.rhks.get()),
    ):
        with pytest.raises(ValidationError):
            call()


def test_skp_without_rhk_or_indicator_cannot_be_submitted(employee, cycle, supervisor_rhk):
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(ValidationError, match="RHK utama"):
        services.submit_skp(actor=employee, skp=skp)
    services.add_rhk(actor=employee, skp=skp, jenis="utama", text="A", parent_rhk=supervisor_rhk)
    with pytest.raises(ValidationError, match="indikator"):
        services.submit_skp(actor=employee, skp=skp)


def test_expectation_is_written_by_the_pejabat_penilai_only(employee, supervisor, cycle):
    skp = services.create_skp(employee=employee, cycle=cycle)
    with pytest.raises(PermissionDenied):
        services.set_expectation(actor=employee, skp=skp, value_code="akuntabel", text="x")
    services.set_expectation(actor=supervisor, skp=skp, value_code="akuntabel", text="Jujur")
    services.set_expectation(actor=supervisor, skp=skp, value_code="akuntabel", text="Cermat")
    assert skp.expectations.get().text == "Cermat"
    with pytest.raises(ValidationError):
        services.set_expectation(actor=supervisor, skp=skp, value_code="xx", text="x")


def test_skp_constraints_hold_in_the_database(employee, cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        Skp.objects.create(employee=employee, cycle=cycle, status="disetujui")
    with pytest.raises(IntegrityError), transaction.atomic():
        Skp.objects.create(employee=employee, cycle=cycle, status="dikembalikan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Skp.objects.create(employee=employee, cycle=cycle, status="bebas")


def test_skp_pages_through_http(client_for, employee, supervisor, cycle, supervisor_rhk):
    client = client_for(employee)
    response = client.post(reverse("performance:skp_create"), {"pendekatan": "kuantitatif"})
    skp = Skp.objects.get(employee=employee)
    assert response.url == skp.get_absolute_url()
    response = client.post(
        reverse("performance:rhk_add", args=[skp.pk]),
        {"jenis": "utama", "text": "Modul", "parent_rhk": supervisor_rhk.pk},
    )
    assert response.status_code == HTTPStatus.FOUND
    rhk = Rhk.objects.get(skp=skp)
    client.post(
        reverse("performance:indicator_add", args=[rhk.pk]),
        {"aspek": "kuantitas", "text": "Modul diuji", "target": "12", "unit": "modul"},
    )
    client.post(
        reverse("performance:skp_details", args=[skp.pk]),
        {
            "pendekatan": "kuantitatif",
            "dukungan_sumber_daya": "Server\nLisensi",
            "skema_pertanggungjawaban": "Laporan",
            "konsekuensi": "Predikat",
        },
    )
    client.post(reverse("performance:skp_submit", args=[skp.pk]))
    skp.refresh_from_db()
    assert skp.status == "diajukan"
    assert Skp.lines(skp.dukungan_sumber_daya) == ["Server", "Lisensi"]
    client = client_for(supervisor)
    page = client.get(skp.get_absolute_url()).content.decode()
    assert "Setujui SKP" in page
    response = client.post(reverse("performance:skp_return", args=[skp.pk]), {"note": ""})
    assert "Tulis catatan" in response.content.decode()
    client.post(reverse("performance:skp_approve", args=[skp.pk]))
    skp.refresh_from_db()
    assert skp.status == "disetujui"


def test_rhk_form_refuses_a_parent_from_another_atasan(client_for, employee, cycle, supervisor_rhk):
    other_rhk = make_skp(UserFactory(), cycle).rhks.get()
    skp = services.create_skp(employee=employee, cycle=cycle)
    response = client_for(employee).post(
        reverse("performance:rhk_add", args=[skp.pk]),
        {"jenis": "utama", "text": "Teks saya", "parent_rhk": other_rhk.pk},
    )
    body = response.content.decode()
    assert "bukan milik atasan Anda" in body
    assert "Teks saya" in body
    assert not skp.rhks.exists()
