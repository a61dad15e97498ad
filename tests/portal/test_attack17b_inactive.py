"""Issue 17 attacked again (staffing): a person who cannot act any more (account deactivated,
or no post: retired, left, assignment ended) is refused as Plt/Plh, as designated rater, as
the delegate of a supervisor on leave and as the successor of a team, with a clear Indonesian
message, on every path (service, Admin BKPSDM's pages, the team page, the delegation page)."""

import datetime as dt
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import authority
from portal.staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation
from portal.staffing.batch import reassign_team
from portal.staffing.services import (
    delegate_rating,
    designate_rater,
    end_assignment,
    record_acting,
)
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, build_world, post, today

pytestmark = pytest.mark.django_db

HOW = ["deactivated", "retired", "retires_midway"]


@pytest.fixture
def world():
    w = build_world()
    Authenticator.objects.create(user=w.admin, type=Authenticator.Type.TOTP, data={})
    return w


def put_out(world, person, how: str) -> None:
    """`person` can no longer act: deactivated, retired yesterday, or retiring in ten days."""
    if how == "deactivated":
        person.is_active = False
        person.save(update_fields=["is_active"])
        return
    end = today() - DAY if how == "retired" else today() + 10 * DAY
    end_assignment(actor=None, person=person, end=end, reason="Pensiun")
    person.refresh_from_db()


def rows() -> tuple[int, int, int, int]:
    return (
        Assignment.objects.count(),
        ActingAppointment.objects.count(),
        DesignatedRater.objects.count(),
        RatingDelegation.objects.count(),
    )


def plt_of_vacant_unit(actor, person):
    return record_acting(
        actor=actor,
        person=person,
        kind=ActingAppointment.Kind.PLT,
        org_unit=OrgUnitFactory(name="Dinas Kosong"),
        start=today(),
        end=today() + 30 * DAY,
        sk_number="800/20",
    )


@pytest.mark.parametrize("how", HOW)
def test_no_plt_who_cannot_act(world, how):
    put_out(world, world.analis, how)
    before = rows()
    with pytest.raises(ValidationError) as caught:
        plt_of_vacant_unit(world.admin, world.analis)
    assert "person" in caught.value.error_dict
    assert world.analis.full_name in str(caught.value)
    assert rows() == before


def test_an_active_plt_with_a_post_is_still_recorded(world):
    assert plt_of_vacant_unit(world.admin, world.analis).person == world.analis


@pytest.mark.parametrize("how", HOW)
def test_no_designated_rater_who_cannot_act(world, how):
    put_out(world, world.kaban, how)
    before = rows()
    with pytest.raises(ValidationError) as caught:
        designate_rater(
            actor=world.admin,
            person=world.kadis,
            rater=world.kaban,
            document_ref="800/21",
            start=today(),
            end=today() + 60 * DAY,
        )
    assert "rater" in caught.value.error_dict
    assert rows() == before


@pytest.mark.parametrize("how", HOW)
def test_no_delegation_to_an_atasan_who_cannot_act(world, how):
    put_out(world, world.kadis, how)
    before = rows()
    with pytest.raises(ValidationError) as caught:
        delegate_rating(
            actor=world.kabid, start=today(), end=today() + 20 * DAY, reason="Cuti tahunan"
        )
    assert world.kadis.full_name in str(caught.value)
    assert rows() == before


@pytest.mark.parametrize("how", ["deactivated", "retired"])
def test_no_team_moves_under_a_successor_who_cannot_act(world, how):
    successor = UserFactory(org_unit=None, full_name="Kabid Pengganti")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    put_out(world, successor, how)
    before = rows()
    with pytest.raises(ValidationError) as caught:
        reassign_team(
            actor=world.admin,
            departing=world.kabid,
            successor=successor,
            start=today(),
            sk_number="800/22",
        )
    assert "successor" in caught.value.error_dict
    assert rows() == before
    assert authority.atasan_on(world.staff) == world.kabid


def test_no_transfer_under_a_deactivated_atasan(world):
    put_out(world, world.kaban, "deactivated")
    before = rows()
    with pytest.raises(ValidationError) as caught:
        post(world.analis, world.badan, world.kaban, jenis="administrator", start=today())
    assert "atasan" in caught.value.error_dict
    assert rows() == before


# --- the pages -----------------------------------------------------------------------------------


def test_plt_page_says_why(world, client):
    put_out(world, world.analis, "retired")
    client.force_login(world.admin)
    before = rows()
    response = client.post(
        reverse("portal:staffing_acting"),
        {
            "person_nip": world.analis.nip,
            "kind": "plt",
            "org_unit": OrgUnitFactory(name="Dinas Kosong").pk,
            "start": today().isoformat(),
            "end": (today() + 30 * DAY).isoformat(),
            "sk_number": "800/23",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "tidak memiliki jabatan" in page and "800/23" in page
    assert rows() == before


def test_designation_page_says_why_for_a_deactivated_rater(world, client):
    put_out(world, world.kaban, "deactivated")
    client.force_login(world.admin)
    before = rows()
    response = client.post(
        reverse("portal:staffing_designate", args=[world.kadis.pk]),
        {"rater_nip": world.kaban.nip, "document_ref": "800/24", "start": today().isoformat()},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "dinonaktifkan" in response.content.decode()
    assert rows() == before


def test_team_page_says_why_for_a_retired_successor(world, client):
    successor = UserFactory(org_unit=None, full_name="Kabid Pengganti")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    put_out(world, successor, "retired")
    client.force_login(world.kadis)  # the head of the unit
    before = rows()
    response = client.post(
        reverse("portal:staffing_team"),
        {
            "departing_nip": world.kabid.nip,
            "successor_nip": successor.nip,
            "start": today().isoformat(),
            "sk_number": "800/25",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "tidak memiliki jabatan" in response.content.decode()
    assert rows() == before


def test_a_deactivated_supervisors_team_can_still_be_moved_from_the_page(world, client):
    """The departing supervisor may be the one who left: only the successor must act."""
    successor = UserFactory(org_unit=None, full_name="Kabid Pengganti")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    put_out(world, world.kabid, "deactivated")
    client.force_login(world.admin)
    data = {
        "departing_nip": world.kabid.nip,
        "successor_nip": successor.nip,
        "start": today().isoformat(),
        "sk_number": "800/26",
    }
    response = client.post(reverse("portal:staffing_team"), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["confirming"]
    client.post(
        reverse("portal:staffing_team"),
        {**data, "people": str(world.staff.pk), "confirm": "1"},
    )
    assert authority.atasan_on(world.staff) == successor


def test_delegation_page_says_why(world, client):
    put_out(world, world.kadis, "deactivated")
    client.force_login(world.kabid)
    before = rows()
    response = client.post(
        reverse("portal:delegations"),
        {
            "start": today().isoformat(),
            "end": (today() + dt.timedelta(days=5)).isoformat(),
            "reason": "Cuti",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "dinonaktifkan" in response.content.decode()
    assert rows() == before


# --- a post that ends takes the stand-in rights with it -----------------------------------------


def stand_ins_of_analis(world):
    """The analis is Plt of a vacant unit for a month, delegate of nobody, and the rater
    designated for the Kepala Dinas (whose atasan is nobody)."""
    acting = plt_of_vacant_unit(None, world.analis)
    designated = designate_rater(
        actor=None, person=world.kadis, rater=world.analis, document_ref="800/27", start=today()
    )
    return acting, designated


@pytest.mark.parametrize("path", ["service", "register"])
def test_the_post_ending_ends_the_plt_and_the_designation(world, path):
    acting, designated = stand_ins_of_analis(world)
    if path == "service":
        end_assignment(actor=world.admin, person=world.analis, end=today(), reason="Pensiun")
    else:  # the register import that ends whoever is missing from the file
        from portal.services import import_employees

        import_employees(rows=[], actor=None, end_missing=True)
    if path == "service":  # the post ends today: so do the Plt and the designation
        acting.refresh_from_db()
        designated.refresh_from_db()
        assert acting.end == today() and designated.end == today()
    else:  # the post ended yesterday: both began today, so they are removed
        assert not ActingAppointment.objects.filter(pk=acting.pk).exists()
        assert not DesignatedRater.objects.filter(pk=designated.pk).exists()
    assert authority.designated_rater_on(world.kadis, today() + DAY) is None
    assert not authority.head_rights(world.analis, today() + DAY)


def test_a_planned_retirement_cuts_a_plt_that_runs_past_it(world):
    acting, _designated = stand_ins_of_analis(world)
    end_assignment(actor=None, person=world.analis, end=today() + 10 * DAY, reason="Pensiun")
    acting.refresh_from_db()
    assert acting.end == today() + 10 * DAY
    assert authority.head_rights(world.analis, today() + 10 * DAY)


def test_a_delegation_to_someone_who_retires_ends_with_his_post(world):
    delegation = delegate_rating(
        actor=world.kabid, start=today(), end=today() + 20 * DAY, reason="Cuti tahunan"
    )
    end_assignment(actor=None, person=world.kadis, end=today() + 5 * DAY, reason="Pensiun")
    delegation.refresh_from_db()
    assert delegation.end == today() + 5 * DAY
    assert world.kadis.pk not in authority.rater_ids_for(world.staff, today() + 6 * DAY)


# --- a delegation does not follow its giver to a new team ---------------------------------------


def kabids_leave(world):
    return delegate_rating(
        actor=world.kabid, start=today(), end=today() + 20 * DAY, reason="Cuti tahunan"
    )


def new_team_in_the_badan(world):
    """The Kabid, moved to the badan, gets a staff member of his own there."""
    newcomer = UserFactory(org_unit=None, full_name="Staf Badan")
    post(newcomer, world.badan, world.kabid, start=today() + 5 * DAY)
    return newcomer


def test_a_transfer_ends_the_delegation_the_supervisor_gave(world):
    delegation = kabids_leave(world)
    post(world.kabid, world.badan, world.kaban, jenis="administrator", start=today() + 5 * DAY)
    newcomer = new_team_in_the_badan(world)
    delegation.refresh_from_db()
    assert delegation.end == today() + 4 * DAY
    assert world.kadis.pk not in authority.rater_ids_for(newcomer, today() + 6 * DAY)
    assert authority.rater_ids_for(world.staff, today() + 1 * DAY).get(world.kadis.pk)


def test_the_register_engine_ends_it_too(world):
    from portal.staffing.bulk import PostRequest, plan_posts, write_posts

    delegation = kabids_leave(world)
    request = PostRequest(
        person=world.kabid,
        org_unit=world.badan,
        jabatan="Kepala Subbagian",
        jenis_jabatan="administrator",
        atasan=world.kaban,
    )
    plan = plan_posts(
        actor=None, requests=[request], day=today() + 5 * DAY, source=Assignment.Source.IMPOR
    )
    assert not plan.refused
    write_posts(plan)
    delegation.refresh_from_db()
    assert delegation.end == today() + 4 * DAY


def test_a_move_under_the_same_atasan_keeps_the_delegation(world):
    delegation = kabids_leave(world)
    other = OrgUnitFactory(name="Bidang Lain", kind="bidang", parent=world.dinas)
    post(world.kabid, other, world.kadis, head=True, jenis="administrator", start=today() + 5 * DAY)
    delegation.refresh_from_db()
    assert delegation.end == today() + 20 * DAY
