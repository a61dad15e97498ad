"""Annual close in the browser: Admin BKPSDM reads the monitoring page and downloads the XLSX;
the Kepala Dinas finalises a unit after seeing the kurva distribusi warning."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from performance.demo import previous_period
from performance.evaluation_demo import last_year
from performance.models import PeriodicReport, UnitEvaluation
from portal.demo import demo_user
from tests.e2e.conftest import enter_totp, login, screenshot, seed_evaluation_world


@pytest.fixture
def demo(transactional_db):
    return seed_evaluation_world()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_admin_reads_monitoring_and_downloads_xlsx(new_page, demo, phone, tmp_path):
    period = previous_period()  # the demo's monitoring period
    page = new_page(phone=phone)
    login(page, "bkpsdm@demo.local", "portal-demo")
    enter_totp(page, demo)
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.goto(f"/kinerja/pemantauan/?periode={period.pk}")
    expect(page.get_by_role("heading", name="Pemantauan seluruh kota")).to_be_visible()
    table = page.locator("table")
    row = table.locator("tr", has_text="Dinas Kesehatan")
    expect(row).to_be_visible()
    expect(page.locator("#pemantauan-chart")).to_be_visible()
    screenshot(page, f"evaluation-monitoring-{'phone' if phone else 'desktop'}")

    row.get_by_role("link", name="Siapa belum lapor?").click()
    expect(page.get_by_role("heading", name="Dinas Kesehatan")).to_be_visible()
    expect(
        page.get_by_text("Lina Herlina")
    ).to_be_visible()  # late (or, days after the due date, not yet)
    expect(page.get_by_text("Ujang Sopandi")).to_be_visible()  # not submitted
    names = page.locator("tbody td:first-child")
    expect(names.filter(has_text="Bambang Hermawan")).to_have_count(0)  # on time
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh XLSX").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Perangkat daerah", "Pegawai", "SKP disetujui")
    dinkes = next(r for r in rows if r[0] == "Dinas Kesehatan")
    # on time, late, missing (Lina submits 10 days late: before that day she is missing)
    lina_late = PeriodicReport.objects.filter(skp__employee=demo_user("lina"), period=period)
    assert dinkes[3:6] == ((1, 1, 2) if lina_late.exists() else (1, 0, 3))


def test_kepala_dinas_finalises_after_a_kurva_warning(new_page, demo):
    page = new_page()
    login(page, "kadis.kominfo@demo.local", "portal-demo")
    year = last_year()
    page.goto(f"/kinerja/evaluasi/?tahun={year}")
    page.get_by_role("link", name="Dinas Komunikasi dan Informatika").click()
    expect(page).to_have_url(re.compile(rf"/kinerja/evaluasi/{year}/unit/\d+/$"))
    warning = page.locator("#peringatan-kurva")
    # the six of Aptika and their Kepala Dinas, rated by the Wali Kota (issue 17)
    expect(warning).to_contain_text("paling banyak 70% pegawai berpredikat Baik; sekarang 7 dari 7")
    expect(warning).to_contain_text("harus ada pegawai berpredikat Butuh Perbaikan")
    expect(page.locator("#kurva-chart")).to_be_visible()
    # issue 17: the capaian was decided above him (recorded by BKPSDM); he cannot change it
    expect(page.locator("#capaian-penetap")).to_contain_text("atas penetapan Sekretaris Daerah")
    expect(page.locator("select[name=capaian]")).to_have_count(0)
    screenshot(page, "evaluation-unit-warning-desktop")

    page.get_by_role("button", name="Tetapkan predikat").click()
    expect(page.get_by_text("tuliskan alasan untuk tetap menetapkan")).to_be_visible()
    assert not UnitEvaluation.objects.get(cycle__year=year).is_final
    page.get_by_label("Alasan menetapkan meski menyimpang dari pola kurva").fill(
        f"Bidang kecil; semua target {year} tercapai sesuai rencana (dibahas dengan BKPSDM)."
    )
    page.get_by_role("button", name="Tetapkan predikat").click()
    expect(page.locator("#konfirmasi-tetapkan")).to_contain_text("7 pegawai akan terkunci")
    assert not UnitEvaluation.objects.get(cycle__year=2025).is_final
    page.get_by_role("button", name="Ya, tetapkan dan kunci").click()
    expect(page.get_by_text("Predikat unit ditetapkan dan dikunci.")).to_be_visible()
    expect(page.get_by_role("button", name="Tetapkan predikat")).to_have_count(0)
    assert UnitEvaluation.objects.get(cycle__year=year).is_final

    phone = new_page(phone=True)
    login(phone, "kadis.kominfo@demo.local", "portal-demo")
    phone.goto(page.url)
    expect(phone.get_by_text("dan terkunci")).to_be_visible()
    screenshot(phone, "evaluation-unit-final-phone")
