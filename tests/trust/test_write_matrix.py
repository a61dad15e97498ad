"""The write side of the role x URL matrix (issue 14): for every POST route, every role sends a
well-formed request, and the state afterwards is what that role may cause.

tests/test_permission_matrix.py sends an empty POST, which only reaches a view's first read
check; here the form is valid, so the service's own rule must refuse. The state compared is
every row of every table of the portal's apps (the world is small), so a refused request that
changes anything at all — a notification, a counter, a flag — fails.

WRITES has one entry per POST route of tests/permission_matrix.py (a new POST route without
one fails `test_every_post_route_has_a_write`): the path, a valid form built from the world,
and the roles that may change state with it. Roles: tests/matrix_world.py plus the fuzz
world's `head` (the supervisor's atasan), `drafter` (a colleague with a draft SKP) and
`learner` (a colleague with an open quiz).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from api.services import create_token
from portal.staffing import ActingAppointment
from tests.helpers import module_world
from tests.matrix_world import ROLES
from tests.permission_matrix import ROUTES
from tests.trust.fuzz import _counted_models, build_fuzz_world

pytestmark = pytest.mark.django_db

WRITE_ROLES = (*ROLES, "head", "drafter", "learner")
SIGNED_IN = tuple(role for role in WRITE_ROLES if role != "anonymous")
# Columns that change on every request of a signed-in person, whatever it does.
VOLATILE = {"last_login"}


class Write(NamedTuple):
    path: str  # filled from world.ids
    data: Callable  # world -> form data
    may: tuple[str, ...]  # the roles whose request may change state
    # world -> extra ids: puts the world in the state the write needs (inside the rollback)
    prepare: Callable | None = None


def _filled_draft(world) -> dict:
    from performance.models import Indicator, PeriodicReport, Realisasi

    report = PeriodicReport.objects.get(pk=world.ids["draft_report"])
    report.narrative = "Sudah dikerjakan"
    report.save(update_fields=["narrative"])
    _draft_evidence(world)
    for indicator in Indicator.objects.filter(rhk__skp__reports=report):
        Realisasi.objects.update_or_create(
            report=report, indicator=indicator, defaults={"value": 7}
        )
    return {}


def _draft_evidence(world) -> dict:
    import hashlib

    from django.core.files.base import ContentFile

    from performance.models import Evidence

    pdf = b"%PDF-1.4 draf"
    evidence = Evidence.objects.create(
        report_id=world.ids["draft_report"],
        file=ContentFile(pdf, name="draf.pdf"),
        original_name="draf.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=world.users["employee"],
    )
    return {"draft_evidence": evidence.pk}


def _employee_transferred(world) -> dict:
    """The drafter (no annual rating yet) moved to another atasan: their pejabat penilai lapsed."""
    from portal.models import User

    drafter = world.users["drafter"]
    User.objects.filter(pk=drafter.pk).update(atasan=world.users["other_supervisor"])
    return {"drafter_pk": drafter.pk}


def _approved_unrated_skp(world) -> dict:
    """An approved SKP of the open cycle without an annual rating: the supervisor's."""
    from performance.models import Skp

    return {"approved_skp": Skp.objects.get(employee=world.users["supervisor"]).pk}


def _learner_failed(world) -> dict:
    """The learner used up the module's attempts, all failed."""
    from training.models import QuizAttempt, TrainingModulePage

    module = TrainingModulePage.objects.get(pk=world.ids["module"])
    for _ in range(module.attempt_limit):
        QuizAttempt.objects.create(
            user=world.users["learner"],
            module=module,
            correct_count=0,
            question_count=1,
            score=0,
            passed=False,
        )
    return {}


def _confirmation(world) -> dict:
    """What the admin saw on the confirmation screen: the module's live JP and wajib."""
    from training.models import TrainingModulePage

    module = TrainingModulePage.objects.get(pk=world.ids["module"])
    mandatory = "1" if module.mandatory else "0"
    return {"jp": str(module.jp_hours), "mandatory": mandatory, "note": "Sesuai kurikulum"}


def _unconfirmed(world) -> dict:
    """A module whose JP and wajib nobody has confirmed yet."""
    from training.models import ModuleConfirmation

    ModuleConfirmation.objects.filter(module_id=world.ids["module"]).delete()
    return {}


def _closed_cycle(world) -> dict:
    from performance.models import Cycle

    Cycle.objects.filter(pk=world.ids["cycle"]).update(status=Cycle.Status.CLOSED)
    return {}


def _realisasi(world) -> dict:
    from performance.models import Indicator

    indicators = Indicator.objects.filter(rhk__skp__reports=world.ids["draft_report"])
    return {"narrative": "Realisasi bulan ini", **{f"realisasi_{i.pk}": "7" for i in indicators}}


def _quiz(world) -> dict:
    from training.models import TrainingModulePage

    module = TrainingModulePage.objects.get(pk=world.ids["module"])
    data = {"token": "5b0c6b4e-4c1a-4a4f-9d0e-1f2a3b4c5d6e"}
    for question in module.questions():
        public = question.public()
        data[f"q-{question.id}"] = public.choices[0][0]
    return data


def _period(world) -> dict:
    from performance.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(cycle=world.ids["cycle"]).order_by("pk").first()
    return {
        "period": period.pk,
        f"p{period.pk}-due_date": (period.due_date.replace(day=1)).isoformat(),
        f"p{period.pk}-is_closed": "on",
    }


def _today(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _acting_in_effect(world) -> dict:
    """The world's Plh (long over) in effect from ten days ago for a month and more."""
    start = timezone.localdate() - dt.timedelta(days=10)
    ActingAppointment.objects.filter(pk=world.ids["acting"]).update(
        start=start, end=start + dt.timedelta(days=40)
    )
    return {}


def _api_token(world) -> dict:
    """A live API token, created by the world's Admin BKPSDM."""
    token, _secret = create_token(
        actor=world.users["admin"],
        name="Sistem uji",
        scopes=["read:register"],
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return {"token": token.pk}


# the roles that have no SKP in the world's cycle yet
WITHOUT_SKP = ("head", "other_supervisor", "komunikasi", "moderator", "admin", "learner")

WRITES: dict[str, Write] = {
    # leaderboard
    "papan/beri/": Write(
        "/papan/beri/",
        lambda w: {
            "receiver": w.ids["employee"],
            "value": "kolaboratif",
            "points": "0",
            "message": "Terima kasih atas bantuannya",
            "token": "0" * 32,
        },
        tuple(r for r in SIGNED_IN if r != "employee"),
    ),
    "papan/saya/privasi/": Write(
        "/papan/saya/privasi/", lambda w: {"board_opt_out": "on"}, SIGNED_IN
    ),
    "papan/layar/kelola/": Write(
        "/papan/layar/kelola/",
        lambda w: {"org_unit": w.ids["opd"], "label": "Layar baru"},
        ("admin",),
    ),
    "papan/layar/kelola/<int:pk>/cabut/": Write(
        "/papan/layar/kelola/{kiosk}/cabut/", lambda w: {}, ("admin",)
    ),
    "papan/apresiasi/<int:pk>/cabut/": Write(
        "/papan/apresiasi/{recognition}/cabut/", lambda w: {"reason": "Tidak pantas"}, ("admin",)
    ),
    # performance: SKP
    "kinerja/skp/buat/": Write(
        "/kinerja/skp/buat/", lambda w: {"pendekatan": "kuantitatif"}, WITHOUT_SKP
    ),
    "kinerja/skp/<int:pk>/rhk/": Write(
        "/kinerja/skp/{draft_skp}/rhk/",
        lambda w: {"jenis": "utama", "text": "RHK baru", "parent_rhk": w.ids["parent_rhk"]},
        ("drafter",),
    ),
    "kinerja/skp/<int:pk>/rincian/": Write(
        "/kinerja/skp/{draft_skp}/rincian/",
        lambda w: {
            "pendekatan": "kualitatif",
            "dukungan_sumber_daya": "Anggaran",
            "skema_pertanggungjawaban": "Laporan",
            "konsekuensi": "Teguran",
        },
        ("drafter",),
    ),
    "kinerja/skp/<int:pk>/ekspektasi/": Write(
        "/kinerja/skp/{draft_skp}/ekspektasi/",
        lambda w: {"value_code": "akuntabel", "text": "Tepat waktu"},
        ("supervisor",),
    ),
    "kinerja/skp/<int:pk>/ajukan/": Write(
        "/kinerja/skp/{draft_skp}/ajukan/", lambda w: {}, ("drafter",)
    ),
    "kinerja/skp/<int:pk>/setujui/": Write(
        "/kinerja/skp/{submitted_skp}/setujui/", lambda w: {}, ("supervisor",)
    ),
    "kinerja/skp/<int:pk>/kembalikan/": Write(
        "/kinerja/skp/{submitted_skp}/kembalikan/",
        lambda w: {"note": "Perbaiki target"},
        ("supervisor",),
    ),
    # bulk approval (issue 17): each SKP through approve_skp; only its pejabat penilai changes it
    "kinerja/tim/setujui-skp/": Write(
        "/kinerja/tim/setujui-skp/",
        lambda w: {"skp": [w.ids["submitted_skp"]], "konfirmasi": "ya"},
        ("supervisor",),
    ),
    "kinerja/skp/<int:pk>/periode/<int:period_pk>/laporan/": Write(
        "/kinerja/skp/{skp}/periode/{other_period}/laporan/", lambda w: {}, ()
    ),
    "kinerja/rhk/<int:pk>/hapus/": Write(
        "/kinerja/rhk/{draft_rhk}/hapus/", lambda w: {}, ("drafter",)
    ),
    "kinerja/rhk/<int:pk>/indikator/": Write(
        "/kinerja/rhk/{draft_rhk}/indikator/",
        lambda w: {"aspek": "kuantitas", "text": "Jumlah", "target": "10", "unit": "dokumen"},
        ("drafter",),
    ),
    "kinerja/indikator/<int:pk>/hapus/": Write(
        "/kinerja/indikator/{draft_indicator}/hapus/", lambda w: {}, ("drafter",)
    ),
    # performance: reports
    "kinerja/laporan/<int:pk>/simpan/": Write(
        "/kinerja/laporan/{draft_report}/simpan/", _realisasi, ("employee",)
    ),
    "kinerja/laporan/<int:pk>/ajukan/": Write(
        "/kinerja/laporan/{draft_report}/ajukan/", lambda w: {}, ("employee",), _filled_draft
    ),
    "kinerja/laporan/<int:pk>/bukti/": Write(
        "/kinerja/laporan/{draft_report}/bukti/",
        lambda w: {"description": "Notulen", "file": _pdf()},
        ("employee",),
    ),
    "kinerja/laporan/<int:pk>/tautan/": Write(
        "/kinerja/laporan/{draft_report}/tautan/",
        lambda w: {"url": "https://contoh.go.id/bukti", "description": "Tautan"},
        ("employee",),
    ),
    "kinerja/laporan/<int:pk>/kembalikan/": Write(
        "/kinerja/laporan/{report}/kembalikan/",
        lambda w: {"note": "Lengkapi bukti"},
        ("supervisor",),
    ),
    "kinerja/laporan/<int:pk>/nilai/": Write(
        "/kinerja/laporan/{report}/nilai/",
        lambda w: {"hasil_kerja": "sesuai", "perilaku_kerja": "sesuai", "konfirmasi": "ya"},
        ("supervisor",),
    ),
    "kinerja/laporan/<int:pk>/umpan-balik/": Write(
        "/kinerja/laporan/{report}/umpan-balik/",
        lambda w: {"thread": f"rhk-{w.ids['rhk']}", "body": "Bagus, lanjutkan"},
        ("supervisor",),
    ),
    "kinerja/bukti/<int:pk>/hapus/": Write(
        "/kinerja/bukti/{draft_evidence}/hapus/", lambda w: {}, ("employee",), _draft_evidence
    ),
    "kinerja/notifikasi/": Write("/kinerja/notifikasi/", lambda w: {}, ("employee",)),
    "notifikasi/": Write("/notifikasi/", lambda w: {}, ("employee",)),
    "kinerja/admin/": Write(
        "/kinerja/admin/",
        lambda w: {"year": "2031", "kind": "monthly", "due_days": "10"},
        ("admin",),
    ),
    "kinerja/admin/siklus/<int:pk>/": Write("/kinerja/admin/siklus/{cycle}/", _period, ("admin",)),
    "kinerja/admin/penilai/<int:user_pk>/": Write(
        "/kinerja/admin/penilai/{drafter_pk}/",
        lambda w: {f"u{w.users['drafter'].pk}-penilai_nip": ""},
        ("admin",),
        _employee_transferred,
    ),
    # performance: corrections on the record (Admin BKPSDM, with a reason and a document)
    "kinerja/admin/koreksi/<int:pk>/penilaian/": Write(
        "/kinerja/admin/koreksi/{skp}/penilaian/",
        lambda w: {
            "nilai-hasil_kerja": "di_atas",
            "nilai-perilaku_kerja": "sesuai",
            "nilai-reason": "Salah input",
            "nilai-document_ref": "ND 1/2026",
        },
        ("admin",),
    ),
    "kinerja/admin/koreksi/<int:pk>/penilai/": Write(
        "/kinerja/admin/koreksi/{skp}/penilai/",
        lambda w: {
            "penilai-penilai_nip": w.users["other_supervisor"].nip,
            "penilai-reason": "Salah atasan",
            "penilai-document_ref": "SK 7/2026",
        },
        ("admin",),
    ),
    "kinerja/admin/koreksi/<int:pk>/perubahan/": Write(
        "/kinerja/admin/koreksi/{approved_skp}/perubahan/",
        lambda w: {"perubahan-reason": "Tugas baru", "perubahan-document_ref": "ND 9/2026"},
        ("admin",),
        _approved_unrated_skp,
    ),
    # performance: annual evaluation
    # Issue 17: the leader above the head sets it; the world's head has none in the portal, so
    # Admin BKPSDM records it with the document; the head may not set their own.
    "kinerja/evaluasi/<int:year>/unit/<int:pk>/capaian/": Write(
        "/kinerja/evaluasi/{year}/unit/{opd}/capaian/",
        lambda w: {
            "capaian": "baik",
            "penetap": "Sekretaris Daerah Kota Bandung",
            "document_ref": "Nota Dinas 800/1",
        },
        ("admin",),
    ),
    "kinerja/evaluasi/<int:year>/unit/<int:pk>/tetapkan/": Write(
        "/kinerja/evaluasi/{year}/unit/{opd}/tetapkan/",
        lambda w: {"justification": "Sesuai kurva", "konfirmasi": "ya"},
        (),
    ),
    "kinerja/evaluasi/skp/<int:pk>/nilai/": Write(
        "/kinerja/evaluasi/skp/{skp}/nilai/",
        lambda w: {"hasil_kerja": "di_atas", "perilaku_kerja": "sesuai", "note": "Baik"},
        ("supervisor",),
        _closed_cycle,
    ),
    "kinerja/evaluasi/skp/<int:pk>/keberatan/": Write(
        "/kinerja/evaluasi/skp/{skp}/keberatan/", lambda w: {"reasons": "Saya keberatan"}, ()
    ),
    "kinerja/evaluasi/skp/<int:pk>/keberatan/putuskan/": Write(
        "/kinerja/evaluasi/skp/{objector_skp}/keberatan/putuskan/",
        lambda w: {"decision": "ditolak", "note": "Penilaian sudah sesuai"},
        ("head",),
    ),
    # training
    "pelatihan/pelajaran/<int:lesson_id>/selesai/": Write(
        "/pelatihan/pelajaran/{lesson}/selesai/",
        lambda w: {},
        SIGNED_IN,  # the learner, whose lessons are done, marks one re-read (quiz retake)
    ),
    "pelatihan/kuis/<int:module_id>/": Write("/pelatihan/kuis/{module}/", _quiz, ("learner",)),
    "pelatihan/pemantauan/percobaan/tambah/": Write(
        "/pelatihan/pemantauan/percobaan/tambah/",
        lambda w: {
            "user": w.users["learner"].pk,
            "module": w.ids["module"],
            "attempts": "1",
            "reason": "Sudah membaca ulang seluruh materi",
        },
        ("admin",),
        _learner_failed,
    ),
    "pelatihan/pengesahan/<int:module_id>/": Write(
        "/pelatihan/pengesahan/{module}/",
        _confirmation,
        ("admin",),
        _unconfirmed,
    ),
    # portal: staffing (issue 17)
    "kepegawaian/pegawai/<int:pk>/mutasi/": Write(
        "/kepegawaian/pegawai/{employee}/mutasi/",
        lambda w: {
            "org_unit": w.ids["opd"],
            "jabatan": "Analis Kebijakan",
            "jenis_jabatan": "fungsional",
            "atasan_nip": w.users["other_supervisor"].nip,
            "start": _today(),
            "sk_number": "821/1-BKPSDM",
        },
        ("admin",),
    ),
    "kepegawaian/pegawai/<int:pk>/akhiri/": Write(
        "/kepegawaian/pegawai/{employee}/akhiri/",
        lambda w: {"end": _today(), "reason": "Pensiun"},
        ("admin",),
    ),
    "kepegawaian/plt/": Write(
        "/kepegawaian/plt/",
        lambda w: {
            "person_nip": w.users["other_supervisor"].nip,
            "kind": "plh",
            "org_unit": w.ids["opd"],
            "start": _today(),
            "end": _today(30),
            "sk_number": "800/2-BKPSDM",
        },
        ("admin",),
    ),
    "kepegawaian/plt/<int:pk>/akhiri/": Write(
        "/kepegawaian/plt/{acting}/akhiri/",
        lambda w: {f"a{w.ids['acting']}-end": _today(), f"a{w.ids['acting']}-reason": "Kembali"},
        ("admin",),
        _acting_in_effect,
    ),
    "kepegawaian/penilai/<int:pk>/": Write(
        "/kepegawaian/penilai/{head_pk}/",
        lambda w: {
            "external_rater": "Wali Kota Bandung",
            "document_ref": "SK 1",
            "start": _today(),
        },
        ("admin",),
        lambda w: {"head_pk": w.users["head"].pk},
    ),
    "kepegawaian/alih-tim/": Write(
        "/kepegawaian/alih-tim/",
        lambda w: {
            "departing_nip": w.users["supervisor"].nip,
            "successor_nip": w.users["other_supervisor"].nip,
            "start": _today(),
            "sk_number": "821/2-BKPSDM",
            "people": str(w.ids["employee"]),
            "confirm": "1",
        },
        ("admin", "head"),  # the head of the OPD the supervisor works in
    ),
    # API tokens (issue 18): Admin BKPSDM only
    "kepegawaian/token-api/": Write(
        "/kepegawaian/token-api/",
        lambda w: {
            "name": "Sistem kepegawaian",
            "scopes": ["read:register"],
            "expires_on": _today(30),
            "rate_per_minute": "60",
        },
        ("admin",),
    ),
    "kepegawaian/token-api/<int:pk>/cabut/": Write(
        "/kepegawaian/token-api/{token}/cabut/", lambda w: {}, ("admin",), _api_token
    ),
    "delegasi/": Write(
        "/delegasi/",
        lambda w: {"start": _today(), "end": _today(5), "reason": "Cuti tahunan"},
        ("supervisor", "other_supervisor"),  # who has bawahan and an atasan
    ),
    "delegasi/<int:pk>/batal/": Write(
        "/delegasi/{delegation}/batal/", lambda w: {}, ("supervisor",)
    ),
    # accounts: one's own addresses only (someone else's address is refused)
    "accounts/email/": Write(
        "/accounts/email/",
        lambda w: {"email": "alamat.baru@uji.go.id", "action_add": ""},
        SIGNED_IN,
    ),
    # cms
    "cerita/persetujuan/<int:pk>/": Write(
        "/cerita/persetujuan/{consent}/", lambda w: {"decision": "setuju"}, ("employee",)
    ),
}


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")


def post_routes() -> list[str]:
    return sorted(route for route, entry in ROUTES.items() if entry.method == "POST" or entry.post)


def test_every_post_route_has_a_write():
    missing = [route for route in post_routes() if route not in WRITES]
    assert not missing, f"add a Write to tests/trust/test_write_matrix.py for: {missing}"
    assert not set(WRITES) - set(ROUTES), "WRITES names routes that are gone"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(build_fuzz_world, django_db_blocker, tmp_path_factory) as world:
        yield world


def _state_models() -> list:
    """The portal's apps, their many-to-many tables (roles), and allauth's addresses."""
    from allauth.account.models import EmailAddress

    models = _counted_models()
    through = [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    return [*models, *through, EmailAddress]


def state() -> list:
    """Every row of every table the portal writes, less the columns any login touches."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for model in _state_models():
            # its own table's columns (a page type's parent columns live in wagtailcore_page)
            own = model._meta.local_concrete_fields
            columns = [f.column for f in own if f.column not in VOLATILE]
            cursor.execute(
                f"SELECT {', '.join(quote(c) for c in columns)} "
                f"FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}"
            )
            rows.append((model._meta.label, cursor.fetchall()))
    return rows


def changed_tables(before: list, after: list) -> list[str]:
    return [label for (label, old), (_, new) in zip(before, after, strict=True) if old != new]


@pytest.mark.parametrize("role", WRITE_ROLES)
@pytest.mark.parametrize("route", sorted(WRITES))
def test_write(world, route, role):
    write = WRITES[route]
    client = Client()
    if world.users.get(role) is not None:
        client.force_login(world.users[role])
    with transaction.atomic():
        cache.clear()  # rate limits and board caches start empty
        ids = {**world.ids, **(write.prepare(world) if write.prepare else {})}
        before = state()
        response = client.post(write.path.format(**ids), write.data(world))
        after = state()
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{route} as {role}: {response.status_code}"
    changed = changed_tables(before, after)
    if role in write.may:
        assert changed, f"{route} as {role} should have changed something ({response.status_code})"
    else:
        assert not changed, f"{route} as {role} changed {changed} ({response.status_code})"
