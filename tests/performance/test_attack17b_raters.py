"""Issue 17 attacked again (who rates): a stand-in whose account is deactivated after being
recorded (Plt/Plh, delegate, designated rater) holds no rights, so an SKP does not wait for them
forever; a retired person is not named pejabat penilai of open SKPs."""

import pytest
from django.core.exceptions import ValidationError

from performance import rights
from performance.services import approval
from performance.services.penilai import reassign_penilai
from portal import authority
from portal.staffing import ActingAppointment
from portal.staffing.services import (
    delegate_rating,
    designate_rater,
    end_assignment,
    record_acting,
)
from tests.portal.staffing_world import DAY, build_world, today

from .factories import make_skp

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def deactivate(person) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])


def test_a_deactivated_designated_rater_rates_nobody(world, cycle):
    designate_rater(
        actor=None, person=world.kadis, rater=world.kaban, document_ref="800/30", start=today()
    )
    skp = make_skp(world.kadis, cycle, status="diajukan")
    assert approval.answered_by(skp) == (approval.STAND_IN, [world.kaban.pk])
    deactivate(world.kaban)
    assert authority.rater_ids_for(world.kadis) == {}
    assert rights.capacity(world.kaban, skp) is None
    route, _admins = approval.answered_by(skp)
    assert route == approval.WAITING  # Admin BKPSDM may designate again or approve on behalf


def test_a_deactivated_plt_rates_nobody(world):
    end_assignment(actor=None, person=world.kabid, end=today() - DAY, reason="Pensiun")
    record_acting(
        actor=None,
        person=world.analis,
        kind=ActingAppointment.Kind.PLT,
        org_unit=world.bidang,
        start=today(),
        end=today() + 30 * DAY,
        sk_number="800/31",
    )
    assert authority.rater_ids_for(world.staff).get(world.analis.pk) == "plt"
    deactivate(world.analis)
    assert world.analis.pk not in authority.rater_ids_for(world.staff)
    assert world.staff.pk not in rights.team(world.analis)


def test_a_deactivated_delegate_rates_nobody(world):
    delegate_rating(actor=world.kabid, start=today(), end=today() + 5 * DAY, reason="Cuti")
    assert authority.rater_ids_for(world.staff).get(world.kadis.pk) == "delegasi"
    deactivate(world.kadis)
    assert world.kadis.pk not in authority.rater_ids_for(world.staff)


def test_a_retired_person_is_not_named_pejabat_penilai_of_open_skps(world, cycle):
    admin = world.admin
    make_skp(world.staff, cycle)
    end_assignment(actor=None, person=world.kaban, end=today() - DAY, reason="Pensiun")
    with pytest.raises(ValidationError) as caught:
        reassign_penilai(actor=admin, employee=world.staff, penilai=world.kaban)
    assert "penilai_nip" in caught.value.error_dict
    assert "tidak memiliki jabatan" in str(caught.value)
