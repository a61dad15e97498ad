"""A full period in the browser: report with evidence, dialogue, rating, predikat, lock."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from performance.demo import seed_performance_demo
from portal.demo import seed_people
from tests.e2e.conftest import login, screenshot
from tests.performance.files import pdf_bytes


@pytest.fixture
def demo(transactional_db):
    seed_people()
    seed_performance_demo()


def thread(page, title):
    return page.locator(".thread", has_text=title).first


def test_employee_reports_supervisor_gives_feedback_and_rates(new_page, demo):
    employee = new_page(phone=True)
    login(employee, "pegawai@demo.local", "portal-demo")
    employee.goto("/kinerja/")
    expect(
        employee.get_by_role("heading", name=f"Kinerja saya · {timezone.localdate().year}")
    ).to_be_visible()
    screenshot(employee, "performance-kinerja-phone")

    employee.get_by_role("button", name="Isi laporan").click()
    expect(employee).to_have_url(re.compile(r"/kinerja/laporan/\d+/$"))
    report_url = employee.url
    employee.get_by_label("Realisasi: Modul aplikasi yang selesai diuji").fill("4")
    employee.get_by_label("Realisasi: Rata-rata waktu perbaikan gangguan").fill("2,5")
    employee.get_by_label("Realisasi: Dokumen spesifikasi API").fill("1")
    employee.get_by_label("Narasi capaian periode ini").fill("Empat modul selesai diuji.")
    # Filling top to bottom on a phone: typed, not saved, then the evidence (issue 15.2)
    expect(
        employee.get_by_text("Isian Anda disimpan sebagai draf saat mengunggah bukti dukung")
    ).to_be_visible()
    employee.get_by_label("Berkas bukti dukung").set_input_files(
        {"name": "berita-acara.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    employee.get_by_label("Keterangan").fill("Berita acara uji coba")
    employee.get_by_role("button", name="Unggah bukti dukung").click()
    expect(employee.get_by_role("link", name="berita-acara.pdf")).to_be_visible()
    expect(employee.get_by_label("Realisasi: Modul aplikasi yang selesai diuji")).to_have_value("4")
    expect(employee.get_by_label("Realisasi: Rata-rata waktu perbaikan gangguan")).to_have_value(
        "2,5"
    )
    expect(employee.get_by_label("Narasi capaian periode ini")).to_have_value(
        "Empat modul selesai diuji."
    )
    screenshot(employee, "performance-report-form-phone")
    employee.get_by_role("button", name="Simpan dan ajukan").click()
    expect(employee.get_by_text("Laporan diajukan kepada pejabat penilai.")).to_be_visible()
    # The supervisor asked for a document: added after submission (issue 15.5)
    employee.get_by_label("Tautan bukti dukung").fill("https://drive.bandung.go.id/uji-beban")
    employee.get_by_role("button", name="Unggah bukti dukung").click()
    expect(
        employee.get_by_text("Bukti dukung ditambahkan; pejabat penilai diberi tahu.")
    ).to_be_visible()
    expect(employee.get_by_text("Bukti dukung ditambahkan setelah pengajuan")).to_be_visible()

    supervisor = new_page()
    login(supervisor, "atasan@demo.local", "portal-demo")
    supervisor.goto("/kinerja/tim/")
    expect(supervisor.get_by_text("2 laporan menunggu penilaian Anda.")).to_be_visible()
    screenshot(supervisor, "performance-team-desktop")
    supervisor.goto(report_url)
    rhk_thread = thread(supervisor, "Tersusunnya modul aplikasi pengaduan")
    rhk_thread.get_by_label("Pesan").fill("Bagus. Tambahkan hasil uji beban di triwulan depan.")
    rhk_thread.get_by_role("button", name="Kirim umpan balik").click()
    # htmx swaps the thread in place (no page load, so no flash message)
    expect(
        thread(supervisor, "Tersusunnya modul aplikasi pengaduan").get_by_text("uji beban")
    ).to_be_visible()
    expect(supervisor.get_by_text("Umpan balik terkirim.")).to_have_count(0)
    expect(
        thread(supervisor, "Tersusunnya modul aplikasi pengaduan").get_by_label("Pesan")
    ).to_have_value("")

    employee.goto(report_url)
    rhk_thread = thread(employee, "Tersusunnya modul aplikasi pengaduan")
    expect(rhk_thread.get_by_text("Tambahkan hasil uji beban")).to_be_visible()
    rhk_thread.get_by_label("Pesan").fill("Siap, Bu. Akan saya lampirkan.")
    rhk_thread.get_by_role("button", name="Balas").click()
    expect(
        thread(employee, "Tersusunnya modul aplikasi pengaduan").get_by_text("Akan saya lampirkan")
    ).to_be_visible()

    supervisor.goto(report_url)
    expect(supervisor.get_by_text("Siap, Bu. Akan saya lampirkan.")).to_be_visible()
    supervisor.locator("fieldset", has_text="Rating hasil kerja").get_by_label(
        "Di Atas Ekspektasi"
    ).check()
    supervisor.locator("fieldset", has_text="Rating perilaku kerja").get_by_label(
        "Sesuai Ekspektasi"
    ).check()
    supervisor.get_by_role("button", name="Lihat predikat dan konfirmasi").click()
    expect(supervisor.locator("#konfirmasi-penilaian")).to_contain_text("Baik")
    screenshot(supervisor, "performance-rating-confirmation-desktop")
    supervisor.get_by_role("button", name="Ya, simpan dan kunci penilaian").click()
    expect(supervisor.get_by_test_id("predikat")).to_have_text("Predikat: Baik")
    screenshot(supervisor, "performance-rated-report-desktop")

    employee.goto(report_url)
    expect(employee.get_by_test_id("predikat")).to_have_text("Predikat: Baik")
    expect(employee.get_by_text("Dinilai dan terkunci")).to_be_visible()
    expect(employee.get_by_role("button", name="Simpan draf")).to_have_count(0)
    expect(employee.get_by_role("button", name="Unggah bukti dukung")).to_have_count(0)
    # the dialogue goes on after rating, until the period is closed
    rhk_thread = thread(employee, "Tersusunnya modul aplikasi pengaduan")
    rhk_thread.get_by_label("Pesan").fill("Terima kasih atas penilaiannya.")
    rhk_thread.get_by_role("button", name="Balas").click()
    expect(
        thread(employee, "Tersusunnya modul aplikasi pengaduan").get_by_text(
            "Terima kasih atas penilaiannya."
        )
    ).to_be_visible()
    screenshot(employee, "performance-rated-report-phone")

    employee.goto("/kinerja/")
    expect(employee.locator("#kinerja-chart-canvas")).to_be_visible()


def test_feedback_swap_applies_no_inline_style(new_page, demo):
    """The htmx swap of a thread keeps to the CSP (style-src 'self'): a field styled through the
    CSSOM before (as Bootstrap's scripts leave one: style="") is not copied over by htmx's settle,
    which the browser would refuse and log."""
    from performance.models import PeriodicReport

    waiting = PeriodicReport.objects.filter(skp__employee__atasan__email="atasan@demo.local")
    report = waiting.filter(status="diajukan").first()
    supervisor = new_page()
    problems = []
    supervisor.on(
        "console",
        lambda message: message.type == "error" and problems.append(message.text),
    )
    login(supervisor, "atasan@demo.local", "portal-demo")
    supervisor.goto(f"/kinerja/laporan/{report.pk}/")
    first = supervisor.locator(".thread form").first
    # style set and cleared through the CSSOM: allowed by the CSP, leaves style=""
    first.locator("textarea").evaluate("(el) => { el.style.color = 'red'; el.style.color = ''; }")
    assert first.locator("textarea").get_attribute("style") == ""
    first.locator("textarea").fill("Mohon lampirkan grafik pemantauan bulanan.")
    first.get_by_role("button", name="Kirim umpan balik").click()
    expect(supervisor.get_by_text("Mohon lampirkan grafik pemantauan bulanan.")).to_be_visible()
    supervisor.wait_for_load_state("networkidle")
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_screenshots_of_workspace_skp_and_team(new_page, demo):
    for phone, suffix in ((True, "phone"), (False, "desktop")):
        page = new_page(phone=phone)
        login(page, "atasan@demo.local", "portal-demo")
        page.goto("/kinerja/")
        expect(
            page.get_by_role("heading", name=f"Kinerja saya · {timezone.localdate().year}")
        ).to_be_visible()
        screenshot(page, f"performance-kinerja-atasan-{suffix}")
        page.get_by_role("link", name="Lihat SKP").click()
        expect(page.get_by_role("heading", name=re.compile("Hasil kerja"))).to_be_visible()
        screenshot(page, f"performance-skp-{suffix}")
        page.goto("/kinerja/tim/")
        expect(page.get_by_role("heading", name="Tim saya")).to_be_visible()
        screenshot(page, f"performance-team-{suffix}")
        page.goto("/kinerja/matriks/")
        screenshot(page, f"performance-matrix-{suffix}")
        page.goto("/beranda/")
        expect(page.get_by_role("heading", name="Kinerja saya")).to_be_visible()
        screenshot(page, f"performance-beranda-{suffix}")
