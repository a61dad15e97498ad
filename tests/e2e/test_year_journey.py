"""A whole year of a city that changes under the portal (issue 17), walked in the browser.

Three OPDs and a Sekretaris Daerah, seeded the way the demo seeds (assignments, approved SKPs,
the first half year's reports rated); everything after that is done through the pages, signed
in as each person, on the days it would happen. The days move with a test clock: the test and
the forked server read `django.utils.timezone.now` through an offset kept in a file (nothing
in the portal reads the date another way).

- 24 September: Rudi reports Triwulan III on his Diskominfo-like post.
- 2 October: Admin BKPSDM records his transfer (from 1 October) to another OPD under a new
  pejabat penilai, and a Plt Kepala Dinas for an OPD whose head post is vacant (1 October to
  31 January). The old pejabat penilai rates Triwulan III; Rudi fills and submits the SKP of the
  new post; the new pejabat penilai reads the old SKP read-only and approves; the Plt rates.
- 20 November: Rudi reports Triwulan IV on the new SKP; the old pejabat penilai is refused it,
  the new one rates it.
- 12 January: Admin BKPSDM closes the year; the capaian organisasi is set by the leader above
  (the Sekda in the portal, also for the head she is the designated rater of; Admin BKPSDM
  records it for an OPD whose head post is vacant); every
  annual rating is given (the head at the top by the rater designated for him, the unit heads
  following their capaian); every OPD is finalised (by its head, and by the Plt); Admin BKPSDM
  corrects Rudi's rating with a reason and a document and Rudi reads it in his history.
- 10 February: the Plt's appointment has ended; her rights with it.

At 1366 px the whole year; at 390 px the same year with the employee's and the raters' pages on
a phone (Admin BKPSDM's pages stay at 1366). Screenshots of each step go
to /work/shots/year17/<width>/ (or $YEAR_JOURNEY_SHOTS).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect

from performance.models import AnnualRating, PeriodicReport, Skp, UnitEvaluation
from tests.e2e.conftest import enter_totp
from tests.e2e.journeys.harness import Journey, sign_in
from tests.factories import PASSWORD
from tests.performance.files import pdf_bytes

from .year_world import YEAR, seed_year, set_clock, start_clock

SHOTS = Path(os.environ.get("YEAR_JOURNEY_SHOTS", "/work/shots/year17"))
DESK = 1366

# --- the test clock and the start state (year_world.py) ----------------------------------------


@pytest.fixture(scope="module")
def clock():
    stop = start_clock()
    yield set_clock
    stop()


@pytest.fixture(scope="module")
def live_server_url(clock, live_server_url):
    """The server forks after the clock is in place, so it reads the same clock."""
    return live_server_url


@pytest.fixture
def year(clock, transactional_db):
    set_clock(dt.date(YEAR, 9, 22))

    def seed():
        try:
            return seed_year()
        finally:
            connections.close_all()

    # in a worker thread: Playwright keeps an event loop in this one (see journeys/conftest.py)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(seed).result()


class YearJourney(Journey):
    @property
    def directory(self) -> Path:
        return SHOTS / str(self.width)


@pytest.fixture
def journey(browser, live_server_url, year, width):
    walk = YearJourney(browser=browser, base_url=live_server_url, role="tahun", width=width)
    shutil.rmtree(walk.directory, ignore_errors=True)
    yield walk
    walk.close()


# --- what people do ------------------------------------------------------------------------------


def person_page(journey, who, name: str, *, width: int | None = None):
    page = journey.new_page(width=width)
    with journey.step(f"masuk-{name}", page):
        sign_in(page, who.nip, PASSWORD)
        expect(page).to_have_url(re.compile(r"/beranda/$"))
    return page


def admin_page(journey, year):
    page = journey.new_page(width=DESK)
    with journey.step("masuk-admin", page):
        sign_in(page, year["admin"].nip, PASSWORD)
        enter_totp(page, year["secret"])
        expect(page).to_have_url(re.compile(r"/beranda/$"))
    return page


def fill_report(journey, page, name: str, values: dict[str, str], narrative: str):
    with journey.step(f"{name}-isi", page):
        page.goto("/kinerja/")
        page.get_by_role("button", name="Isi laporan").click()
        expect(page).to_have_url(re.compile(r"/kinerja/laporan/\d+/$"))
        for indicator, value in values.items():
            page.get_by_label(f"Realisasi: {indicator}").fill(value)
        page.get_by_label("Narasi capaian periode ini").fill(narrative)
        page.get_by_label("Berkas bukti dukung").set_input_files(
            {"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        page.get_by_label("Keterangan", exact=True).fill("Berita acara")
        page.get_by_role("button", name="Unggah bukti dukung").click()
        expect(page.get_by_role("link", name="bukti.pdf")).to_be_visible()
    with journey.step(f"{name}-diajukan", page):
        for indicator, value in values.items():  # kept by the upload; typed again if not
            page.get_by_label(f"Realisasi: {indicator}").fill(value)
        page.get_by_label("Narasi capaian periode ini").fill(narrative)
        page.get_by_role("button", name="Simpan dan ajukan").click()
        expect(page.get_by_text("Laporan diajukan kepada pejabat penilai.")).to_be_visible()
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def rate_report(journey, page, name: str, *, predikat="Baik"):
    with journey.step(f"{name}-konfirmasi", page):
        rating = page.locator("#penilaian")
        for group in ("Rating hasil kerja", "Rating perilaku kerja"):
            rating.locator("fieldset", has_text=group).get_by_label("Sesuai Ekspektasi").check()
        rating.get_by_role("button", name="Lihat predikat dan konfirmasi").click()
        expect(page.locator("#konfirmasi-penilaian")).to_contain_text(predikat)
    with journey.step(f"{name}-dinilai", page):
        page.locator("#konfirmasi-penilaian").get_by_role(
            "button", name="Ya, simpan dan kunci penilaian"
        ).click()
        expect(page.get_by_test_id("predikat")).to_have_text(f"Predikat: {predikat}")


def open_from_team(journey, page, name: str, employee: str, link: str = "Nilai"):
    with journey.step(f"{name}-tim", page):
        page.goto("/kinerja/tim/")
        expect(page.get_by_role("heading", name="Tim saya")).to_be_visible()
        page.locator("tr", has_text=employee).get_by_role("link", name=link).first.click()
        expect(page).to_have_url(re.compile(r"/kinerja/laporan/\d+/$"))


def rate_annual(journey, page, name: str, employee: str, *, year: int = YEAR, hasil=True):
    with journey.step(f"{name}-tahunan", page):
        page.goto(f"/kinerja/evaluasi/?tahun={year}")
        page.locator("#judul-dinilai").locator("xpath=..").get_by_role(
            "link", name=employee
        ).click()
        expect(page).to_have_url(re.compile(r"/kinerja/evaluasi/skp/\d+/$"))
        for group in (
            ("Rating hasil kerja", "Rating perilaku kerja") if hasil else ("Rating perilaku kerja",)
        ):
            page.get_by_role("group", name=group).get_by_label("Sesuai Ekspektasi").check()
        page.get_by_role("button", name="Simpan penilaian tahunan").click()
        expect(page.locator("#predikat-tahunan")).to_have_text("Baik")


def open_unit(page, unit_name: str, year: int = YEAR):
    page.goto(f"/kinerja/evaluasi/?tahun={year}")
    search = page.get_by_label("Cari perangkat daerah")
    if search.count():  # Admin BKPSDM sees every OPD of the city, 20 a page
        search.fill(unit_name)
        page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_role("link", name=unit_name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/kinerja/evaluasi/{year}/unit/\d+/$"))


def set_capaian(journey, page, name: str, unit_name: str, *, penetap: str = ""):
    with journey.step(f"{name}-capaian", page):
        open_unit(page, unit_name)
        page.get_by_role("combobox", name="Capaian kinerja organisasi").select_option(label="Baik")
        if penetap:
            page.get_by_label("Pimpinan yang menetapkan (nama dan jabatan)").fill(penetap)
            page.get_by_label("Nomor dokumen penetapan").fill("800/7-Setda/2027")
            page.get_by_role("button", name="Catat capaian").click()
        else:
            page.get_by_role("button", name="Tetapkan capaian").click()
        expect(page.locator("#capaian-nilai")).to_have_text("Baik")


def finalise(journey, page, name: str, unit_name: str, people: int):
    with journey.step(f"{name}-tetapkan", page):
        open_unit(page, unit_name)
        reason = page.get_by_label("Alasan menetapkan meski menyimpang dari pola kurva")
        if reason.count():
            reason.fill("Unit kecil; semua pegawai bekerja sesuai ekspektasi tahun ini.")
        page.get_by_role("button", name="Tetapkan predikat").click()
        expect(page.locator("#konfirmasi-tetapkan")).to_contain_text(f"{people} pegawai")
    with journey.step(f"{name}-final", page):
        page.get_by_role("button", name="Ya, tetapkan dan kunci").click()
        expect(page.get_by_text("Predikat unit ditetapkan dan dikunci.")).to_be_visible()


# --- the year ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [DESK, 390])
def test_a_year_that_changes_under_the_portal(journey, year, width):
    p, unit = year, year["unit"]

    # 24 September: Triwulan III on the old post ----------------------------------------------
    set_clock(dt.date(YEAR, 9, 24))
    rudi = person_page(journey, p["rudi"], "rudi-sep")
    q3 = fill_report(journey, rudi, "rudi-tw3", {"Server": "8"}, "Server aplikasi terpelihara.")

    # 2 October: the transfer and the Plt, recorded by Admin BKPSDM -------------------------
    set_clock(dt.date(YEAR, 10, 2))
    admin = admin_page(journey, year)
    with journey.step("admin-cari-pegawai", admin):
        admin.goto("/kepegawaian/")
        admin.get_by_label("Cari NIP atau nama").fill("Rudi")
        admin.get_by_role("button", name="Cari").click()
        admin.get_by_role("link", name="Rudi Pindah").click()
        expect(admin.get_by_role("heading", name="Rudi Pindah")).to_be_visible()
    with journey.step("admin-mutasi", admin):
        form = admin.locator("form", has=admin.get_by_role("button", name="Simpan penempatan"))
        form.get_by_label("Unit kerja").select_option(label="Bidang Layanan Tujuan")
        form.get_by_label("Jabatan", exact=True).fill("Pranata Komputer Ahli Muda")
        form.get_by_label("Jenis jabatan").select_option("fungsional")
        form.get_by_label("NIP atasan langsung").fill(p["kabid_b"].display_nip)
        form.get_by_label("Berlaku mulai").fill(f"{YEAR}-10-01")
        form.get_by_label("Nomor SK").fill(f"821.2/88-BKPSDM/{YEAR}")
        form.get_by_role("button", name="Simpan penempatan").click()
        expect(admin.get_by_text("Penempatan Rudi Pindah dicatat")).to_be_visible()
    with journey.step("admin-plt", admin):
        admin.goto("/kepegawaian/plt/")
        admin.get_by_label("NIP pejabat Plt/Plh").fill(p["plt"].nip)
        admin.get_by_label("Pelaksana Tugas (Plt)").check()
        admin.get_by_label("Unit kerja").select_option(label="Dinas Tanpa Kepala")
        admin.get_by_label("Mulai").fill(f"{YEAR}-10-01")
        admin.get_by_label("Sampai").fill(f"{YEAR + 1}-01-31")
        admin.get_by_label("Nomor SK").fill(f"800.1.3/Plt.10-{YEAR}-BKPSDM")
        admin.get_by_role("button", name="Simpan Plt/Plh").click()
        expect(admin.get_by_text("dicatat untuk Yayah Plt")).to_be_visible()
    skps = list(Skp.objects.filter(employee=p["rudi"]).order_by("starts_on"))
    assert [s.starts_on for s in skps] == [dt.date(YEAR, 1, 1), dt.date(YEAR, 10, 1)], skps
    old_skp, new_skp = skps

    # the old pejabat penilai finishes what was submitted before the transfer
    kabid_a = person_page(journey, p["kabid_a"], "kabid-asal-okt", width=width)
    with journey.step("kabid-asal-tim", kabid_a):
        kabid_a.goto("/kinerja/tim/")
        waiting = kabid_a.get_by_test_id(f"menunggu-{q3}")
        if journey.check(waiting.count() == 1, "old rater: Rudi's Triwulan III not on Tim saya"):
            waiting.get_by_role("link", name="Nilai").click()
        else:
            kabid_a.goto(f"/kinerja/laporan/{q3}/")
        expect(kabid_a).to_have_url(re.compile(rf"/kinerja/laporan/{q3}/$"))
    rate_report(journey, kabid_a, "kabid-asal-tw3")

    # Rudi fills the SKP of his new post, cascading from his new atasan
    rudi = person_page(journey, p["rudi"], "rudi-okt", width=width)
    with journey.step("rudi-skp-baru", rudi):
        rudi.goto("/kinerja/")
        rudi.get_by_role("link", name="Lengkapi SKP").click()
        expect(rudi).to_have_url(re.compile(rf"/kinerja/skp/{new_skp.pk}/$"))
        expect(rudi.locator("main")).to_contain_text("Dibuat karena mutasi/promosi")
        rudi.get_by_label("Rencana hasil kerja").fill("Sistem informasi puskesmas tersambung")
        rudi.get_by_label("RHK atasan yang diintervensi").select_option(
            label="Data puskesmas tersambung"
        )
        rudi.get_by_role("button", name="Simpan RHK").click()
        expect(rudi.get_by_text("Sistem informasi puskesmas tersambung").first).to_be_visible()
    with journey.step("rudi-skp-indikator", rudi):
        rudi.get_by_text("Tambah indikator").click()
        rudi.get_by_label("Indikator kinerja individu").fill("Puskesmas yang tersambung")
        rudi.get_by_label("Target").fill("20")
        rudi.get_by_label("Satuan").fill("puskesmas")
        rudi.get_by_role("button", name="Simpan indikator").click()
        expect(rudi.get_by_text("Puskesmas yang tersambung")).to_be_visible()
    with journey.step("rudi-skp-diajukan", rudi):
        rudi.get_by_role("button", name="Ajukan SKP").click()
        expect(rudi.locator("main")).to_contain_text("Diajukan")

    # the new pejabat penilai reads the old SKP read-only and approves the new one
    kabid_b = person_page(journey, p["kabid_b"], "kabid-tujuan-okt", width=width)
    with journey.step("kabid-tujuan-skp-lama", kabid_b):
        kabid_b.goto(old_skp.get_absolute_url())
        expect(kabid_b.get_by_test_id("hanya-baca")).to_be_visible()
        expect(kabid_b.get_by_role("button", name="Setujui SKP")).to_have_count(0)
    with journey.step("kabid-tujuan-setujui", kabid_b):
        kabid_b.get_by_role("link", name="Buka SKP yang berlaku").click()
        kabid_b.get_by_role("button", name="Setujui SKP").click()
        expect(kabid_b.locator("main")).to_contain_text("Disetujui")

    # the Plt rates the Kabid Lalu Lintas as head of his OPD
    plt = person_page(journey, p["plt"], "plt-okt", width=width)
    expect(plt.get_by_test_id("plt-saya")).to_contain_text("kepala Dinas Tanpa Kepala")
    with journey.step("plt-tim", plt):
        plt.goto("/kinerja/tim/")
        expect(plt.locator("main")).to_contain_text("Kabid Lalin")
        row = plt.locator("tr", has_text="Kabid Lalin")
        row.get_by_role("link", name="Nilai").first.click()
        expect(plt).to_have_url(re.compile(r"/kinerja/laporan/\d+/$"))
    rate_report(journey, plt, "plt-tw3")
    expect(plt.locator("main")).to_contain_text("oleh Plt Yayah Plt")  # the report's history
    lalin_q3 = PeriodicReport.objects.get(skp__employee=p["kabid_c"], period__number=3)
    assert lalin_q3.rated_by_id == p["plt"].pk

    # 20 November: Triwulan IV on the new post ----------------------------------------------
    set_clock(dt.date(YEAR, 11, 20))
    rudi = person_page(journey, p["rudi"], "rudi-nov", width=width)
    q4 = fill_report(
        journey, rudi, "rudi-tw4", {"Puskesmas yang tersambung": "15"}, "15 puskesmas tersambung."
    )
    kabid_a = person_page(journey, p["kabid_a"], "kabid-asal-nov", width=width)
    with journey.step("kabid-asal-ditolak", kabid_a, expect_status=(403, 404)):
        kabid_a.goto("/kinerja/tim/")
        expect(kabid_a.get_by_test_id(f"menunggu-{q4}")).to_have_count(0)
        response = kabid_a.goto(f"/kinerja/laporan/{q4}/")
        journey.check(response.status in (403, 404), f"old rater opened Q4: {response.status}")
    kabid_b = person_page(journey, p["kabid_b"], "kabid-tujuan-nov", width=width)
    open_from_team(journey, kabid_b, "kabid-tujuan-tw4", "Rudi Pindah")
    rate_report(journey, kabid_b, "kabid-tujuan-tw4")

    # 12 January: the year is closed, rated and finalised ------------------------------------
    set_clock(dt.date(YEAR + 1, 1, 12))
    admin = admin_page(journey, year)
    with journey.step("admin-tutup-siklus", admin):
        admin.goto("/kinerja/admin/")
        admin.get_by_role("link", name=str(YEAR)).first.click()
        admin.get_by_role("button", name="Tutup siklus").click()
        expect(admin.get_by_role("button", name="Buka kembali siklus")).to_be_visible()
    # the head of Dinas Tanpa Kepala's post is vacant: no leader above it in the portal, so
    # Admin BKPSDM records what the leader set, with the document
    set_capaian(journey, admin, "admin-tanpa-kepala", "Dinas Tanpa Kepala", penetap="Sekda")

    # the Sekda is the leader above both Kepala Dinas (Kadis Asal's designated rater, Kadis
    # Tujuan's atasan): the Sekda sets both OPDs' capaian in the portal
    sekda = person_page(journey, p["sekda"], "sekda-jan")
    set_capaian(journey, sekda, "sekda-asal", "Dinas Asal Mutasi")
    set_capaian(journey, sekda, "sekda-tujuan", "Dinas Tujuan Mutasi")
    rate_annual(journey, sekda, "sekda-kadis-tujuan", "Kadis Tujuan", hasil=False)
    rate_annual(journey, sekda, "sekda-kadis-asal", "Kadis Asal", hasil=False)

    kadis_a = person_page(journey, p["kadis_a"], "kadis-asal-jan")
    rate_annual(journey, kadis_a, "kadis-asal-kabid", "Kabid Asal")
    finalise(journey, kadis_a, "kadis-asal", "Dinas Asal Mutasi", 2)

    kabid_b = person_page(journey, p["kabid_b"], "kabid-tujuan-jan", width=width)
    with journey.step("kabid-tujuan-rudi-tahunan", kabid_b):
        kabid_b.goto(f"/kinerja/evaluasi/skp/{new_skp.pk}/")
        expect(kabid_b.get_by_test_id("skp-sebelumnya")).to_contain_text("Triwulan III")
    rate_annual(journey, kabid_b, "kabid-tujuan-rudi", "Rudi Pindah")

    kadis_b = person_page(journey, p["kadis_b"], "kadis-tujuan-jan")
    rate_annual(journey, kadis_b, "kadis-tujuan-kabid", "Kabid Tujuan")
    finalise(journey, kadis_b, "kadis-tujuan", "Dinas Tujuan Mutasi", 3)

    plt = person_page(journey, p["plt"], "plt-jan", width=width)
    rate_annual(journey, plt, "plt-kabid-lalin", "Kabid Lalin")
    finalise(journey, plt, "plt", "Dinas Tanpa Kepala", 1)

    with journey.step("admin-koreksi", admin):
        admin.goto(f"/kinerja/evaluasi/skp/{new_skp.pk}/")
        admin.get_by_role("link", name="Koreksi (Admin BKPSDM)").click()
        form = admin.locator(
            "section", has=admin.get_by_role("heading", name="Koreksi penilaian tahunan")
        )
        for group in ("Rating hasil kerja", "Rating perilaku kerja"):
            form.get_by_role("group", name=group).get_by_label("Di Atas Ekspektasi").check()
        form.get_by_label("Alasan koreksi").fill("Triwulan IV di jabatan baru belum dihitung")
        form.get_by_label("Dokumen dasar koreksi").fill("ND 800/45/BKPSDM")
        form.get_by_role("button", name="Simpan koreksi penilaian").click()
        expect(admin.get_by_text("Penilaian tahunan dikoreksi")).to_be_visible()
    for key, name in [
        ("asal", "Dinas Asal Mutasi"),
        ("tujuan", "Dinas Tujuan Mutasi"),
        ("tanpa-kepala", "Dinas Tanpa Kepala"),
    ]:
        with journey.step(f"admin-final-{key}", admin):
            open_unit(admin, name)
            expect(admin.get_by_text("dan terkunci")).to_be_visible()
    final = UnitEvaluation.objects.filter(cycle__year=YEAR, finalised_at__isnull=False)
    assert {u.org_unit_id for u in final} == {
        unit["asal"].pk,
        unit["tujuan"].pk,
        unit["plt"].pk,
    }
    assert AnnualRating.objects.get(skp=new_skp).predikat == "sangat_baik"

    rudi = person_page(journey, p["rudi"], "rudi-jan", width=width)
    with journey.step("rudi-riwayat", rudi):
        rudi.goto("/kinerja/evaluasi/")
        rudi.get_by_role("link", name="Predikat tahunan saya").click()
        history = rudi.locator("#riwayat-perubahan")
        expect(rudi.locator("#predikat-tahunan")).to_have_text("Sangat Baik")
        expect(history).to_contain_text("Koreksi Admin BKPSDM")
        expect(history).to_contain_text("Triwulan IV di jabatan baru belum dihitung")
        expect(history).to_contain_text("ND 800/45/BKPSDM")

    # 10 February: the Plt's appointment ended on 31 January ----------------------------------
    set_clock(dt.date(YEAR + 1, 2, 10))
    plt = person_page(journey, p["plt"], "plt-feb", width=width)
    expect(plt.get_by_test_id("plt-saya")).to_have_count(0)
    with journey.step("plt-berakhir", plt, expect_status=(403, 404)):
        plt.goto("/kinerja/tim/")
        expect(plt.locator("main")).not_to_contain_text("Kabid Lalin")
        response = plt.goto(f"/kinerja/evaluasi/{YEAR}/unit/{unit['plt'].pk}/")
        journey.check(
            response.status in (403, 404), f"ended Plt opened the unit: {response.status}"
        )

    journey.finish()
