"""portal.staffing.batch.reassign_team and the rights every staffing writer checks itself
(issue 17): a departing supervisor's team to a successor, each person checked on their own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal import authority
from portal.models import AuditEntry
from portal.staffing import Assignment
from portal.staffing.batch import reassign_team
from portal.staffing.services import (
    designate_rater,
    end_acting,
    end_assignment,
    record_acting,
)
from tests.factories import UserFactory
from tests.portal.staffing_world import DAY, build_world, post, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def team(world):
    """kabid's team: staff and a second one; the successor is a new kabid in the bidang."""
    second = UserFactory(org_unit=None, full_name="Staf Kedua")
    post(second, world.bidang, world.kabid)
    successor = UserFactory(org_unit=None, full_name="Kabid Baru")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    return second, successor


def test_the_whole_team_moves_with_the_same_posts(world, team):
    second, successor = team
    move = reassign_team(
        actor=world.admin,
        departing=world.kabid,
        successor=successor,
        start=today(),
        sk_number="821/1",
    )
    assert {p.pk for p in move.moved} == {world.staff.pk, second.pk} and move.refused == []
    for person in (world.staff, second):
        new = authority.assignment_on(person)
        assert (new.atasan, new.org_unit, new.source, new.sk_number) == (
            successor,
            world.bidang,
            Assignment.Source.SK,
            "821/1",
        )
        assert new.jabatan == f"Jabatan {person.full_name}"
    assert Assignment.objects.get(person=world.staff, end=today() - DAY)


def test_a_dry_run_answers_the_same_and_keeps_nothing(world, team):
    _second, successor = team
    before = (Assignment.objects.count(), AuditEntry.objects.count())
    move = reassign_team(
        actor=world.admin,
        departing=world.kabid,
        successor=successor,
        start=today(),
        sk_number="821/1",
        dry_run=True,
    )
    assert len(move.moved) == 2
    assert (Assignment.objects.count(), AuditEntry.objects.count()) == before
    assert authority.atasan_on(world.staff) == world.kabid


def test_one_refused_person_does_not_stop_the_others(world, team):
    second, _successor = team
    # the successor is in the team: made their own atasan, they are refused; staff moves
    move = reassign_team(
        actor=world.admin, departing=world.kabid, successor=second, start=today(), sk_number="1"
    )
    assert [p.pk for p in move.moved] == [world.staff.pk]
    assert [p.pk for p, _reason in move.refused] == [second.pk]
    assert "dirinya sendiri" in move.refused[0][1]
    assert authority.atasan_on(second) == world.kabid


def test_only_the_confirmed_people_move_and_strangers_are_refused(world, team):
    second, successor = team
    move = reassign_team(
        actor=world.admin,
        departing=world.kabid,
        successor=successor,
        start=today(),
        sk_number="1",
        people=[second.pk, world.analis.pk],
    )
    assert [p.pk for p in move.moved] == [second.pk]
    assert [p.pk for p, _reason in move.refused] == [world.analis.pk]
    assert authority.atasan_on(world.staff) == world.kabid


@pytest.mark.parametrize(
    ("changes", "match"),
    [({"sk_number": " "}, "Nomor SK wajib diisi"), ({"successor": "kabid"}, "Pengganti")],
)
def test_the_whole_call_is_refused_without_an_sk_or_with_the_same_supervisor(
    world, team, changes, match
):
    _second, successor = team
    kwargs = {"successor": successor, "sk_number": "1"} | changes
    if kwargs["successor"] == "kabid":
        kwargs["successor"] = world.kabid
    with pytest.raises(ValidationError, match=match):
        reassign_team(actor=world.admin, departing=world.kabid, start=today(), **kwargs)
    assert authority.atasan_on(world.staff) == world.kabid


def test_a_unit_head_reassigns_inside_their_unit_only(world, team):
    _second, successor = team
    move = reassign_team(
        actor=world.kadis, departing=world.kabid, successor=successor, start=today(), sk_number="1"
    )
    assert len(move.moved) == 2
    with pytest.raises(PermissionDenied):
        reassign_team(
            actor=world.kadis,
            departing=world.kaban,
            successor=successor,
            start=today(),
            sk_number="1",
        )
    with pytest.raises(PermissionDenied):
        reassign_team(
            actor=world.staff,
            departing=world.kabid,
            successor=successor,
            start=today(),
            sk_number="1",
        )


def test_every_staffing_writer_refuses_someone_who_is_not_admin_bkpsdm(world):
    start, end = today(), today() + dt.timedelta(days=30)
    calls = [
        lambda: end_assignment(actor=world.kabid, person=world.staff, end=start, reason="x"),
        lambda: record_acting(
            actor=world.kabid,
            person=world.staff,
            kind="plh",
            org_unit=world.bidang,
            start=start,
            end=end,
            sk_number="1",
        ),
        lambda: designate_rater(
            actor=world.kabid,
            person=world.kadis,
            external_rater="Wali Kota",
            document_ref="1",
            start=start,
        ),
        lambda: post(world.staff, world.badan, world.kaban, start=start, actor=world.analis),
    ]
    before = (Assignment.objects.count(), AuditEntry.objects.count())
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    acting = record_acting(
        actor=world.admin,
        person=world.analis,
        kind="plh",
        org_unit=world.bidang,
        start=start,
        end=end,
        sk_number="1",
    )
    with pytest.raises(PermissionDenied):
        end_acting(actor=world.kabid, acting=acting, end=start, reason="x")
    assert Assignment.objects.count() == before[0]
