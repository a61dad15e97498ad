"""The supervisor's job, walked as Rina (atasan@demo.local) would: from the beranda to her team,
review Fajar's waiting report, write feedback, rate it (the predikat shown before it locks, and
confirmed), then recognise Dimas, which his open board shows live (his own browser, websocket)."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import PeriodicReport

from .conftest import WIDTHS
from .harness import sign_in

ROLE = "atasan"
MESSAGE = "Aplikasi pengaduan diuji bersama warga sebelum rilis; terima kasih, Dimas."


@pytest.mark.parametrize("width", WIDTHS)
def test_supervisor_journey(journey, width):
    waiting = PeriodicReport.objects.get(skp__employee__email="fajar@demo.local", status="diajukan")
    first_rhk = waiting.skp.rhks.order_by("order").first()
    page = journey.new_page()

    with journey.step("masuk"):
        sign_in(page, "atasan@demo.local")
        expect(page).to_have_url(re.compile(r"/beranda/$"))
        expect(page.get_by_text("2 laporan bawahan menunggu penilaian Anda.")).to_be_visible()

    with journey.step("tim-saya"):
        page.get_by_role("link", name="Tim saya").last.click()
        expect(page.get_by_role("heading", name="Tim saya")).to_be_visible()
        expect(page.get_by_text("2 laporan menunggu penilaian Anda.")).to_be_visible()

    with journey.step("tinjau-laporan"):
        page.locator("tr", has_text="Fajar Nugraha").get_by_role("link", name="Nilai").click()
        expect(page).to_have_url(re.compile(rf"/kinerja/laporan/{waiting.pk}/$"))
        expect(page.get_by_role("heading", name=re.compile(r"^Laporan Triwulan"))).to_be_visible()

    with journey.step("umpan-balik"):
        thread = page.locator(".thread", has_text=first_rhk.text).first
        thread.get_by_label("Pesan").fill("Uptime sudah baik. Lampirkan grafik pemantauan bulanan.")
        thread.get_by_role("button", name="Kirim umpan balik").click()
        expect(
            page.locator(".thread", has_text=first_rhk.text).first.get_by_text("grafik pemantauan")
        ).to_be_visible()

    with journey.step("penilaian-pilih"):
        rating = page.locator("#penilaian")
        rating.locator("fieldset", has_text="Rating hasil kerja").get_by_label(
            "Di Atas Ekspektasi"
        ).check()
        rating.locator("fieldset", has_text="Rating perilaku kerja").get_by_label(
            "Sesuai Ekspektasi"
        ).check()

    # Issue 15 item 4: the predikat that follows is shown, and confirmed, before anything locks.
    with journey.step("penilaian-konfirmasi"):
        rating.get_by_role("button", name="Lihat predikat dan konfirmasi").click()
        confirm = page.locator("#konfirmasi-penilaian")
        expect(confirm).to_contain_text("Baik")
        expect(page.get_by_test_id("predikat")).to_have_count(0)  # nothing locked yet
        waiting.refresh_from_db()
        journey.check(waiting.status == "diajukan", "the preview locked the report already")

    with journey.step("laporan-dinilai"):
        confirm.get_by_role("button", name="Ya, simpan dan kunci penilaian").click()
        expect(page.get_by_test_id("predikat")).to_have_text("Predikat: Baik")
        expect(page.get_by_text("Dinilai dan terkunci")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "dinilai" and waiting.predikat == "baik"

    # Dimas has the board open on his own device.
    board = journey.new_page()
    with journey.step("papan-pegawai-terbuka", board):
        sign_in(board, "pegawai@demo.local")
        expect(board).to_have_url(re.compile(r"/beranda/$"))
        board.goto("/papan/")
        expect(board.locator(".board-status")).to_have_text("Langsung")
        board.evaluate("window.__noReload = true")

    with journey.step("beri-apresiasi", page):
        page.goto("/beranda/")
        page.get_by_role("link", name="Beri Apresiasi").first.click()
        page.wait_for_load_state()  # htmx listens from DOMContentLoaded on
        page.get_by_label("Cari rekan berdasarkan nama atau NIP").fill("Dimas")
        page.get_by_role("radio", name=re.compile("Dimas Pratama")).check()
        page.locator("label.value-option", has_text="Kolaboratif").click()
        page.get_by_text("25 poin", exact=True).click()
        page.locator("#id_message").fill(MESSAGE)

    with journey.step("apresiasi-terkirim", page):
        page.get_by_role("button", name="Kirim apresiasi").click()
        expect(page).to_have_url(re.compile(r"/papan/saya/"))
        expect(page.get_by_text("Apresiasi untuk Dimas Pratama, S.Kom. terkirim.")).to_be_visible()

    with journey.step("apresiasi-tampil-langsung", board):
        expect(board.locator(".board-feed")).to_contain_text(MESSAGE)
        assert board.evaluate("window.__noReload") is True  # arrived on the socket

    journey.finish()
