"""The staffing pages (issue 17): who may open them, each form's happy path, bad input shown
with the service's Indonesian message and what was typed kept, and flat query counts."""

import datetime as dt
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import authority
from portal.models import MODERATOR_KONTEN, TIM_KOMUNIKASI, AuditEntry
from portal.notifications import Notification
from portal.staffing import ActingAppointment, Assignment, DesignatedRater, RatingDelegation
from portal.staffing.services import delegate_rating, record_acting
from tests.factories import OrgUnitFactory, UserFactory
from tests.portal.staffing_world import DAY, build_world, post, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    # Admin BKPSDM signs in with two-factor (else every page asks to set it up)
    Authenticator.objects.create(user=world.admin, type=Authenticator.Type.TOTP, data={})
    return world


def role_user(world, role: str):
    """admin: Admin BKPSDM; pegawai: staff; atasan: kabid (has bawahan); the content roles."""
    if role == "admin":
        return world.admin
    if role == "pegawai":
        return world.staff
    if role == "atasan":  # a supervisor who holds no head post
        supervisor = UserFactory(org_unit=None)
        post(supervisor, world.badan, world.kaban, jenis="pengawas")
        post(UserFactory(org_unit=None), world.badan, supervisor)
        return supervisor
    return UserFactory(groups=[{"komunikasi": TIM_KOMUNIKASI, "moderator": MODERATOR_KONTEN}[role]])


ADMIN_PAGES = [
    ("get", "/kepegawaian/?q=Uji"),
    ("get", "/kepegawaian/pegawai/{staff}/"),
    ("post", "/kepegawaian/pegawai/{staff}/mutasi/"),
    ("post", "/kepegawaian/pegawai/{staff}/akhiri/"),
    ("get", "/kepegawaian/plt/"),
    ("post", "/kepegawaian/plt/"),
    ("get", "/kepegawaian/penilai/"),
    ("get", "/kepegawaian/penilai/{kadis}/"),
    ("post", "/kepegawaian/penilai/{kadis}/"),
    ("get", "/kepegawaian/alih-tim/"),
    ("post", "/kepegawaian/alih-tim/"),
]


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
@pytest.mark.parametrize("role", ["admin", "pegawai", "atasan", "komunikasi", "moderator"])
def test_only_admin_bkpsdm_opens_the_staffing_pages(world, client, role, method, path):
    client.force_login(role_user(world, role))
    url = path.format(staff=world.staff.pk, kadis=world.kadis.pk)
    before = (Assignment.objects.count(), AuditEntry.objects.count())
    response = getattr(client, method)(url, {})
    if role == "admin":
        # an empty POST is a form with errors, shown again
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert (Assignment.objects.count(), AuditEntry.objects.count()) == before


def test_the_kelola_menu_leads_admin_bkpsdm_to_the_staffing_pages(world, client):
    client.force_login(world.admin)
    assert b'href="/kepegawaian/"' in client.get("/beranda/").content
    client.force_login(world.staff)
    assert b'href="/kepegawaian/"' not in client.get("/beranda/").content


def test_search_by_nip_or_name_finds_the_person(world, client):
    client.force_login(world.admin)
    by_nip = client.get("/kepegawaian/", {"q": world.staff.display_nip})
    assert world.staff.full_name in by_nip.content.decode()
    by_name = client.get("/kepegawaian/", {"q": "kabid uji"})
    assert f"/kepegawaian/pegawai/{world.kabid.pk}/" in by_name.content.decode()


def test_the_person_page_lists_the_assignments(world, client):
    client.force_login(world.admin)
    page = client.get(f"/kepegawaian/pegawai/{world.staff.pk}/").content.decode()
    assert "Bidang Uji Staffing" in page
    assert "Kabid Uji" in page
    assert "800/1-BKPSDM" in page


def transfer_data(world, **changes) -> dict:
    return {
        "org_unit": world.badan.pk,
        "jabatan": "Analis Kebijakan",
        "jenis_jabatan": "fungsional",
        "atasan_nip": world.kaban.nip,
        "start": today().isoformat(),
        "sk_number": "821/7-BKPSDM",
        "note": "",
        **changes,
    }


def test_a_transfer_is_recorded_on_an_sk(world, client):
    client.force_login(world.admin)
    response = client.post(
        f"/kepegawaian/pegawai/{world.staff.pk}/mutasi/", transfer_data(world), follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert "Penempatan" in response.content.decode()
    current = authority.assignment_on(world.staff)
    assert (current.org_unit, current.atasan, current.sk_number) == (
        world.badan,
        world.kaban,
        "821/7-BKPSDM",
    )
    assert current.source == Assignment.Source.SK and current.recorded_by == world.admin
    world.staff.refresh_from_db()
    assert world.staff.atasan == world.kaban


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sk_number": ""}, "Nomor SK wajib diisi"),
        ({"atasan_nip": "{staff}"}, "tidak boleh menjadi atasan dirinya sendiri"),
        ({"atasan_nip": "{staff_of_staff}"}, "rantai atasan tidak boleh melingkar"),
        ({"start": "{before_last}"}, "tidak boleh tumpang tindih"),
        ({"atasan_nip": "199901012020011999"}, "tidak ditemukan di portal"),
    ],
)
def test_a_refused_transfer_keeps_what_was_typed(world, client, changes, message):
    helper = UserFactory(org_unit=None, full_name="Bawahan Staf")
    post(helper, world.bidang, world.staff)
    values = {
        "staff": world.staff.nip,
        "staff_of_staff": helper.nip,
        "before_last": (dt.date(today().year - 1, 1, 1) - DAY).isoformat(),
    }
    data = transfer_data(world, **{k: v.format(**values) for k, v in changes.items()})
    client.force_login(world.admin)
    before = Assignment.objects.count()
    response = client.post(f"/kepegawaian/pegawai/{world.staff.pk}/mutasi/", data)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in page
    assert 'value="Analis Kebijakan"' in page  # what was typed stays
    assert Assignment.objects.count() == before


def test_ending_an_assignment_needs_a_reason_and_then_ends_it(world, client):
    client.force_login(world.admin)
    url = f"/kepegawaian/pegawai/{world.staff.pk}/akhiri/"
    refused = client.post(url, {"end": today().isoformat(), "reason": ""})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Alasan wajib diisi" in refused.content.decode()
    assert authority.assignment_on(world.staff).end is None
    done = client.post(url, {"end": today().isoformat(), "reason": "Pensiun"})
    assert done.status_code == HTTPStatus.FOUND
    assert Assignment.objects.get(person=world.staff, end__isnull=False).end == today()


# --- Plt/Plh -------------------------------------------------------------------------------------


def acting_data(world, **changes) -> dict:
    return {
        "person_nip": world.analis.nip,
        "kind": "plt",
        "org_unit": world.bidang.pk,
        "start": today().isoformat(),
        "end": (today() + dt.timedelta(days=90)).isoformat(),
        "sk_number": "800/12-BKPSDM",
        **changes,
    }


def test_a_plt_over_a_vacant_post_is_recorded(world, client):
    Assignment.objects.filter(person=world.kabid).update(is_head=False)
    client.force_login(world.admin)
    response = client.post("/kepegawaian/plt/", acting_data(world), follow=True)
    assert response.status_code == HTTPStatus.OK
    acting = ActingAppointment.objects.get()
    assert (acting.person, acting.kind, acting.org_unit) == (world.analis, "plt", world.bidang)
    assert "Sedang berlaku" in response.content.decode()
    assert world.analis.full_name in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Plt hanya untuk jabatan yang kosong"),  # the bidang's head post is filled
        ({"kind": "plh", "sk_number": ""}, "Nomor SK Plt/Plh wajib diisi"),
        ({"kind": "plh", "end": "2000-01-01"}, "tidak boleh sebelum tanggal mulai"),
    ],
)
def test_a_refused_acting_appointment_keeps_what_was_typed(world, client, changes, message):
    client.force_login(world.admin)
    response = client.post("/kepegawaian/plt/", acting_data(world, **changes))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in page
    assert f'value="{world.analis.nip}"' in page
    assert not ActingAppointment.objects.exists()


def test_an_acting_appointment_ends_early_with_a_reason(world, client):
    acting = record_acting(
        actor=world.admin,
        person=world.analis,
        kind="plh",
        org_unit=world.bidang,
        start=today(),
        end=today() + dt.timedelta(days=30),
        sk_number="800/3",
    )
    client.force_login(world.admin)
    url = f"/kepegawaian/plt/{acting.pk}/akhiri/"
    end = (today() + DAY).isoformat()
    refused = client.post(url, {f"a{acting.pk}-end": end, f"a{acting.pk}-reason": ""})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Alasan wajib diisi" in refused.content.decode()
    client.post(url, {f"a{acting.pk}-end": end, f"a{acting.pk}-reason": "Kabid kembali"})
    acting.refresh_from_db()
    assert acting.end == today() + DAY


# --- designated raters ---------------------------------------------------------------------------


def test_heads_without_an_atasan_are_listed_with_a_call_to_action(world, client):
    client.force_login(world.admin)
    page = client.get("/kepegawaian/penilai/").content.decode()
    assert world.kadis.full_name in page and world.kaban.full_name in page
    assert world.staff.full_name not in page
    assert "belum ditunjuk" in page
    assert f"/kepegawaian/penilai/{world.kadis.pk}/" in page


def test_designating_a_rater_by_nip_or_by_name(world, client):
    sekda = UserFactory(full_name="Sekda Uji", org_unit=None)
    client.force_login(world.admin)
    start = today().isoformat()
    client.post(
        f"/kepegawaian/penilai/{world.kadis.pk}/",
        {"rater_nip": sekda.nip, "document_ref": "Kep. Wali Kota 1/2026", "start": start},
    )
    client.post(
        f"/kepegawaian/penilai/{world.kaban.pk}/",
        {"external_rater": "Wali Kota Bandung", "document_ref": "SK 2", "start": start},
    )
    assert authority.designated_rater_on(world.kadis).rater == sekda
    assert authority.designated_rater_on(world.kaban).rater_label == "Wali Kota Bandung"
    page = client.get("/kepegawaian/penilai/").content.decode()
    assert "Sekda Uji" in page and "Wali Kota Bandung" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rater_nip": "{kadis}", "document_ref": "SK"}, "penilai dirinya sendiri"),
        ({"rater_nip": "{staff}", "document_ref": "SK"}, "rantai atasan tidak boleh melingkar"),
        ({"external_rater": "Wali Kota", "document_ref": ""}, "Dasar penunjukan"),
        ({"document_ref": "SK 9"}, "Pilih penilai di portal"),
    ],
)
def test_a_refused_designation_keeps_what_was_typed(world, client, data, message):
    client.force_login(world.admin)
    nips = {"kadis": world.kadis.nip, "staff": world.staff.nip}
    form = {k: v.format(**nips) for k, v in data.items()} | {"start": today().isoformat()}
    response = client.post(f"/kepegawaian/penilai/{world.kadis.pk}/", form)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in page
    for value in form.values():
        if value:
            assert f'value="{value}"' in page
    assert not DesignatedRater.objects.exists()


# --- the team ------------------------------------------------------------------------------------


def team_data(world, successor, **changes) -> dict:
    return {
        "departing_nip": world.kabid.nip,
        "successor_nip": successor.nip,
        "start": today().isoformat(),
        "sk_number": "821/9-BKPSDM",
        "note": "",
        **changes,
    }


def test_a_team_moves_to_the_successor_after_a_confirmation(world, client):
    second = UserFactory(org_unit=None, full_name="Staf Kedua")
    post(second, world.bidang, world.kabid)
    successor = UserFactory(org_unit=None, full_name="Kabid Baru")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    client.force_login(world.admin)
    before = Assignment.objects.count()
    preview = client.post("/kepegawaian/alih-tim/", team_data(world, successor))
    page = preview.content.decode()
    assert preview.status_code == HTTPStatus.OK
    assert "Staf Uji" in page and "Staf Kedua" in page and "Ya, pindahkan sekarang" in page
    assert Assignment.objects.count() == before  # nothing written before the confirmation
    assert authority.atasan_on(world.staff) == world.kabid

    people = f"{world.staff.pk},{second.pk}"
    done = client.post(
        "/kepegawaian/alih-tim/", team_data(world, successor, people=people, confirm="1")
    )
    assert done.status_code == HTTPStatus.OK
    assert "Hasil pengalihan tim" in done.content.decode()
    assert authority.atasan_on(world.staff) == successor
    assert authority.atasan_on(second) == successor
    assert authority.assignment_on(second).sk_number == "821/9-BKPSDM"


def test_the_team_summary_says_who_was_refused_and_why(world, client):
    # the successor is one of the team: they cannot become their own atasan
    second = UserFactory(org_unit=None, full_name="Staf Kedua")
    post(second, world.bidang, world.kabid)
    client.force_login(world.admin)
    people = f"{world.staff.pk},{second.pk}"
    done = client.post(
        "/kepegawaian/alih-tim/",
        team_data(world, second, people=people, confirm="1"),
    )
    page = done.content.decode()
    assert "Ditolak" in page and "tidak boleh menjadi atasan dirinya sendiri" in page
    assert authority.atasan_on(world.staff) == second
    assert authority.atasan_on(second) == world.kabid


def test_a_team_reassignment_without_an_sk_number_keeps_what_was_typed(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/kepegawaian/alih-tim/", team_data(world, world.kaban, sk_number="", note="Rotasi")
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Nomor SK wajib diisi" in page and 'value="Rotasi"' in page


def test_the_unit_head_reassigns_a_team_inside_the_unit_but_not_elsewhere(world, client):
    successor = UserFactory(org_unit=None, full_name="Kabid Baru")
    post(successor, world.bidang, world.kadis, jenis="administrator")
    client.force_login(world.kadis)  # holds the head post of the dinas, the bidang's parent
    assert client.get("/kepegawaian/alih-tim/").status_code == HTTPStatus.OK
    client.post(
        "/kepegawaian/alih-tim/",
        team_data(world, successor, people=str(world.staff.pk), confirm="1"),
    )
    assert authority.atasan_on(world.staff) == successor
    # the badan is not the kadis's unit
    refused = client.post(
        "/kepegawaian/alih-tim/",
        {**team_data(world, successor, departing_nip=world.kaban.nip), "confirm": "1"},
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert authority.atasan_on(world.analis) == world.kaban


# --- delegation ----------------------------------------------------------------------------------


def test_a_supervisor_delegates_and_the_delegate_sees_the_banner(world, client):
    client.force_login(world.kabid)
    assert "Atur delegasi penilaian" in client.get("/beranda/").content.decode()
    end = today() + dt.timedelta(days=10)
    response = client.post(
        "/delegasi/", {"start": today().isoformat(), "end": end.isoformat(), "reason": "Cuti"}
    )
    assert response.status_code == HTTPStatus.FOUND
    delegation = RatingDelegation.objects.get()
    assert delegation.delegate == world.kadis
    assert Notification.objects.filter(recipient=world.kadis).exists()
    client.force_login(world.kadis)
    page = client.get("/beranda/").content.decode()
    assert "Anda menerima delegasi penilaian dari Kabid Uji" in page


def test_a_refused_delegation_keeps_what_was_typed(world, client):
    client.force_login(world.kabid)
    response = client.post(
        "/delegasi/",
        {"start": today().isoformat(), "end": (today() - DAY).isoformat(), "reason": "Diklat"},
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "tidak boleh sebelum tanggal mulai" in page and 'value="Diklat"' in page
    assert not RatingDelegation.objects.exists()


def test_someone_without_bawahan_cannot_delegate(world, client):
    client.force_login(world.staff)
    assert "hanya untuk atasan" in client.get("/delegasi/").content.decode()
    response = client.post(
        "/delegasi/",
        {"start": today().isoformat(), "end": today().isoformat(), "reason": "Cuti"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not RatingDelegation.objects.exists()


def test_a_delegation_is_cancelled_by_its_giver_only(world, client):
    delegation = delegate_rating(
        actor=world.kabid, start=today() + DAY, end=today() + 5 * DAY, reason="Cuti"
    )
    client.force_login(world.kadis)
    assert client.post(f"/delegasi/{delegation.pk}/batal/").status_code == HTTPStatus.NOT_FOUND
    client.force_login(world.kabid)
    assert client.post(f"/delegasi/{delegation.pk}/batal/").status_code == HTTPStatus.FOUND
    assert not RatingDelegation.objects.exists()  # not begun: removed, the audit keeps it


def test_a_delegation_in_effect_ends_yesterday_when_cancelled(world, client):
    delegation = delegate_rating(
        actor=world.kabid, start=today() - 2 * DAY, end=today() + 5 * DAY, reason="Cuti"
    )
    client.force_login(world.kabid)
    client.post(f"/delegasi/{delegation.pk}/batal/")
    delegation.refresh_from_db()
    assert delegation.end == today() - DAY


# --- query counts --------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


def test_the_list_pages_cost_the_same_with_more_rows(world, client):
    client.force_login(world.admin)
    urls = ["/kepegawaian/plt/", "/kepegawaian/penilai/", f"/kepegawaian/pegawai/{world.staff.pk}/"]

    made = []

    def grow(n: int) -> None:
        for _ in range(n):
            made.append(1)
            i = len(made)
            unit = OrgUnitFactory()
            head = UserFactory(org_unit=None)
            post(head, unit, None, head=False, jenis="jpt")
            DesignatedRater.objects.create(
                person=head, external_rater="Wali Kota", document_ref="SK", start=today()
            )
            ActingAppointment.objects.create(
                person=world.analis,
                kind="plt",
                org_unit=unit,
                start=today() + i * DAY,
                end=today() + (i + 3) * DAY,
                sk_number="SK",
            )
            post(world.staff, unit, world.kaban, start=today() - (30 - i) * DAY, actor=world.admin)

    grow(2)
    [_queries(client, url) for url in urls]  # the first request warms the session and caches
    small = [_queries(client, url) for url in urls]
    grow(8)
    assert [_queries(client, url) for url in urls] == small
