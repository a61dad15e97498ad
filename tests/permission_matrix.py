"""Expected outcome of every route for every role (tests/test_permission_matrix.py).

Roles, in column order: anonymous, employee, other_employee (same OPD, unrelated), supervisor
(the employee's atasan), other_supervisor (another team), komunikasi (Tim Komunikasi),
moderator (Moderator Konten), admin (Admin BKPSDM, with TOTP).

Outcomes: ok (200), login (302 to /accounts/login/), unauth (401, the API), forbidden (403 or
a hiding 404),
redirect (any other 302), method (405), bad (400). URL parameters name an object of
tests/matrix_world.py, all owned by the employee. POST routes get an empty POST.
"""

from typing import NamedTuple


class Entry(NamedTuple):
    expect: str
    kwargs: dict = {}
    method: str = "GET"
    # for GET+POST routes: the outcome of an empty POST as well
    post: str | None = None


ROUTES = {
    "healthz/": Entry("ok ok ok ok ok ok ok ok"),
    "admin/login/": Entry("login login login login login login login login"),
    "admin/password_reset/": Entry(
        "redirect redirect redirect redirect redirect redirect redirect redirect"
    ),
    "accounts/email/": Entry(
        "login ok ok ok ok ok ok ok",
        post="login redirect redirect redirect redirect redirect redirect redirect",
    ),
    "beranda/": Entry("login ok ok ok ok ok ok ok"),
    "beranda/data-saya/": Entry("login ok ok ok ok ok ok ok"),
    "beranda/riwayat-jabatan/": Entry("login ok ok ok ok ok ok ok"),
    "notifikasi/": Entry("login ok ok ok ok ok ok ok"),
    # staffing (issue 17): Admin BKPSDM; the team page also for unit heads (none among these
    # roles); delegation for everyone signed in (the service refuses who has no bawahan)
    "kepegawaian/": Entry("login forbidden forbidden forbidden forbidden forbidden forbidden ok"),
    "kepegawaian/pegawai/<int:pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"pk": "employee"}
    ),
    "kepegawaian/pegawai/<int:pk>/mutasi/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "employee"},
        method="POST",
    ),
    "kepegawaian/pegawai/<int:pk>/akhiri/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "employee"},
        method="POST",
    ),
    "kepegawaian/plt/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        post="login forbidden forbidden forbidden forbidden forbidden forbidden bad",
    ),
    "kepegawaian/plt/<int:pk>/akhiri/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "acting"},
        method="POST",
    ),
    "kepegawaian/penilai/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kepegawaian/penilai/<int:pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        {"pk": "employee"},
        post="login forbidden forbidden forbidden forbidden forbidden forbidden bad",
    ),
    "kepegawaian/alih-tim/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        post="login forbidden forbidden forbidden forbidden forbidden forbidden bad",
    ),
    # the REST API (issue 18): tokens for Admin BKPSDM; a session reads with its own rights,
    # never writes (the write operations answer 405 to GET, and take tokens only)
    "kepegawaian/token-api/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        post="login forbidden forbidden forbidden forbidden forbidden forbidden bad",
    ),
    "kepegawaian/token-api/<int:pk>/cabut/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "employee"},  # no token of that id: Admin BKPSDM gets 404
        method="POST",
    ),
    "api/v1/": Entry(
        "forbidden forbidden forbidden forbidden forbidden forbidden forbidden forbidden"
    ),
    "api/v1/openapi.json": Entry("ok ok ok ok ok ok ok ok"),
    "api/v1/docs/": Entry("ok ok ok ok ok ok ok ok"),
    "api/v1/register/units": Entry("unauth ok ok ok ok ok ok ok"),
    "api/v1/register/units/<code>": Entry(
        "method method method method method method method method", {"code": "opd_code"}
    ),
    "api/v1/register/employees": Entry("unauth ok ok ok ok ok ok ok"),
    "api/v1/register/employees/<nip>": Entry(
        "unauth ok forbidden forbidden forbidden forbidden forbidden ok", {"nip": "nip"}
    ),
    "api/v1/register/sync": Entry("method method method method method method method method"),
    "api/v1/register/employees/<nip>/end": Entry(
        "method method method method method method method method", {"nip": "nip"}
    ),
    "api/v1/performance/employees/<nip>/skp": Entry(
        "unauth ok forbidden ok forbidden forbidden forbidden ok", {"nip": "nip"}
    ),
    "api/v1/performance/units/<code>/skp": Entry(
        "unauth ok ok ok ok ok ok ok", {"code": "opd_code"}
    ),
    "api/v1/training/employees/<nip>": Entry(
        "unauth ok forbidden forbidden forbidden forbidden forbidden ok", {"nip": "nip"}
    ),
    "api/v1/recognition/employees/<nip>": Entry("unauth ok ok ok ok ok ok ok", {"nip": "nip"}),
    "delegasi/": Entry("login ok ok ok ok ok ok ok", post="login bad bad bad bad bad bad bad"),
    "delegasi/<int:pk>/batal/": Entry(
        "login forbidden forbidden redirect forbidden forbidden forbidden forbidden",
        {"pk": "delegation"},
        method="POST",
    ),
    "papan/": Entry("login ok ok ok ok ok ok ok"),
    "papan/snapshot/": Entry("forbidden ok ok ok ok ok ok ok"),
    "papan/layar/": Entry(
        "forbidden forbidden forbidden forbidden forbidden forbidden forbidden forbidden"
    ),
    "papan/layar/kelola/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        post="login forbidden forbidden forbidden forbidden forbidden forbidden ok",
    ),
    "papan/layar/kelola/<int:pk>/cabut/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden redirect",
        {"pk": "kiosk"},
        method="POST",
    ),
    "papan/beri/": Entry("login ok ok ok ok ok ok ok", post="login ok ok ok ok ok ok ok"),
    "papan/beri/cari/": Entry("login ok ok ok ok ok ok ok"),
    "papan/saya/": Entry("login ok ok ok ok ok ok ok"),
    "papan/saya/privasi/": Entry(
        "login redirect redirect redirect redirect redirect redirect redirect", method="POST"
    ),
    "papan/tinjau/": Entry("login forbidden forbidden forbidden forbidden forbidden forbidden ok"),
    "papan/apresiasi/<int:pk>/cabut/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden redirect",
        {"pk": "recognition"},
        method="POST",
    ),
    "papan/lencana/penerbit.json": Entry("ok ok ok ok ok ok ok ok"),
    "papan/lencana/kelas/<slug:slug>.json": Entry("ok ok ok ok ok ok ok ok", {"slug": "badge"}),
    "papan/lencana/kelas/<slug:slug>.svg": Entry("ok ok ok ok ok ok ok ok", {"slug": "badge"}),
    "papan/lencana/<uuid:uid>.json": Entry("ok ok ok ok ok ok ok ok", {"uid": "award"}),
    "papan/lencana/<uuid:uid>/": Entry("ok ok ok ok ok ok ok ok", {"uid": "award"}),
    "kinerja/": Entry("login ok ok ok ok ok ok ok"),
    "kinerja/skp/buat/": Entry(
        "login redirect redirect redirect redirect redirect redirect redirect", method="POST"
    ),
    "kinerja/skp/<int:pk>/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}
    ),
    "kinerja/skp/<int:pk>/rhk/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}, method="POST"
    ),
    "kinerja/skp/<int:pk>/rincian/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}, method="POST"
    ),
    "kinerja/skp/<int:pk>/ekspektasi/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}, method="POST"
    ),
    "kinerja/skp/<int:pk>/ajukan/": Entry(
        "login redirect forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/skp/<int:pk>/setujui/": Entry(
        "login forbidden forbidden redirect forbidden forbidden forbidden forbidden",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/skp/<int:pk>/kembalikan/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}, method="POST"
    ),
    "kinerja/skp/<int:pk>/periode/<int:period_pk>/laporan/": Entry(
        "login redirect forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "skp", "period_pk": "period"},
        method="POST",
    ),
    "kinerja/rhk/<int:pk>/hapus/": Entry(
        "login redirect forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "rhk"},
        method="POST",
    ),
    "kinerja/rhk/<int:pk>/indikator/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "rhk"}, method="POST"
    ),
    "kinerja/indikator/<int:pk>/hapus/": Entry(
        "login redirect forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "indicator"},
        method="POST",
    ),
    "kinerja/laporan/<int:pk>/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}
    ),
    "kinerja/laporan/<int:pk>/simpan/": Entry(
        "login ok forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "report"},
        method="POST",
    ),
    "kinerja/laporan/<int:pk>/ajukan/": Entry(
        "login ok forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "report"},
        method="POST",
    ),
    "kinerja/laporan/<int:pk>/bukti/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}, method="POST"
    ),
    "kinerja/laporan/<int:pk>/tautan/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}, method="POST"
    ),
    "kinerja/laporan/<int:pk>/kembalikan/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}, method="POST"
    ),
    "kinerja/laporan/<int:pk>/nilai/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}, method="POST"
    ),
    "kinerja/laporan/<int:pk>/umpan-balik/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "report"}, method="POST"
    ),
    "kinerja/bukti/<int:pk>/unduh/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "evidence"}
    ),
    "kinerja/bukti/<int:pk>/hapus/": Entry(
        "login redirect forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "evidence"},
        method="POST",
    ),
    "kinerja/tim/": Entry("login ok ok ok ok ok ok ok"),
    # an empty POST picks no SKP: the team page again, with the reason (issue 17)
    "kinerja/tim/setujui-skp/": Entry("login bad bad bad bad bad bad bad", method="POST"),
    "kinerja/matriks/": Entry("login ok ok ok ok ok ok ok"),
    "kinerja/matriks/<int:user_pk>/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"user_pk": "employee"}
    ),
    # moved to /notifikasi/ (portal); the old address redirects there
    "kinerja/notifikasi/": Entry(
        "login redirect redirect redirect redirect redirect redirect redirect"
    ),
    "kinerja/admin/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        post="login forbidden forbidden forbidden forbidden forbidden forbidden ok",
    ),
    "kinerja/admin/siklus/<int:pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        {"pk": "cycle"},
        post="login forbidden forbidden forbidden forbidden forbidden forbidden forbidden",
    ),
    "kinerja/admin/penilai/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    # An empty POST re-points to the current atasan: nothing lapsed in the world, so "bad".
    "kinerja/admin/penilai/<int:user_pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"user_pk": "employee"},
        method="POST",
    ),
    # Corrections on the record (issue 17): Admin BKPSDM only; an empty POST is a bad form.
    "kinerja/admin/riwayat/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kinerja/admin/riwayat/unduh.xlsx": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kinerja/admin/koreksi/<int:pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"pk": "skp"}
    ),
    "kinerja/admin/koreksi/<int:pk>/penilaian/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/admin/koreksi/<int:pk>/penilai/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/admin/koreksi/<int:pk>/perubahan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/evaluasi/": Entry("login ok ok ok ok ok ok ok"),
    "kinerja/evaluasi/<int:year>/unit/<int:pk>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok",
        {"year": "year", "pk": "opd"},
    ),
    "kinerja/evaluasi/<int:year>/unit/<int:pk>/capaian/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"year": "year", "pk": "opd"},
        method="POST",
    ),
    "kinerja/evaluasi/<int:year>/unit/<int:pk>/tetapkan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden bad",
        {"year": "year", "pk": "opd"},
        method="POST",
    ),
    "kinerja/evaluasi/skp/<int:pk>/": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}
    ),
    "kinerja/evaluasi/skp/<int:pk>/nilai/": Entry(
        "login bad forbidden bad forbidden forbidden forbidden bad", {"pk": "skp"}, method="POST"
    ),
    "kinerja/evaluasi/skp/<int:pk>/keberatan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/evaluasi/skp/<int:pk>/keberatan/putuskan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "skp"},
        method="POST",
    ),
    "kinerja/evaluasi/skp/<int:pk>/dokumen.pdf": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden forbidden", {"pk": "skp"}
    ),
    # the e-Kinerja-shaped export (issue 18): per OPD for Admin BKPSDM (and an OPD's head, not
    # among these roles); per person for whoever may see the SKP
    "kinerja/evaluasi/<int:year>/skp-ekinerja.xlsx": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"year": "year"}
    ),
    "kinerja/evaluasi/<int:year>/skp-ekinerja.json": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"year": "year"}
    ),
    "kinerja/evaluasi/skp/<int:pk>/ekinerja.xlsx": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}
    ),
    "kinerja/evaluasi/skp/<int:pk>/ekinerja.json": Entry(
        "login ok forbidden ok forbidden forbidden forbidden ok", {"pk": "skp"}
    ),
    "kinerja/evaluasi/<int:year>/predikat.xlsx": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"year": "year"}
    ),
    "kinerja/pemantauan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kinerja/pemantauan/unduh.xlsx": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kinerja/pemantauan/nama.xlsx": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "kinerja/pemantauan/<int:pk>/terlambat/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", {"pk": "opd"}
    ),
    "pelatihan/status/": Entry("ok ok ok ok ok ok ok ok"),
    "pelatihan/progres/<int:module_id>/": Entry("ok ok ok ok ok ok ok ok", {"module_id": "module"}),
    "pelatihan/pelajaran/<int:lesson_id>/selesai/": Entry(
        "login redirect redirect redirect redirect redirect redirect redirect",
        {"lesson_id": "lesson"},
        method="POST",
    ),
    "pelatihan/kuis/<int:module_id>/": Entry(
        "login redirect redirect redirect redirect redirect redirect redirect",
        {"module_id": "module"},
        post="login redirect redirect redirect redirect redirect redirect redirect",
    ),
    "pelatihan/kuis/hasil/<int:pk>/": Entry(
        "login ok forbidden forbidden forbidden forbidden forbidden forbidden", {"pk": "attempt"}
    ),
    "pelatihan/pemantauan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "pelatihan/pemantauan/csv/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "pelatihan/pemantauan/xlsx/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "pelatihan/pemantauan/percobaan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "pelatihan/pemantauan/percobaan/tambah/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok", method="POST"
    ),
    "pelatihan/pengesahan/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden ok"
    ),
    "pelatihan/pengesahan/<int:module_id>/": Entry(
        "login forbidden forbidden forbidden forbidden forbidden forbidden redirect",
        {"module_id": "module"},
        method="POST",
    ),
    "sertifikat/": Entry("ok ok ok ok ok ok ok ok"),
    "sertifikat/<str:code>/": Entry("ok ok ok ok ok ok ok ok", {"code": "certificate"}),
    "sertifikat/<str:code>/pdf/": Entry(
        "login ok forbidden forbidden forbidden forbidden forbidden ok", {"code": "certificate"}
    ),
    "cari/": Entry("ok ok ok ok ok ok ok ok"),
    "cerita/feed/rss/": Entry("ok ok ok ok ok ok ok ok"),
    "cerita/feed/atom/": Entry("ok ok ok ok ok ok ok ok"),
    "cerita/persetujuan/<int:pk>/": Entry(
        "login ok forbidden forbidden forbidden forbidden forbidden forbidden",
        {"pk": "consent"},
        post="login ok forbidden forbidden forbidden forbidden forbidden forbidden",
    ),
}

# Entry points of third-party URLconfs (not walked) and Wagtail pages; {module} etc. are
# filled from World.paths.
EXTRA_PATHS = {
    "/": Entry("ok ok ok ok ok ok ok ok"),
    # Wagtail's admin: a signed-in person without access gets the 403 page (it was a redirect to
    # the login page, which sends a signed-in person back: a loop; portal.middleware).
    "/admin/": Entry("login forbidden forbidden forbidden forbidden ok ok ok"),
    "/admin/pages/": Entry(
        "login forbidden forbidden forbidden forbidden redirect redirect redirect"
    ),
    "/admin/users/": Entry("login forbidden forbidden forbidden forbidden redirect redirect ok"),
    "/admin/pegawai/impor/": Entry(
        "login forbidden forbidden forbidden forbidden redirect redirect ok"
    ),
    "/admin/pegawai/riwayat/": Entry(
        "login forbidden forbidden forbidden forbidden redirect redirect ok"
    ),
    "/django-admin/": Entry(
        "redirect redirect redirect redirect redirect redirect redirect redirect"
    ),
    "/documents/": Entry(
        "forbidden forbidden forbidden forbidden forbidden forbidden forbidden forbidden"
    ),
    "/accounts/login/": Entry("ok redirect redirect redirect redirect redirect redirect redirect"),
    "/pelatihan/": Entry("ok ok ok ok ok ok ok ok"),
    "/cerita/": Entry("ok ok ok ok ok ok ok ok"),
    "{module}": Entry("ok ok ok ok ok ok ok ok"),
    "{lesson}": Entry("login ok ok ok ok ok ok ok"),
    "/cerita/cerita-matriks/": Entry(
        "forbidden forbidden forbidden forbidden forbidden forbidden forbidden forbidden"
    ),
}
