"""Issue 17 attacked (staffing): nobody records a post, an acting appointment, a designated
rater or a successor that hands a power to themselves, and a head post is held by one person
at a time. Each path to the same state (service, page, Wagtail user form) is refused."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal import authority
from portal.services import import_employees
from portal.staffing import ActingAppointment, Assignment, DesignatedRater
from portal.staffing.batch import reassign_team
from portal.staffing.services import assign, designate_rater, record_acting
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, build_world, post, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def rows() -> tuple[int, int, int]:
    return (
        Assignment.objects.count(),
        ActingAppointment.objects.count(),
        DesignatedRater.objects.count(),
    )


def move_kabids_team(world, *, actor, successor):
    """The Kepala Bidang's team (the one staff member) to `successor` from today."""
    return reassign_team(
        actor=actor, departing=world.kabid, successor=successor, start=today(), sk_number="800/12"
    )


def test_admin_may_not_give_himself_a_post(world):
    post(world.admin, world.badan, world.kaban)
    before = rows()
    with pytest.raises(PermissionDenied):
        assign(
            actor=world.admin,
            person=world.admin,
            org_unit=world.dinas,
            jabatan="Kepala Dinas",
            jenis_jabatan="jpt",
            atasan=None,
            is_head=True,
            start=today(),
            source=Assignment.Source.SK,
            sk_number="800/9",
        )
    assert rows() == before


def test_admin_may_not_make_himself_someones_atasan(world):
    post(world.admin, world.badan, world.kaban)
    before = rows()
    with pytest.raises(PermissionDenied):
        post(world.staff, world.bidang, world.admin, start=today(), actor=world.admin)
    assert rows() == before
    assert authority.atasan_on(world.staff) == world.kabid


def test_admin_may_not_appoint_himself_plt(world):
    vacant = OrgUnitFactory(name="Dinas Kosong")
    before = rows()
    with pytest.raises(PermissionDenied):
        record_acting(
            actor=world.admin,
            person=world.admin,
            kind=ActingAppointment.Kind.PLT,
            org_unit=vacant,
            start=today(),
            end=today() + 30 * DAY,
            sk_number="800/10",
        )
    assert rows() == before


@pytest.mark.parametrize("self_as", ["rater", "person"])
def test_admin_may_not_designate_himself_or_his_own_rater(world, self_as):
    post(world.admin, world.badan, None, jenis="jpt", head=False)
    other = world.kadis if self_as == "rater" else world.kaban
    person, rater = (other, world.admin) if self_as == "rater" else (world.admin, other)
    before = rows()
    with pytest.raises(PermissionDenied):
        designate_rater(
            actor=world.admin, person=person, rater=rater, document_ref="800/11", start=today()
        )
    assert rows() == before


def test_admin_may_not_take_over_a_team_himself(world):
    post(world.admin, world.badan, world.kaban)
    before = rows()
    move = move_kabids_team(world, actor=world.admin, successor=world.admin)
    assert move.moved == [] and [p for p, _why in move.refused] == [world.staff]
    assert rows() == before


def test_a_second_holder_of_a_filled_head_post_is_refused(world):
    newcomer = UserFactory(org_unit=None, full_name="Kepala Kedua")
    before = rows()
    with pytest.raises(ValidationError) as caught:
        post(newcomer, world.dinas, None, head=True, jenis="jpt", start=today())
    assert "Kadis Uji" in str(caught.value)
    assert rows() == before
    assert authority.head_of(world.dinas) == world.kadis


def test_the_head_post_can_pass_on_once_the_holder_leaves(world):
    successor = UserFactory(org_unit=None, full_name="Kepala Baru")
    post(world.kadis, world.badan, world.kaban, start=today())
    post(successor, world.dinas, None, head=True, jenis="jpt", start=today())
    assert authority.head_of(world.dinas) == successor


def test_admin_page_post_for_himself_is_refused(client, world):
    post(world.admin, world.badan, world.kaban)
    Authenticator.objects.create(user=world.admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(world.admin)
    before = rows()
    response = client.post(
        reverse("portal:staffing_transfer", args=[world.admin.pk]),
        {
            "org_unit": world.dinas.pk,
            "jabatan": "Kepala Dinas",
            "jenis_jabatan": "jpt",
            "atasan_nip": "",
            "is_head": "on",
            "start": today().isoformat(),
            "sk_number": "800/13",
            "note": "",
        },
    )
    assert response.status_code == 403
    assert "diri Anda sendiri" in response.content.decode()
    assert rows() == before


def test_admin_may_not_make_himself_atasan_through_the_wagtail_user_form(client, world):
    post(world.admin, world.badan, world.kaban)
    Authenticator.objects.create(user=world.admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(world.admin)
    staff = world.staff
    before = rows()
    response = client.post(
        f"/admin/users/edit/{staff.pk}/",
        {
            "nip": staff.nip,
            "email": staff.email,
            "full_name": staff.full_name,
            "jabatan": staff.jabatan,
            "jenis_jabatan": staff.jenis_jabatan,
            "status_kepegawaian": "PNS",
            "org_unit": world.bidang.pk,
            "atasan": world.admin.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "diri Anda sendiri" in response.content.decode()
    assert rows() == before
    staff.refresh_from_db()
    assert staff.atasan == world.kabid


def test_a_head_may_not_hand_his_units_team_to_someone_outside_it(world):
    """The Kepala Dinas may move a departing Kabid's team, but only under someone who works in
    the units he heads: not a rater from another OPD."""
    before = rows()
    move = move_kabids_team(world, actor=world.kadis, successor=world.analis)
    assert move.moved == [] and [p for p, _why in move.refused] == [world.staff]
    assert rows() == before
    assert authority.atasan_on(world.staff) == world.kabid


def test_a_head_hands_a_team_to_a_successor_inside_his_unit(world):
    successor = UserFactory(org_unit=None, full_name="Kabid Pengganti")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    move = move_kabids_team(world, actor=world.kadis, successor=successor)
    assert move.moved == [world.staff]
    assert authority.atasan_on(world.staff) == successor


def test_a_designated_rater_may_not_be_placed_under_the_person_he_rates(world):
    designate_rater(
        actor=None, person=world.kadis, rater=world.kaban, document_ref="800/16", start=today()
    )
    before = rows()
    with pytest.raises(ValidationError) as caught:
        post(world.kaban, world.badan, world.kadis, head=True, jenis="jpt", start=today())
    assert "atasan" in caught.value.error_dict
    assert rows() == before


def test_two_heads_may_not_be_designated_to_rate_each_other(world):
    designate_rater(
        actor=None, person=world.kadis, rater=world.kaban, document_ref="800/17", start=today()
    )
    before = rows()
    with pytest.raises(ValidationError) as caught:
        designate_rater(
            actor=None, person=world.kaban, rater=world.kadis, document_ref="800/18", start=today()
        )
    assert "rater" in caught.value.error_dict
    assert rows() == before


def test_an_import_by_an_admin_missing_from_the_file_reports_him_and_does_not_crash(world):
    """The register import with "end missing": the importing admin's own assignment is not
    ended by himself; it is a row error (nothing saved), not a 500."""
    post(world.admin, world.badan, world.kaban)
    before = rows()
    result = import_employees(rows=[], actor=world.admin, end_missing=True)
    assert not result.ok
    assert any(world.admin.nip in error.message for error in result.errors)
    assert rows() == before
    assert authority.assignment_on(world.admin).end is None


@pytest.mark.parametrize("people", ["9" * 30, "1,x", "²"])
def test_a_forged_team_list_is_a_clear_refusal_not_a_500(client, world, people):
    Authenticator.objects.create(user=world.admin, type=Authenticator.Type.TOTP, data={})
    client.force_login(world.admin)
    before = rows()
    response = client.post(
        reverse("portal:staffing_team"),
        {
            "departing_nip": world.kabid.nip,
            "successor_nip": world.kadis.nip,
            "start": today().isoformat(),
            "sk_number": "800/19",
            "people": people,
            "confirm": "1",
        },
    )
    assert response.status_code == 400
    assert "Daftar pegawai tidak sah." in response.content.decode()
    assert rows() == before
