"""portal.authority: who holds which post and who may rate whom, on a date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import authority
from portal.staffing import Assignment
from portal.staffing.services import delegate_rating, designate_rater, record_acting
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, build_world, post, since, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_answers_before_and_after_a_transfer(world):
    day = today() - dt.timedelta(days=10)
    post(world.staff, world.badan, world.kaban, start=day)
    before, after = day - DAY, day
    assert authority.atasan_on(world.staff, before) == world.kabid
    assert authority.atasan_on(world.staff, after) == world.kaban
    assert authority.assignment_on(world.staff, before).org_unit == world.bidang
    assert authority.assignment_on(world.staff, after).org_unit == world.badan
    assert authority.rater_ids_for(world.staff, before) == {world.kabid.pk: "atasan"}
    assert authority.rater_ids_for(world.staff, after) == {world.kaban.pk: "atasan"}
    assert world.staff.pk in authority.bawahan_ids_on(world.kabid, before)
    assert world.staff.pk not in authority.bawahan_ids_on(world.kabid, after)
    assert authority.assignment_on(world.staff, since() - DAY) is None


def test_the_head_of_a_unit_is_the_holder_of_its_head_post(world):
    assert authority.head_of(world.bidang) == world.kabid
    assert authority.head_of(world.dinas) == world.kadis
    assert authority.head_rights(world.kabid) == {world.bidang.pk}
    assert authority.head_rights(world.staff) == set()
    day = today() + dt.timedelta(days=5)
    post(world.kabid, world.badan, world.kaban, start=day, jenis="administrator")
    assert authority.head_of(world.bidang, day - DAY) == world.kabid
    assert authority.head_of(world.bidang, day) is None
    assert authority.head_rights(world.kabid, day) == set()


def test_a_camat_below_jpt_holds_the_head_post_of_their_kecamatan():
    kecamatan = OrgUnitFactory(kind="kecamatan")
    camat = UserFactory(org_unit=None)
    post(camat, kecamatan, None, head=True, jenis="administrator")
    assert authority.head_of(kecamatan) == camat
    assert authority.head_rights(camat) == {kecamatan.pk}


def test_plt_rights_begin_and_end_on_their_dates(world):
    gone = today() - dt.timedelta(days=30)
    post(world.kabid, world.badan, world.kaban, start=gone, jenis="administrator")
    start, end = gone + dt.timedelta(days=5), gone + dt.timedelta(days=20)
    record_acting(
        actor=None,
        person=world.analis,
        kind="plt",
        org_unit=world.bidang,
        start=start,
        end=end,
        sk_number="821/7",
    )
    # The staff's assignment still names the old kabid, who holds no post in the bidang now:
    # the atasan post is vacant, so the Plt of the bidang's head post rates.
    assert authority.head_rights(world.analis, start - DAY) == set()
    assert authority.head_rights(world.analis, start) == {world.bidang.pk}
    assert authority.head_rights(world.analis, end) == {world.bidang.pk}
    assert authority.head_rights(world.analis, end + DAY) == set()
    assert [a.person for a in authority.acting_heads(world.bidang, start)] == [world.analis]
    assert authority.acting_heads(world.bidang, end + DAY) == []
    assert world.analis.pk not in authority.rater_ids_for(world.staff, start - DAY)
    assert authority.rater_ids_for(world.staff, start)[world.analis.pk] == "plt"
    assert authority.rater_ids_for(world.staff, end)[world.analis.pk] == "plt"
    assert world.analis.pk not in authority.rater_ids_for(world.staff, end + DAY)


def test_a_plh_rates_for_the_atasan_holding_the_head_post(world):
    start = today()
    record_acting(
        actor=None,
        person=world.analis,
        kind="plh",
        org_unit=world.bidang,
        start=start,
        end=start + dt.timedelta(days=7),
        sk_number="800/5",
    )
    assert authority.rater_ids_for(world.staff, start) == {
        world.kabid.pk: "atasan",
        world.analis.pk: "plh",
    }
    assert authority.head_rights(world.analis, start) == {world.bidang.pk}


def test_a_head_whose_atasan_post_is_vacant_is_rated_by_the_plt_of_the_parent_unit(world):
    gone = today() - dt.timedelta(days=10)
    post(world.kadis, world.badan, world.kaban, start=gone, jenis="jpt")
    record_acting(
        actor=None,
        person=world.kaban,
        kind="plt",
        org_unit=world.dinas,
        start=gone,
        end=gone + dt.timedelta(days=60),
        sk_number="821/9",
    )
    # the kabid's assignment still names the old kadis (now in the badan): his post is vacant
    assert authority.rater_ids_for(world.kabid, today())[world.kaban.pk] == "plt"


def test_the_delegate_rates_only_inside_the_delegation_window(world):
    start, end = today() + dt.timedelta(days=2), today() + dt.timedelta(days=6)
    delegate_rating(actor=world.kabid, start=start, end=end, reason="Cuti tahunan")
    for day, expected in [(start - DAY, False), (start, True), (end, True), (end + DAY, False)]:
        raters = authority.rater_ids_for(world.staff, day)
        assert (raters.get(world.kadis.pk) == "delegasi") is expected, day
        assert raters[world.kabid.pk] == "atasan"


def test_the_designated_rater_rates_a_head_without_an_atasan(world):
    assert authority.rater_ids_for(world.kadis) == {}
    designate_rater(
        actor=None, person=world.kadis, rater=world.kaban, document_ref="SK 800/1", start=today()
    )
    assert authority.rater_ids_for(world.kadis) == {world.kaban.pk: "penilai_ditunjuk"}
    assert authority.rater_ids_for(world.kadis, today() - DAY) == {}
    assert authority.atasan_on(world.kadis) == world.kaban
    assert authority.designated_rater_on(world.kadis).document_ref == "SK 800/1"


def test_an_external_designated_rater_is_not_a_portal_rater(world):
    designate_rater(
        actor=None,
        person=world.kadis,
        external_rater="Wali Kota Bandung",
        document_ref="SK 800/2",
        start=today(),
    )
    assert authority.rater_ids_for(world.kadis) == {}
    assert authority.atasan_on(world.kadis) is None
    assert authority.designated_rater_on(world.kadis).rater_label == "Wali Kota Bandung"


def test_people_without_rows_are_read_from_their_snapshot():
    opd = OrgUnitFactory()
    kadis = UserFactory(org_unit=opd, jenis_jabatan="jpt", atasan=None)
    staff = UserFactory(org_unit=opd, atasan=kadis)
    nobody = UserFactory(org_unit=None)
    assert not Assignment.objects.exists()
    assert authority.atasan_on(staff, dt.date(2020, 5, 1)) == kadis
    assert authority.head_of(opd) == kadis
    assert authority.head_rights(kadis) == {opd.pk}
    assert authority.assignment_on(nobody) is None
    assert authority.rater_map([staff, kadis, nobody]) == {
        staff.pk: {kadis.pk: "atasan"},
        kadis.pk: {},
        nobody.pk: {},
    }
    assert authority.bawahan_ids_on(kadis) == {staff.pk}


def build_team(world, size: int) -> list:
    """`size` people under the kabid, half of them moved to the badan last month, with a Plh
    in the bidang and a delegation of the kaban: every branch of `rater_map` has work."""
    people = []
    moved = today() - dt.timedelta(days=30)
    for _ in range(size):
        person = UserFactory(org_unit=None)
        post(person, world.bidang, world.kabid)
        people.append(person)
    for person in people[::2]:
        post(person, world.badan, world.kaban, start=moved)
    return people


def test_rater_map_query_count_is_flat_as_people_multiply(world):
    record_acting(
        actor=None,
        person=world.staff,
        kind="plh",
        org_unit=world.bidang,
        start=today(),
        end=today() + DAY,
        sk_number="800/6",
    )
    designate_rater(
        actor=None, person=world.kaban, rater=world.kadis, document_ref="SK 1", start=since()
    )
    delegate_rating(actor=world.kaban, start=today(), end=today() + DAY, reason="Cuti")
    few = build_team(world, 3)
    many = few + build_team(world, 27)
    counts = []
    for people in (few, many):
        with CaptureQueriesContext(connection) as queries:
            result = authority.rater_map(people)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7
    assert result[many[0].pk] == {world.kaban.pk: "atasan", world.kadis.pk: "delegasi"}
    assert result[many[1].pk] == {world.kabid.pk: "atasan", world.staff.pk: "plh"}
    assert len(result) == 30
