"""portal.staffing.services: every write's happy path, and each bad input refused with an
Indonesian message and nothing saved half-way."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal import authority
from portal.models import AuditEntry, User
from portal.signals import assignment_changed, pre_assign
from portal.staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation
from portal.staffing.services import (
    assign,
    delegate_rating,
    designate_rater,
    end_acting,
    end_assignment,
    record_acting,
    refresh_snapshots,
)
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, build_world, post, since, today

pytestmark = pytest.mark.django_db

Kind = AuditEntry.Kind


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def heard():
    """The assignment_changed signals received (sent after commit)."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    assignment_changed.connect(receiver, sender=Assignment, dispatch_uid="test-heard")
    yield received
    assignment_changed.disconnect(sender=Assignment, dispatch_uid="test-heard")


def counts() -> tuple[int, ...]:
    return (
        Assignment.objects.count(),
        ActingAppointment.objects.count(),
        RatingDelegation.objects.count(),
        DesignatedRater.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(match: str, call, **kwargs) -> ValidationError:
    """Run `call(**kwargs)`, expect a ValidationError saying `match`, and nothing written."""
    before = counts()
    snapshots = list(User.objects.order_by("pk").values_list("org_unit_id", "atasan_id", "jabatan"))
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert any(match in message for message in exc.value.messages), exc.value.messages
    assert counts() == before
    assert (
        list(User.objects.order_by("pk").values_list("org_unit_id", "atasan_id", "jabatan"))
        == snapshots
    )
    return exc.value


# --- assign ----------------------------------------------------------------------------------


def test_a_transfer_ends_the_old_assignment_the_day_before_and_refreshes_the_snapshot(
    world, heard, django_capture_on_commit_callbacks
):
    day = today() - dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        new = post(world.staff, world.badan, world.kaban, start=day, actor=world.admin)
    old = Assignment.objects.get(person=world.staff, start=since())
    assert (old.end, new.end, new.start) == (day - DAY, None, day)
    world.staff.refresh_from_db()
    assert (world.staff.org_unit, world.staff.atasan) == (world.badan, world.kaban)
    assert [(h["old"], h["new"], h["day"], h["person"]) for h in heard] == [
        (old, new, day, world.staff)
    ]
    entries = {
        e.kind: e
        for e in AuditEntry.objects.filter(subject=world.staff, created_at__gt=new.created_at)
    }
    assert set(entries) == {Kind.ORG_UNIT, Kind.ATASAN}
    assert entries[Kind.ATASAN].old.startswith("Kabid Uji") and entries[Kind.ATASAN].new.startswith(
        "Kaban Uji"
    )
    assert {e.actor for e in entries.values()} == {world.admin}
    assert {e.source for e in entries.values()} == {AuditEntry.Source.SK}
    assert "SK 800/1-BKPSDM" in entries[Kind.ORG_UNIT].note


def test_a_future_transfer_waits_for_its_day_then_the_daily_job_applies_it(world):
    day = today() + dt.timedelta(days=3)
    post(world.staff, world.badan, world.kaban, start=day)
    world.staff.refresh_from_db()
    assert world.staff.atasan == world.kabid  # today still the old post
    assert refresh_snapshots(day=day - DAY) == 0
    assert refresh_snapshots(day=day) == 1
    world.staff.refresh_from_db()
    assert (world.staff.org_unit, world.staff.atasan) == (world.badan, world.kaban)
    assert refresh_snapshots(day=day) == 0  # idempotent


def test_the_same_post_again_changes_nothing(world, heard, django_capture_on_commit_callbacks):
    current = Assignment.objects.get(person=world.staff)
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        again = post(world.staff, world.bidang, world.kabid, start=today())
    assert again == current and counts() == before and heard == []


def test_a_second_post_on_the_same_start_corrects_that_row(
    world, heard, django_capture_on_commit_callbacks
):
    day = today() - dt.timedelta(days=5)
    first = post(world.staff, world.badan, world.kaban, start=day)
    with django_capture_on_commit_callbacks(execute=True):
        corrected = post(world.staff, world.badan, world.analis, start=day)
    assert corrected.pk == first.pk and corrected.atasan == world.analis
    assert Assignment.objects.filter(person=world.staff).count() == 2
    assert heard[0]["old"].pk == heard[0]["new"].pk and heard[0]["old"].atasan == world.kaban
    assert (
        AuditEntry.objects.filter(subject=world.staff, kind=Kind.ATASAN)
        .first()
        .old.startswith("Kaban Uji")
    )


def test_a_person_without_rows_keeps_their_history_from_the_snapshot(org_unit, supervisor):
    person = UserFactory(org_unit=org_unit, atasan=supervisor)
    other = UserFactory(org_unit=org_unit)
    day = today() - dt.timedelta(days=10)
    assign(
        actor=None,
        person=person,
        org_unit=org_unit,
        jabatan="Analis",
        jenis_jabatan="fungsional",
        atasan=other,
        start=day,
        source=Assignment.Source.ADMIN,
    )
    history = list(Assignment.objects.filter(person=person).order_by("start"))
    assert [(a.atasan, a.start, a.end, a.source) for a in history] == [
        (supervisor, dt.date((day - DAY).year, 1, 1), day - DAY, Assignment.Source.MIGRASI),
        (other, day, None, Assignment.Source.ADMIN),
    ]
    assert authority.atasan_on(person, day - DAY) == supervisor


def test_assign_refuses_the_person_as_their_own_atasan(world):
    refused(
        "tidak boleh menjadi atasan dirinya sendiri",
        post,
        person=world.staff,
        unit=world.bidang,
        atasan=world.staff,
        start=today(),
    )


def test_assign_refuses_an_atasan_cycle_through_assignments_on_that_date(world):
    exc = refused(
        "bawahan (langsung atau tidak langsung)",
        post,
        person=world.kadis,
        unit=world.dinas,
        atasan=world.staff,
        head=True,
        start=today(),
    )
    assert "atasan" in exc.message_dict


def test_an_atasan_cycle_is_judged_on_the_date_of_the_change(world):
    """The staff leaves the bidang on D; from D on, the kadis may report to him."""
    day = today() - dt.timedelta(days=10)
    post(world.staff, world.badan, world.kaban, start=day)
    refused(
        "bawahan", post, person=world.kabid, unit=world.bidang, atasan=world.staff, start=day - DAY
    )
    post(world.kabid, world.bidang, world.staff, start=day + DAY, head=True)
    assert authority.atasan_on(world.kabid, day + DAY) == world.staff


def test_assign_refuses_an_overlap_with_a_later_assignment(world):
    post(world.staff, world.badan, world.kaban, start=today() + dt.timedelta(days=30))
    refused(
        "sudah memiliki penempatan mulai",
        post,
        person=world.staff,
        unit=world.dinas,
        atasan=world.kadis,
        start=today(),
    )


def test_assign_from_an_sk_needs_its_number(world):
    refused(
        "Nomor SK wajib diisi",
        post,
        person=world.staff,
        unit=world.badan,
        atasan=world.kaban,
        start=today(),
        sk_number="  ",
    )


def test_a_pre_assign_receiver_refuses_a_date_and_nothing_is_saved(world):
    def closed_period(sender, day, **kwargs):
        if day < today():
            raise ValidationError("Tanggal ini berada dalam periode pelaporan yang sudah ditutup.")

    pre_assign.connect(closed_period, sender=Assignment, dispatch_uid="test-closed")
    try:
        refused(
            "periode pelaporan yang sudah ditutup",
            post,
            person=world.staff,
            unit=world.badan,
            atasan=world.kaban,
            start=today() - DAY,
        )
        assert post(world.staff, world.badan, world.kaban, start=today()).start == today()
    finally:
        pre_assign.disconnect(sender=Assignment, dispatch_uid="test-closed")


def test_the_database_refuses_an_end_before_the_start_and_two_open_assignments(world):
    row = Assignment.objects.get(person=world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=row.pk).update(end=row.start - DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            person=world.staff, org_unit=world.badan, start=today(), source="admin"
        )


# --- end_assignment --------------------------------------------------------------------------


def test_ending_an_assignment_clears_the_snapshot_and_tells_performance(
    world, heard, django_capture_on_commit_callbacks
):
    end = today() - DAY
    with django_capture_on_commit_callbacks(execute=True):
        row = end_assignment(actor=world.admin, person=world.staff, end=end, reason="Pensiun")
    assert row.end == end
    world.staff.refresh_from_db()
    assert (world.staff.org_unit, world.staff.atasan) == (None, None)
    assert world.staff.jabatan == "Jabatan Staf Uji"
    assert [(h["old"], h["new"], h["day"]) for h in heard] == [(row, None, today())]
    entry = AuditEntry.objects.get(subject=world.staff, kind=Kind.ASSIGNMENT_ENDED)
    assert (entry.actor, entry.note) == (world.admin, "Pensiun")
    assert authority.assignment_on(world.staff) is None
    assert authority.assignment_on(world.staff, end) == row


def test_ending_today_keeps_the_post_until_tomorrow(world):
    end_assignment(actor=None, person=world.staff, end=today(), reason="Mutasi ke luar kota")
    world.staff.refresh_from_db()
    assert world.staff.org_unit == world.bidang
    assert refresh_snapshots(day=today() + DAY) == 1
    world.staff.refresh_from_db()
    assert world.staff.org_unit is None


def test_end_assignment_needs_a_reason(world):
    refused(
        "Alasan wajib diisi",
        end_assignment,
        actor=None,
        person=world.staff,
        end=today(),
        reason=" ",
    )


def test_end_assignment_needs_an_assignment_on_that_date(world):
    refused(
        "tidak memiliki penempatan pada",
        end_assignment,
        actor=None,
        person=world.staff,
        end=since() - DAY,
        reason="Pensiun",
    )


# --- record_acting / end_acting --------------------------------------------------------------


def vacate_kabid(world, day):
    post(world.kabid, world.badan, world.kaban, start=day, jenis="administrator")


def test_a_plt_is_recorded_over_a_vacant_head_post(world):
    day = today() - dt.timedelta(days=3)
    vacate_kabid(world, day)
    acting = record_acting(
        actor=world.admin,
        person=world.analis,
        kind="plt",
        org_unit=world.bidang,
        start=day,
        end=day + dt.timedelta(days=90),
        sk_number=" 821/55-BKPSDM ",
    )
    assert (acting.sk_number, acting.recorded_by) == ("821/55-BKPSDM", world.admin)
    entry = AuditEntry.objects.get(subject=world.analis, kind=Kind.ACTING)
    assert "Plt" in entry.new and world.bidang.name in entry.new
    assert entry.source == AuditEntry.Source.ADMIN_ACTION


def test_a_plh_is_recorded_while_the_holder_is_away(world):
    acting = record_acting(
        actor=None,
        person=world.staff,
        kind="plh",
        org_unit=world.bidang,
        start=today(),
        end=today() + dt.timedelta(days=14),
        sk_number="800/9",
    )
    assert acting.kind == "plh"


@pytest.mark.parametrize(
    ("kind", "start_offset", "end_offset", "sk", "match"),
    [
        ("plt", 10, 5, "800/1", "tidak boleh sebelum tanggal mulai"),
        ("plt", 0, 10, "", "Nomor SK Plt/Plh wajib diisi"),
        ("plt", 0, 10, "800/1", "terisi oleh Kabid Uji"),
    ],
)
def test_record_acting_refuses_bad_input(world, kind, start_offset, end_offset, sk, match):
    refused(
        match,
        record_acting,
        actor=None,
        person=world.staff,
        kind=kind,
        org_unit=world.bidang,
        start=today() + dt.timedelta(days=start_offset),
        end=today() + dt.timedelta(days=end_offset),
        sk_number=sk,
    )


def test_a_plt_is_refused_when_the_post_is_filled_on_any_day_of_the_range(world):
    day = today() + dt.timedelta(days=10)
    vacate_kabid(world, day)
    refused(
        "terisi oleh Kabid Uji",
        record_acting,
        actor=None,
        person=world.staff,
        kind="plt",
        org_unit=world.bidang,
        start=day - dt.timedelta(days=2),
        end=day + dt.timedelta(days=30),
        sk_number="800/1",
    )


def test_a_plh_is_refused_over_a_vacant_post_and_for_the_holder_himself(world):
    kwargs = {"actor": None, "kind": "plh", "start": today(), "end": today() + DAY}
    kwargs["sk_number"] = "800/2"
    refused(
        "catat Plt, bukan Plh",
        record_acting,
        person=world.staff,
        org_unit=OrgUnitFactory(),
        **kwargs,
    )
    refused(
        "atas jabatannya sendiri",
        record_acting,
        person=world.kabid,
        org_unit=world.bidang,
        **kwargs,
    )


def test_two_acting_appointments_for_one_post_may_not_overlap(world):
    record_acting(
        actor=None,
        person=world.staff,
        kind="plh",
        org_unit=world.bidang,
        start=today(),
        end=today() + dt.timedelta(days=10),
        sk_number="800/3",
    )
    refused(
        "tumpang tindih",
        record_acting,
        actor=None,
        person=world.analis,
        kind="plh",
        org_unit=world.bidang,
        start=today() + dt.timedelta(days=10),
        end=today() + dt.timedelta(days=20),
        sk_number="800/4",
    )
    record_acting(  # the day after is free
        actor=None,
        person=world.analis,
        kind="plh",
        org_unit=world.bidang,
        start=today() + dt.timedelta(days=11),
        end=today() + dt.timedelta(days=20),
        sk_number="800/4",
    )


def test_ending_an_acting_appointment_early(world):
    acting = record_acting(
        actor=None,
        person=world.staff,
        kind="plh",
        org_unit=world.bidang,
        start=today(),
        end=today() + dt.timedelta(days=10),
        sk_number="800/3",
    )
    ended = end_acting(
        actor=world.admin, acting=acting, end=today() + DAY, reason="Kembali bertugas"
    )
    assert ended.end == today() + DAY
    assert AuditEntry.objects.get(kind=Kind.ACTING_ENDED).note == "Kembali bertugas"
    refused(
        "hanya dapat dimajukan",
        end_acting,
        actor=None,
        acting=acting,
        end=today() + dt.timedelta(days=30),
        reason="x",
    )
    refused(
        "tidak boleh sebelum tanggal mulai",
        end_acting,
        actor=None,
        acting=acting,
        end=today() - DAY,
        reason="x",
    )
    refused("Alasan wajib diisi", end_acting, actor=None, acting=acting, end=today(), reason="")


# --- delegate_rating -------------------------------------------------------------------------


def test_a_supervisor_delegates_rating_to_their_own_atasan(world):
    delegation = delegate_rating(
        actor=world.kabid, start=today(), end=today() + dt.timedelta(days=14), reason="Cuti tahunan"
    )
    assert (delegation.delegator, delegation.delegate) == (world.kabid, world.kadis)
    entry = AuditEntry.objects.get(kind=Kind.RATING_DELEGATION)
    assert (entry.subject, entry.actor, entry.source) == (
        world.kabid,
        world.kabid,
        AuditEntry.Source.ACCOUNT,
    )
    assert entry.new.startswith("Kadis Uji")


@pytest.mark.parametrize(
    ("who", "start_offset", "end_offset", "reason", "match"),
    [
        ("kabid", 5, 1, "Cuti", "tidak boleh sebelum tanggal mulai"),
        ("kabid", 0, 5, "", "Alasan wajib diisi"),
        ("kadis", 0, 5, "Cuti", "tidak memiliki atasan di portal"),
    ],
)
def test_delegate_rating_refuses_bad_input(world, who, start_offset, end_offset, reason, match):
    refused(
        match,
        delegate_rating,
        actor=getattr(world, who),
        start=today() + dt.timedelta(days=start_offset),
        end=today() + dt.timedelta(days=end_offset),
        reason=reason,
    )


def test_two_delegations_of_one_supervisor_may_not_overlap(world):
    delegate_rating(
        actor=world.kabid, start=today(), end=today() + dt.timedelta(days=5), reason="Cuti"
    )
    refused(
        "tumpang tindih",
        delegate_rating,
        actor=world.kabid,
        start=today() + dt.timedelta(days=5),
        end=today() + dt.timedelta(days=9),
        reason="Diklat",
    )


# --- designate_rater -------------------------------------------------------------------------


def test_a_rater_is_designated_for_an_opd_head_and_a_later_one_replaces_it(world):
    first = designate_rater(
        actor=world.admin,
        person=world.kadis,
        rater=world.kaban,
        document_ref="SK Wali Kota 800/12",
        start=since(),
    )
    second = designate_rater(
        actor=world.admin,
        person=world.kadis,
        external_rater="Wali Kota Bandung",
        document_ref="Nota Dinas 800/13",
        start=today(),
    )
    first.refresh_from_db()
    assert (first.end, second.end) == (today() - DAY, None)
    assert second.rater_label == "Wali Kota Bandung"
    entry = AuditEntry.objects.filter(kind=Kind.DESIGNATED_RATER).first()
    assert (entry.old, entry.new) == ("Kaban Uji", "Wali Kota Bandung")


@pytest.mark.parametrize(
    ("person", "rater", "external", "document", "match"),
    [
        ("kadis", "kaban", "", " ", "Dasar penunjukan (nomor atau dokumen) wajib diisi"),
        ("kadis", "kadis", "", "SK 1", "tidak dapat menjadi penilai dirinya sendiri"),
        ("kadis", None, "", "SK 1", "Pilih penilai di portal"),
        ("kadis", "kaban", "Wali Kota", "SK 1", "Isi salah satu saja"),
        ("kadis", "staff", "", "SK 1", "bawahan"),
        ("staff", "kaban", "", "SK 1", "memiliki atasan langsung"),
    ],
)
def test_designate_rater_refuses_bad_input(world, person, rater, external, document, match):
    refused(
        match,
        designate_rater,
        actor=world.admin,
        person=getattr(world, person),
        rater=getattr(world, rater) if rater else None,
        external_rater=external,
        document_ref=document,
        start=today(),
    )


def test_designate_rater_refuses_a_designation_already_recorded_later(world):
    designate_rater(
        actor=None, person=world.kadis, rater=world.kaban, document_ref="SK 1", start=today()
    )
    refused(
        "Sudah ada penunjukan penilai mulai",
        designate_rater,
        actor=None,
        person=world.kadis,
        external_rater="Wali Kota Bandung",
        document_ref="SK 2",
        start=today() - DAY,
    )


def test_the_same_post_again_brings_a_stale_snapshot_in_step(world):
    User.objects.filter(pk=world.staff.pk).update(org_unit=world.badan, atasan=world.kaban)
    post(world.staff, world.bidang, world.kabid, start=today())
    world.staff.refresh_from_db()
    assert (world.staff.org_unit, world.staff.atasan) == (world.bidang, world.kabid)
    assert Assignment.objects.filter(person=world.staff).count() == 1
