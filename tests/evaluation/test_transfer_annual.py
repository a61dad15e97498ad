"""The annual evaluation in a year that changed (issue 17): the annual rating after a transfer is
given on the last SKP by its pejabat penilai with the earlier SKP in view, and the kurva counts
the person once, in the OPD of the last post; an OPD whose head has no atasan in the portal
finalises; a Camat runs their kecamatan's evaluation, a JPT placed elsewhere does not."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance.models import AnnualRating, Cycle, Skp, UnitEvaluation
from performance.services import evaluation, external_rating
from portal.models import OrgUnit
from portal.staffing.services import designate_rater
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_cycle, make_report
from tests.performance.transfer_world import YEAR, approved, build_world, day, freeze, post

pytestmark = pytest.mark.django_db


def close(cycle: Cycle) -> None:
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    cycle.refresh_from_db()


@pytest.fixture
def year(monkeypatch, commits):
    """The world's year with a transfer on 1 May, its reports rated, the cycle closed, and the
    clock in January of the next year (when annual ratings are given)."""
    freeze(monkeypatch, day(1, 10))
    with commits():
        world = build_world()
    world.old_skp = approved(world.staff, world.cycle)
    periods = {p.number: p for p in world.cycle.periods.all()}
    freeze(monkeypatch, day(4, 3))
    world.q1 = make_report(world.old_skp, periods[1], status="dinilai")  # by Kabid Asal
    freeze(monkeypatch, day(5, 1))
    with commits():
        world.move_staff(day(5, 1))
    world.old_skp.refresh_from_db()
    world.new_skp = approved(world.staff, world.cycle, skp=Skp.objects.get(starts_on=day(5, 1)))
    world.q2 = make_report(world.new_skp, periods[2], status="dinilai")  # by Kabid Tujuan
    close(world.cycle)
    freeze(monkeypatch, day(1, 15, YEAR + 1))
    return world


def test_the_annual_rating_is_on_the_last_skp_by_its_pejabat_penilai(year, client_for):
    old, new = year.old_skp, year.new_skp
    with pytest.raises(PermissionDenied, match="ditutup karena mutasi/promosi"):
        evaluation.rate_annual(
            actor=year.kabid_a, skp=old, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    with pytest.raises(PermissionDenied):
        evaluation.rate_annual(
            actor=year.kabid_b, skp=old, hasil_kerja="sesuai", perilaku_kerja="sesuai"
        )
    assert not AnnualRating.objects.exists()
    # the new pejabat penilai rates on the rating page, the earlier SKP's periods in view
    client = client_for(year.kabid_b)
    page = client.get(reverse("performance:annual_detail", args=[new.pk])).content.decode()
    assert 'data-testid="skp-sebelumnya"' in page
    assert year.q1.get_predikat_display() in page and year.q1.rated_by.full_name in page
    assert reverse("performance:annual_rate", args=[new.pk]) in page
    response = client.post(
        reverse("performance:annual_rate", args=[new.pk]),
        {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "note": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AnnualRating.objects.get().skp == new
    # the old SKP's page says where the annual rating is, and offers no form
    old_page = client_for(year.kabid_a).get(reverse("performance:annual_detail", args=[old.pk]))
    body = old_page.content.decode()
    assert 'data-testid="skp-ditutup"' in body
    assert reverse("performance:annual_rate", args=[old.pk]) not in body
    to_rate = client_for(year.kabid_a).get(reverse("performance:annual_home"), {"tahun": YEAR})
    assert year.staff.full_name not in to_rate.content.decode()


def record_capaian(cycle, opd, admin=None):
    """The OPD's capaian, recorded by Admin BKPSDM for a leader outside the portal (the head
    never sets their own)."""
    evaluation.set_capaian(
        actor=admin or UserFactory(groups=["Admin BKPSDM"]),
        cycle=cycle,
        opd=opd,
        capaian="baik",
        penetap="Wali Kota Bandung",
        document_ref="Kep. 800/1",
    )


def test_the_kurva_counts_the_person_once_in_the_opd_of_the_last_post(year):
    cycle = year.cycle
    assert list(evaluation.unit_skps(cycle, year.dinas_b)) == [year.new_skp]
    assert list(evaluation.unit_skps(cycle, year.dinas_a)) == []
    evaluation.rate_annual(
        actor=year.kabid_b, skp=year.new_skp, hasil_kerja="di_atas", perilaku_kerja="di_atas"
    )
    assert evaluation.unit_counts(cycle, year.dinas_b) == {"sangat_baik": 1}
    assert evaluation.unit_counts(cycle, year.dinas_a) == {}
    # the old OPD finalises without waiting for him
    record_capaian(cycle, year.dinas_a)
    evaluation.finalise_unit(
        actor=year.kadis_a, cycle=cycle, opd=year.dinas_a, justification="Tanpa pegawai."
    )
    assert UnitEvaluation.objects.get(org_unit=year.dinas_a).is_final


def test_an_opd_with_a_top_level_head_finalises(year, client_for):
    """Kadis Tujuan has no atasan in the portal: the Wali Kota rates him; Admin BKPSDM records
    it with the document; then the Kadis finalises his OPD."""
    from allauth.mfa.models import Authenticator

    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    designate_rater(
        actor=admin,
        person=year.kadis_b,
        external_rater="Wali Kota Bandung",
        document_ref="Kep. Wali Kota 800/7",
        start=day(1, 1),
    )
    Cycle.objects.filter(pk=year.cycle.pk).update(status=Cycle.Status.OPEN)
    year.cycle.refresh_from_db()
    head_skp = approved(year.kadis_b, year.cycle)
    close(year.cycle)
    evaluation.rate_annual(
        actor=year.kabid_b, skp=year.new_skp, hasil_kerja="sesuai", perilaku_kerja="sesuai"
    )
    record_capaian(year.cycle, year.dinas_b, admin)
    with pytest.raises(ValidationError, match="belum diberi penilaian tahunan"):
        evaluation.finalise_unit(actor=year.kadis_b, cycle=year.cycle, opd=year.dinas_b)
    with pytest.raises(PermissionDenied):  # not without being Admin BKPSDM
        external_rating.rate_annual_on_behalf(
            actor=year.kabid_b,
            skp=head_skp,
            hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
            document_ref="x",
        )
    client = client_for(admin)
    url = reverse("performance:annual_detail", args=[head_skp.pk])
    assert 'data-testid="atas-nama"' in client.get(url).content.decode()
    rate = reverse("performance:annual_rate", args=[head_skp.pk])
    missing = client.post(rate, {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai"})
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert "Isi nomor atau nama dokumen" in missing.content.decode()
    done = client.post(
        rate,
        {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "document_ref": "Surat 800/9"},
    )
    assert done.status_code == HTTPStatus.FOUND
    rating = AnnualRating.objects.get(skp=head_skp)
    assert rating.rated_by == admin
    assert "atas nama Wali Kota Bandung" in rating.note and "Surat 800/9" in rating.note
    evaluation.finalise_unit(
        actor=year.kadis_b, cycle=year.cycle, opd=year.dinas_b, justification="Dua pegawai."
    )
    assert UnitEvaluation.objects.get(org_unit=year.dinas_b).is_final


def test_a_camat_runs_the_kecamatan_evaluation_and_a_jpt_elsewhere_does_not(
    monkeypatch, commits, client_for
):
    freeze(monkeypatch, day(1, 10))
    kecamatan = OrgUnitFactory(name="Kecamatan Uji", kind=OrgUnit.Kind.KECAMATAN)
    seksi = OrgUnitFactory(name="Seksi Uji", kind=OrgUnit.Kind.SEKSI, parent=kecamatan)
    camat, kasi, staf, jpt = (UserFactory(org_unit=None) for _ in range(4))
    other = OrgUnitFactory(name="Dinas Lain")
    with commits():
        post(camat, kecamatan, None, head=True, jenis="administrator", jabatan="Camat")
        post(kasi, seksi, camat, head=True, jenis="pengawas")
        post(staf, seksi, kasi)
        post(jpt, other, None, head=True, jenis="jpt")
    cycle = make_cycle(YEAR)
    skps = [approved(person, cycle) for person in (kasi, staf)]
    close(cycle)
    assert list(evaluation.managed_units(camat)) == [kecamatan]
    assert evaluation.can_manage_unit(camat, kecamatan)
    assert not evaluation.can_manage_unit(jpt, kecamatan)
    assert (
        client_for(jpt)
        .get(reverse("performance:unit_detail", args=[cycle.year, kecamatan.pk]))
        .status_code
        == HTTPStatus.NOT_FOUND
    )
    evaluation.rate_annual(actor=camat, skp=skps[0], hasil_kerja="sesuai", perilaku_kerja="sesuai")
    evaluation.rate_annual(actor=kasi, skp=skps[1], hasil_kerja="sesuai", perilaku_kerja="sesuai")
    record_capaian(cycle, kecamatan)
    with pytest.raises(PermissionDenied):
        evaluation.finalise_unit(actor=jpt, cycle=cycle, opd=kecamatan, justification="x")
    page = client_for(camat).get(
        reverse("performance:unit_detail", args=[cycle.year, kecamatan.pk])
    )
    assert page.status_code == HTTPStatus.OK
    evaluation.finalise_unit(actor=camat, cycle=cycle, opd=kecamatan, justification="Tim kecil.")
    assert UnitEvaluation.objects.get(org_unit=kecamatan).is_final
