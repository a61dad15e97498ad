"""The employee's year, walked as Dimas (pegawai@demo.local) would: sign in, finish the mandatory
training (lessons, quiz, certificate), report the current period with evidence (typing first,
uploading after), reply to the supervisor's feedback, watch the live board, thank a colleague and
download personal data."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from performance import services as performance
from performance.models import PeriodicReport
from portal.demo import demo_user
from tests.performance.files import pdf_bytes
from training.demo import SOSIALISASI_SLUG
from training.models import TrainingModulePage

from .conftest import WIDTHS
from .harness import sign_in

ROLE = "pegawai"
NARRATIVE = "Tiga modul aplikasi pengaduan selesai diuji bersama Dinas Kependudukan."
REALISASI = {
    "Modul aplikasi yang selesai diuji": "3",
    "Rata-rata waktu perbaikan gangguan": "2,5",
    "Dokumen spesifikasi API": "1",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_employee_journey(journey, width, tmp_path):
    page = journey.new_page()
    employee = demo_user("pegawai")
    module = TrainingModulePage.objects.get(slug=SOSIALISASI_SLUG)
    lessons = list(module.lessons())

    with journey.step("masuk"):
        sign_in(page, "pegawai@demo.local")
        expect(page.get_by_role("heading", name=re.compile("Dimas Pratama"))).to_be_visible()

    # --- training -------------------------------------------------------------------------
    with journey.step("katalog-pelatihan"):
        page.get_by_role("link", name="Buka katalog pelatihan").click()
        card = page.locator(".module-card", has_text=module.title)
        expect(card.get_by_text("Belum dimulai")).to_be_visible()
        card.get_by_role("link", name=module.title).click()
        expect(page.get_by_text(f"0 dari {len(lessons)} pelajaran")).to_be_visible()

    with journey.step("pelajaran"):
        page.get_by_role("link", name=re.compile(lessons[0].title)).first.click()
        expect(page.get_by_role("heading", name=lessons[0].title, exact=True)).to_be_visible()
    for n, lesson in enumerate(lessons):
        expect(page.get_by_role("heading", name=lesson.title, exact=True)).to_be_visible()
        page.get_by_role("button", name=re.compile(r"^Tandai selesai")).click()
        if n == len(lessons) - 2:
            with journey.step("pelajaran-terakhir"):
                expect(
                    page.get_by_role("heading", name=lessons[-1].title, exact=True)
                ).to_be_visible()

    with journey.step("kuis"):
        expect(page.get_by_role("heading", name=f"Kuis: {module.title}")).to_be_visible()
        for question in module.questions():
            for token in question.correct_tokens:
                page.locator(f'input[value="{token}"]').check()

    with journey.step("kuis-lulus"):
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_role("heading", name="Selamat, Anda lulus!")).to_be_visible()

    with journey.step("sertifikat"):
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh sertifikat (PDF)").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        text = PdfReader(str(path)).pages[0].extract_text()
        journey.check(
            employee.full_name in text and module.title in text,
            f"certificate PDF names neither {employee.full_name!r} nor the module: {text[:200]!r}",
        )
        page.get_by_role("link", name="Halaman verifikasi sertifikat").click()
        expect(page.get_by_text("Sertifikat sah")).to_be_visible()

    # --- the report: type first, upload after -------------------------------------------
    with journey.step("kinerja-saya"):
        page.goto("/beranda/")
        page.get_by_role("link", name="Buka kinerja saya").click()
        expect(
            page.get_by_role("heading", name=re.compile(r"^Kinerja saya · \d{4}"))
        ).to_be_visible()

    with journey.step("laporan-diketik"):
        page.get_by_role("button", name="Isi laporan").click()
        expect(page).to_have_url(re.compile(r"/kinerja/laporan/\d+/$"))
        for indicator, value in REALISASI.items():
            page.get_by_label(f"Realisasi: {indicator}").fill(value)
        page.get_by_label("Narasi capaian periode ini").fill(NARRATIVE)
    report_url = page.url

    with journey.step("bukti-diunggah"):
        page.get_by_label("Berkas bukti dukung").set_input_files(
            {"name": "berita-acara-uji.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        page.get_by_label("Keterangan", exact=True).fill("Berita acara uji coba modul")
        page.get_by_role("button", name="Unggah bukti dukung").click()
        expect(page.get_by_role("link", name="berita-acara-uji.pdf")).to_be_visible()
        # Nothing typed is ever lost (issue 15 item 2).
        kept = {
            indicator: page.get_by_label(f"Realisasi: {indicator}").input_value()
            for indicator in REALISASI
        }
        kept_narrative = page.get_by_label("Narasi capaian periode ini").input_value()
        if not journey.check(
            kept == REALISASI and kept_narrative == NARRATIVE,
            f"typed values lost by the evidence upload: realisasi {kept}, narasi {kept_narrative!r}",
        ):
            for indicator, value in REALISASI.items():  # the user types it all again
                page.get_by_label(f"Realisasi: {indicator}").fill(value)
            page.get_by_label("Narasi capaian periode ini").fill(NARRATIVE)

    with journey.step("laporan-diajukan"):
        page.get_by_role("button", name="Simpan dan ajukan").click()
        expect(page.get_by_text("Laporan diajukan kepada pejabat penilai.")).to_be_visible()
    report = PeriodicReport.objects.get(pk=int(report_url.rstrip("/").rsplit("/", 1)[1]))
    assert report.status == "diajukan" and report.narrative == NARRATIVE

    # Meanwhile the supervisor asks a question in the first RHK's thread.
    first_rhk = report.skp.rhks.order_by("order").first()
    performance.add_feedback(
        actor=demo_user("atasan"),
        report=report,
        rhk=first_rhk,
        body="Bagus. Bisa dilampirkan juga hasil uji bebannya?",
    )

    with journey.step("balas-umpan-balik"):
        page.goto(report_url)
        thread = page.locator(".thread", has_text=first_rhk.text).first
        expect(thread.get_by_text("hasil uji bebannya")).to_be_visible()
        thread.get_by_label("Pesan").fill("Siap, Bu. Hasil uji beban saya lampirkan minggu ini.")
        thread.get_by_role("button", name="Balas").click()
        expect(
            page.locator(".thread", has_text=first_rhk.text).first.get_by_text(
                "Hasil uji beban saya"
            )
        ).to_be_visible()

    # --- the board, a thank-you, personal data ------------------------------------------
    with journey.step("papan-langsung"):
        page.goto("/beranda/")
        page.get_by_role("link", name="Lihat papan").click()
        expect(page.locator(".board-status")).to_have_text("Langsung")

    with journey.step("ucapan-terima-kasih"):
        page.get_by_role("link", name="Beri Apresiasi").first.click()
        expect(page.get_by_role("heading", name="Beri Apresiasi")).to_be_visible()
        page.wait_for_load_state()  # htmx listens from DOMContentLoaded on
        page.get_by_label("Cari rekan berdasarkan nama atau NIP").fill("Fajar")
        page.get_by_role("radio", name=re.compile("Fajar Nugraha")).check()
        page.locator("label.value-option", has_text="Harmonis").click()
        page.get_by_text("Ucapan terima kasih (tanpa poin)").click()
        page.locator("#id_message").fill("Terima kasih sudah menemani uji coba modul sampai malam.")

    with journey.step("terima-kasih-terkirim"):
        page.get_by_role("button", name="Kirim apresiasi").click()
        expect(page).to_have_url(re.compile(r"/papan/saya/"))
        expect(page.get_by_text(re.compile("Fajar Nugraha.*terkirim"))).to_be_visible()

    with journey.step("unduh-data-saya"):
        page.goto("/beranda/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh data saya (JSON)").click()
        data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        journey.check(
            data["sections"]["portal"]["profile"]["email"] == "pegawai@demo.local",
            "personal data download: profile e-mail missing",
        )

    journey.finish()
