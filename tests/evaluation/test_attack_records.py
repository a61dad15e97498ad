"""Issue 17 attacked (records): an Admin BKPSDM who is also an employee may not correct,
re-point, reopen or approve their own SKP or rating, name themselves pejabat penilai of someone,
put a bawahan above their own atasan, or set the capaian of their own OPD."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance.models import Skp
from performance.services import approval, corrections, evaluation
from performance.services.penilai import reassign_penilai
from portal.models import ADMIN_BKPSDM
from tests.factories import UserFactory
from tests.performance.factories import make_skp

from .test_corrections import DOCUMENTED, everything, open_cycle, rate

pytestmark = pytest.mark.django_db


def make_admin(user):
    user.groups.add(Group.objects.get_or_create(name=ADMIN_BKPSDM)[0])
    Authenticator.objects.create(user=user, type="totp", data={"secret": "x"})
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def insider(unit):
    """The first staff member of the unit is Admin BKPSDM too."""
    return make_admin(unit.staff[0])


def test_admin_may_not_correct_his_own_annual_rating(unit, insider):
    rate(unit, 0, "di_bawah", "di_bawah")
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.correct_annual_rating(
            actor=insider,
            skp=unit.skps[0],
            hasil_kerja="di_atas",
            perilaku_kerja="di_atas",
            **DOCUMENTED,
        )
    assert everything() == before


def test_admin_may_not_correct_the_penilai_of_his_own_skp(unit, insider):
    friend = UserFactory(org_unit=unit.bidang, atasan=unit.head)
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.correct_penilai(actor=insider, skp=unit.skps[0], penilai=friend, **DOCUMENTED)
    assert everything() == before


def test_admin_may_not_name_himself_pejabat_penilai(unit, insider):
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.correct_penilai(actor=insider, skp=unit.skps[1], penilai=insider, **DOCUMENTED)
    with pytest.raises(PermissionDenied):
        reassign_penilai(actor=insider, employee=unit.staff[1], penilai=insider)
    assert everything() == before


def test_admin_may_not_reassign_his_own_penilai(unit, insider):
    open_cycle(unit)
    friend = UserFactory(org_unit=unit.bidang, atasan=unit.head)
    before = everything()
    with pytest.raises(PermissionDenied):
        reassign_penilai(actor=insider, employee=insider, penilai=friend)
    assert everything() == before


def test_a_bawahan_may_not_become_the_penilai_of_his_atasan(unit, bkpsdm_admin):
    kabid_skp = make_skp(unit.penilai, unit.skps[0].cycle)
    before = everything()
    with pytest.raises(ValidationError) as info:
        corrections.correct_penilai(
            actor=bkpsdm_admin, skp=kabid_skp, penilai=unit.staff[0], **DOCUMENTED
        )
    assert "penilai_nip" in info.value.error_dict
    with pytest.raises(ValidationError):
        reassign_penilai(actor=bkpsdm_admin, employee=unit.penilai, penilai=unit.staff[0])
    assert everything() == before


def test_admin_may_not_reopen_his_own_skp(unit, insider):
    open_cycle(unit)
    before = everything()
    with pytest.raises(PermissionDenied):
        corrections.reopen_skp(actor=insider, skp=unit.skps[0], **DOCUMENTED)
    assert everything() == before


def test_admin_may_not_approve_his_own_skp_on_behalf_of_an_outside_rater(unit, insider):
    open_cycle(unit)
    skp = unit.skps[0]
    Skp.objects.filter(pk=skp.pk).update(status=Skp.Status.DIAJUKAN, pejabat_penilai=None)
    skp.refresh_from_db()
    with pytest.raises(PermissionDenied):
        approval.approve_skp(actor=insider, skp=skp)
    result = approval.approve_skps(actor=insider, skps=[skp])
    assert result.done == [] and len(result.refused) == 1
    assert Skp.objects.get(pk=skp.pk).status == Skp.Status.DIAJUKAN


def test_admin_may_not_set_the_capaian_of_his_own_opd(unit, insider):
    before = everything()
    with pytest.raises(PermissionDenied):
        evaluation.set_capaian(
            actor=insider,
            cycle=unit.skps[0].cycle,
            opd=unit.opd,
            capaian="istimewa",
            penetap="Wali Kota Bandung",
            document_ref="800/1",
        )
    assert everything() == before


def test_the_correction_page_refuses_a_replayed_post_on_ones_own_rating(client, unit, insider):
    rate(unit, 0, "di_bawah", "di_bawah")
    client.force_login(insider)
    before = everything()
    response = client.post(
        reverse("performance:correct_rating", args=[unit.skps[0].pk]),
        {
            "nilai-hasil_kerja": "di_atas",
            "nilai-perilaku_kerja": "di_atas",
            "nilai-reason": DOCUMENTED["reason"],
            "nilai-document_ref": DOCUMENTED["document_ref"],
        },
    )
    assert response.status_code == 403
    assert everything() == before
