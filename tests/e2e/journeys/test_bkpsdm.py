"""Admin BKPSDM's job, walked as Yudi (bkpsdm@demo.local) on his first day: first login with
two-factor set up in the flow (TOTP, codes from allauth's own functions), city monitoring with
the names of who has not reported or trained, exports downloaded and read back, the annual
evaluation of a unit (kurva distribusi, confirmation) and a kiosk link opened on a fresh screen."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from performance.models import ReportingPeriod, UnitEvaluation

from .conftest import WIDTHS
from .harness import open_menu, sign_in, totp_code

ROLE = "bkpsdm"
DISKOMINFO = "Dinas Komunikasi dan Informatika"


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_bkpsdm_journey(journey, width, tmp_path):
    page = journey.new_page()

    with journey.step("masuk-pertama"):
        sign_in(page, "bkpsdm@demo.local")
        page.wait_for_load_state()
        # Issue 15 item 7: the password is asked once; the next screen sets up two-factor.
        if "/reauthenticate/" in page.url:
            journey.problem("check", "first login asks for the password a second time")
            page.locator("input[type=password]").fill("portal-demo")
            page.locator("form button[type=submit]").last.click()
        expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))

    with journey.step("aktifkan-totp"):
        secret = page.get_by_label("Rahasia autentikator").input_value()
        page.get_by_label(re.compile("Kode autentikator")).fill(totp_code(secret))
        page.get_by_role("button", name="Aktifkan").click()
        expect(page).not_to_have_url(re.compile(r"/totp/activate/"))

    with journey.step("kode-pemulihan"):
        if "/beranda/" not in page.url:
            # the recovery codes: a way forward must be offered (issue 15 item 7)
            forward = page.locator("main a[href='/beranda/'], main a:has-text('Lanjut')")
            if journey.check(forward.count() > 0, f"no way forward from {page.url}"):
                forward.first.click()
            else:
                page.goto("/beranda/")
        expect(page).to_have_url(re.compile(r"/beranda/$"))

    period = ReportingPeriod.objects.get(cycle__year=2026, kind="quarterly", number=3)
    with journey.step("pemantauan-kota"):
        page.goto(f"/kinerja/pemantauan/?periode={period.pk}")
        expect(page.get_by_role("heading", name="Pemantauan seluruh kota")).to_be_visible()
        expect(page.locator("#pemantauan-chart")).to_be_visible()

    with journey.step("pemantauan-nama"):
        row = page.locator("tr", has_text="Dinas Kesehatan")
        row.get_by_role("link", name="Siapa belum lapor?").click()
        expect(page.get_by_role("heading", name="Dinas Kesehatan")).to_be_visible()
        expect(page.get_by_text("Ujang Sopandi")).to_be_visible()  # has not reported

    # Issue 15 item 6: who has not finished the mandatory module, by name.
    with journey.step("pemantauan-belum-pelatihan"):
        page.go_back()  # (each step checks and screenshots the page it ends on)
        row = page.locator("tr", has_text=DISKOMINFO)
        row.get_by_role("link", name="Siapa belum pelatihan?").click()
        expect(page.get_by_role("heading", name=DISKOMINFO)).to_be_visible()
        expect(page.get_by_text("Dimas Pratama").first).to_be_visible()

    with journey.step("ekspor-pemantauan"):
        page.go_back()
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh XLSX").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        journey.check(
            any(r and r[0] == "Dinas Kesehatan" for r in rows),
            f"monitoring XLSX has no row for Dinas Kesehatan: {rows[:3]}",
        )

    with journey.step("pemantauan-pelatihan"):
        page.goto("/beranda/")
        open_menu(page)
        page.locator("#nav-utama").get_by_role("button", name="Kelola").click()
        page.locator("#nav-utama").get_by_role("link", name="Pemantauan pelatihan").click()
        expect(page.get_by_role("heading", name="Pemantauan pelatihan")).to_be_visible()

    with journey.step("ekspor-pelatihan"):
        export = page.get_by_role("link", name=re.compile(r"^Unduh"))
        with page.expect_download() as download:
            export.first.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        if path.suffix == ".xlsx":
            cells = [c for r in load_workbook(path).active.iter_rows(values_only=True) for c in r]
        else:
            text = path.read_bytes().decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
            cells = [c for r in csv.reader(io.StringIO(text), dialect) for c in r]
        journey.check(
            any("Pengenalan Sistem Manajemen Kinerja" in str(c) for c in cells),
            f"training export {path.name} does not name the mandatory module",
        )

    with journey.step("evaluasi-unit-kurva"):
        page.goto("/kinerja/evaluasi/?tahun=2025")
        page.get_by_role("link", name=DISKOMINFO).first.click()
        expect(page).to_have_url(re.compile(r"/kinerja/evaluasi/2025/unit/\d+/$"))
        expect(page.locator("#kurva-chart")).to_be_visible()
        expect(page.locator("#peringatan-kurva")).to_contain_text("Baik")
        # Issue 17: no Sekda account in the demo, so BKPSDM recorded his decision (a document)
        expect(page.locator("#capaian-penetap")).to_contain_text(
            "Dicatat oleh BKPSDM (Yudi Firmansyah, S.E.) atas penetapan Sekretaris Daerah"
        )

    # the first "Tetapkan predikat" answers 400 by design: the kurva is broken, a reason is asked
    with journey.step("tetapkan-alasan", expect_status=(400,)):
        page.get_by_role("button", name="Tetapkan predikat").click()
        expect(
            page.get_by_label("Alasan menetapkan meski menyimpang dari pola kurva")
        ).to_be_visible()

    # Issue 15 item 4: the counts per predikat shown, and asked before a whole OPD locks.
    with journey.step("tetapkan-konfirmasi"):
        page.get_by_label("Alasan menetapkan meski menyimpang dari pola kurva").fill(
            "Bidang kecil; semua target 2025 tercapai sesuai rencana (dibahas dengan pimpinan)."
        )
        page.get_by_role("button", name="Tetapkan predikat").click()
        confirm = page.locator("#konfirmasi-tetapkan")
        expect(confirm).to_contain_text("Baik")
        journey.check(
            not UnitEvaluation.objects.get(cycle__year=2025).is_final,
            "the confirmation step locked the OPD already",
        )

    with journey.step("predikat-terkunci"):
        confirm.get_by_role("button", name="Ya, tetapkan dan kunci").click()
        expect(page.get_by_text("Predikat unit ditetapkan dan dikunci.")).to_be_visible()
    assert UnitEvaluation.objects.get(cycle__year=2025).is_final

    with journey.step("tautan-layar"):
        page.goto("/papan/layar/kelola/")
        page.locator("select[name=org_unit]").select_option(label=DISKOMINFO)
        page.locator("input[name=label]").fill("Lobi lantai 1")
        page.get_by_role("button", name="Buat tautan").click()
        expect(page.get_by_text("Lobi lantai 1")).to_be_visible()
        item = page.locator("li", has_text="Lobi lantai 1")
        # Issue 15 item 11: the new link can be opened (or copied) from the list.
        opener = item.locator("a[href*='/papan/layar/?k=']")
        if journey.check(opener.count() > 0, "the new kiosk link has no open/copy button"):
            kiosk_url = opener.first.get_attribute("href")
        else:  # the person selects the shown address and copies it
            kiosk_url = item.locator("code").inner_text().strip()

    screen = journey.new_page(width=1366)  # the office screen is a fresh browser
    with journey.step("layar-kantor", screen):
        screen.goto(kiosk_url)
        expect(screen.locator(".board-status")).to_have_text("Langsung")

    journey.finish()
