"""The register sync engine (issue 18): partial mode, the kepala_unit column, query counts flat
in the number of rows, one sync at a time, and the staffing writer's refusals by line."""

import datetime as dt
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.register_data import opd_codes, register_rows
from portal import authority
from portal.models import ADMIN_BKPSDM, AuditEntry, User
from portal.services import import_employees, read_register
from portal.signals import pre_assign_many
from portal.staffing import Assignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "nip,nama_lengkap,email,jabatan,jenis_jabatan,pangkat_golongan,status,kode_unit,nip_atasan,"
    "kepala_unit\n"
)
KADIS = "197503142000031001,Kadis,kadis@contoh.go.id,Kepala Dinas,jpt,,PNS,dinas-perhubungan,,ya\n"
KABID = (
    "198204172006042002,Kabid,kabid@contoh.go.id,Kepala Bidang,administrator,,PNS,"
    "dinas-perhubungan,197503142000031001,tidak\n"
)
STAF = (
    "199105202015031001,Staf,staf@contoh.go.id,Analis,fungsional,,PNS,dinas-perhubungan,"
    "198204172006042002,\n"
)
BAD = "12345,Salah,salah@contoh.go.id,Staf,pelaksana,,PNS,dinas-perhubungan,,\n"


def rows(text: str) -> list[dict]:
    return read_register((HEADER + text).encode(), "r.csv")


def test_partial_mode_writes_the_good_rows_and_reports_the_bad_ones():
    staf_under_bad = STAF.replace("198204172006042002,", "198609262015051001,")
    bad_atasan = (
        "198609262015051001,Bad,bad@contoh.go.id,Staf,jabatan-aneh,,PNS,dinas-perhubungan,,\n"
    )
    result = import_employees(
        rows=rows(KADIS + BAD + bad_atasan + staf_under_bad + KABID), partial=True
    )
    assert result.partial and not result.ok
    assert sorted(result.created) == ["197503142000031001", "198204172006042002"]
    assert result.bad_lines == [3, 4, 5]
    by_line = {e.line: e.message for e in result.errors}
    assert "18 angka" in by_line[3]
    assert "jabatan-aneh" in by_line[4]
    assert "baris 4" in by_line[5]  # its atasan is a new person on a bad row
    assert set(
        User.objects.filter(email__endswith="@contoh.go.id").values_list("nip", flat=True)
    ) == {
        "197503142000031001",
        "198204172006042002",
    }
    kabid = User.objects.get(nip="198204172006042002")
    assert kabid.atasan.nip == "197503142000031001"
    assert AuditEntry.objects.filter(subject=kabid, kind=AuditEntry.Kind.CREATED).exists()


def test_without_partial_one_bad_row_still_refuses_the_whole_file():
    result = import_employees(rows=rows(KADIS + BAD))
    assert [e.line for e in result.errors] == [3]
    assert not User.objects.filter(nip="197503142000031001").exists()


def test_a_partial_dry_run_counts_the_good_rows_and_writes_nothing():
    result = import_employees(rows=rows(KADIS + BAD + KABID), partial=True, dry_run=True)
    assert (result.written, result.bad_lines) == (2, [3])
    assert not User.objects.filter(email__endswith="@contoh.go.id").exists()


def test_kepala_unit_says_who_holds_the_head_post():
    import_employees(rows=rows(KADIS + KABID + STAF))
    kadis = User.objects.get(nip="197503142000031001")
    assert kadis.assignments.get().is_head
    assert authority.head_of(kadis.org_unit) == kadis
    assert not User.objects.get(nip="198204172006042002").assignments.get().is_head


def test_two_heads_for_one_unit_are_refused():
    second = KABID.replace(",tidak", ",ya")
    result = import_employees(rows=rows(KADIS + second))
    assert [(e.line, "sudah diisi di baris 2" in e.message) for e in result.errors] == [(3, True)]


def test_a_head_post_held_by_someone_who_keeps_it_is_refused_until_they_give_it_up():
    assert import_employees(rows=rows(KADIS)).ok
    claim = KABID.replace(",tidak", ",ya")
    result = import_employees(rows=rows(claim))
    assert ["masih dipegang Kadis" in e.message for e in result.errors] == [True]
    handover = KADIS.replace(",ya", ",tidak")
    assert import_employees(rows=rows(handover + claim)).ok
    assert (
        authority.head_of(User.objects.get(nip="198204172006042002").org_unit).full_name == "Kabid"
    )


def test_an_unknown_kepala_unit_value_is_reported():
    result = import_employees(rows=rows(KADIS.replace(",ya", ",mungkin")))
    assert ["kepala_unit 'mungkin'" in e.message for e in result.errors] == [True]


def test_a_refusal_of_the_staffing_writer_drops_only_that_row_in_partial_mode():
    import_employees(rows=rows(KADIS + KABID + STAF))
    staf = User.objects.get(nip="199105202015031001")

    def refuse(sender, *, changes, day, **kw):
        return {p.pk: ["Periode terkunci."] for p, _old, _new in changes if p.pk == staf.pk}

    pre_assign_many.connect(refuse, sender=Assignment, dispatch_uid="test-refuse")
    try:
        moved = STAF.replace("Analis,", "Analis Muda,")
        kabid = KABID.replace("Kepala Bidang,", "Kepala Bidang Lalu Lintas,")
        whole = import_employees(rows=rows(KADIS + kabid + moved))
        part = import_employees(rows=rows(KADIS + kabid + moved), partial=True)
    finally:
        pre_assign_many.disconnect(sender=Assignment, dispatch_uid="test-refuse")
    assert [(e.line, e.message) for e in whole.errors] == [(4, "Periode terkunci.")]
    assert [(e.line, e.message) for e in part.errors] == [(4, "Periode terkunci.")]
    assert User.objects.get(nip="198204172006042002").jabatan == "Kepala Bidang Lalu Lintas"
    assert User.objects.get(nip="199105202015031001").jabatan == "Analis"


def _statements(queries) -> list[str]:
    """The statements run, one per kind of statement in a row (SQLite splits a bulk INSERT or
    UPDATE into batches of 999 parameters: its batches count once)."""
    kinds = []
    for query in queries:
        sql = query["sql"]
        kind = sql.split(" WHERE ")[0][:60] if sql.startswith(("INSERT", "UPDATE")) else sql[:60]
        if connection.vendor == "postgresql" or not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return kinds


def _import_queries(n: int, codes: list[str], offset: int) -> tuple[list[str], list[str]]:
    data = register_rows(n, codes, offset=offset)
    with CaptureQueriesContext(connection) as first:
        assert import_employees(rows=data).ok
    for row in data:  # a month later: everyone has a new jabatan
        row["jabatan"] += " (baru)"
    Assignment.objects.filter(person__nip__in=[r["nip"] for r in data]).update(
        start=authority.today() - dt.timedelta(days=40)
    )
    with CaptureQueriesContext(connection) as second:
        assert import_employees(rows=data).ok
    return _statements(first.captured_queries), _statements(second.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows():
    codes = opd_codes(10)
    small = _import_queries(50, codes[:5], offset=0)
    large = _import_queries(500, codes[5:], offset=1000)
    assert len(small[0]) == len(large[0]), (small[0], large[0])
    assert len(small[1]) == len(large[1]), (small[1], large[1])
    assert User.objects.filter(email__endswith="@sinkron.bandung.go.id").count() == 550


def _statements_of(**kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        import_employees(**kwargs)
    return _statements(queries.captured_queries)


def test_a_dry_run_and_a_partial_sync_take_as_many_queries_for_10_rows_as_for_100():
    codes = opd_codes(4)
    small, large = register_rows(10, codes[:2]), register_rows(100, codes[2:], offset=500)
    dry = [_statements_of(rows=data, dry_run=True) for data in (small, large)]
    assert len(dry[0]) == len(dry[1]), dry
    for data in (small, large):  # one bad row in each: left out, the others written
        data.append({**data[-1], "nip": "12345", "email": f"salah{len(data)}@contoh.go.id"})
    partial = [_statements_of(rows=data, partial=True) for data in (small, large)]
    assert len(partial[0]) == len(partial[1]), partial
    assert User.objects.filter(email__endswith="@sinkron.bandung.go.id").count() == 110


def test_new_people_are_written_with_their_post_history_audit_and_no_password():
    codes = opd_codes(3)
    data = register_rows(60, codes)
    with CaptureQueriesContext(connection) as queries:
        result = import_employees(rows=data)
    assert result.ok and len(result.created) == 60
    if connection.vendor == "postgresql":  # inserted with their unit and atasan: no UPDATE
        statements = [q["sql"] for q in queries.captured_queries]
        assert not [sql for sql in statements if sql.startswith('UPDATE "portal_user"')]
        assert sum(sql.startswith('COPY "portal_user"') for sql in statements) == 1
    people = User.objects.filter(nip__in=[r["nip"] for r in data])
    by_nip = {person.nip: person for person in people.select_related("atasan")}
    posts = {a.person_id: a for a in Assignment.objects.filter(person__in=people)}
    for row in data:
        person = by_nip[row["nip"]]
        post = posts[person.pk]  # one row each, open from today, as the snapshot says
        assert (post.start, post.end, post.source) == (authority.today(), None, "impor")
        assert (person.org_unit_id, person.atasan_id) == (post.org_unit_id, post.atasan_id)
        assert (person.atasan.nip if person.atasan else "") == row["nip_atasan"]
        assert post.is_head == (row["kepala_unit"] == "ya")
        assert not person.has_usable_password()
    assert len({person.password for person in by_nip.values()}) == 60
    kinds = AuditEntry.objects.filter(subject__in=people).values_list("kind", flat=True)
    heads = sum(row["kepala_unit"] == "ya" for row in data)
    assert sorted(kinds) == sorted(
        [AuditEntry.Kind.CREATED, AuditEntry.Kind.ORG_UNIT, AuditEntry.Kind.JABATAN] * 60
        + [AuditEntry.Kind.ATASAN] * (60 - heads)
        + [AuditEntry.Kind.HEAD_POST] * heads
    )
    entry = AuditEntry.objects.get(subject=by_nip[data[0]["nip"]], kind=AuditEntry.Kind.ORG_UNIT)
    assert (entry.source, entry.old, entry.actor) == ("import", "—", None)
    assert entry.new == str(by_nip[data[0]["nip"]].org_unit)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_sync_while_one_writes_is_refused_and_saves_nothing(another_sync):
    result = import_employees(rows=rows(KADIS + KABID))
    another_sync()
    assert [e.line for e in result.errors] == [0] and result.busy
    assert "sinkronisasi register lain sedang berjalan" in result.errors[0].message.lower()
    assert (result.created, result.updated) == ([], [])
    assert not User.objects.filter(nip="197503142000031001").exists()
    assert import_employees(rows=rows(KADIS + KABID)).ok  # after the other one: it goes through


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_upload_page_keeps_the_file_while_another_sync_writes(client, tmp_path, another_sync):
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    path = tmp_path / "register.csv"
    path.write_text(HEADER + KADIS + KABID)
    with path.open("rb") as handle:  # the check writes nothing: it does not wait for the lock
        assert client.post("/admin/pegawai/impor/", {"file": handle}).status_code == 200
    busy = client.post("/admin/pegawai/impor/", {"action": "confirm"})
    html = busy.content.decode()
    assert busy.status_code == HTTPStatus.CONFLICT
    assert "Sinkronisasi register lain sedang berjalan (dari unggahan atau API)." in html
    assert "tekan Impor sekarang lagi dalam beberapa menit" in html
    assert "Impor sekarang</button>" in html
    assert not User.objects.filter(nip=KADIS[:18]).exists()
    another_sync()
    done = client.post("/admin/pegawai/impor/", {"action": "confirm"}, follow=True)
    assert "2 pegawai dibuat, 0 pegawai diperbarui." in done.content.decode()
    assert User.objects.filter(nip__in=[KADIS[:18], KABID[:18]]).count() == 2


def test_the_upload_page_offers_partial_mode_with_good_and_bad_rows(client, tmp_path):
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    assert "Impor sebagian" in client.get("/admin/pegawai/impor/").content.decode()
    path = tmp_path / "register.csv"
    path.write_text(HEADER + KADIS + BAD + KABID)
    with path.open("rb") as handle:
        whole = client.post("/admin/pegawai/impor/", {"file": handle})
    assert whole.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Impor sekarang" not in whole.content.decode()
    with path.open("rb") as handle:
        response = client.post("/admin/pegawai/impor/", {"file": handle, "partial": "on"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Baris benar: 2 pegawai akan disimpan." in html
    assert "Baris salah: 1 baris dilewati" in html and "18 angka" in html
    assert "Impor sekarang" in html and not User.objects.filter(nip=KADIS[:18]).exists()
    response = client.post("/admin/pegawai/impor/", {"action": "confirm"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Baris benar: 2 pegawai disimpan." in html and "18 angka" in html
    assert User.objects.filter(nip__in=[KADIS[:18], KABID[:18]]).count() == 2
    entry = AuditEntry.objects.get(subject__nip=KADIS[:18], kind=AuditEntry.Kind.CREATED)
    assert entry.actor == admin
