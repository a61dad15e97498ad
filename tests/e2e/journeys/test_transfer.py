"""After a transfer (issue 17), walked as dr. Bambang (bambang@demo.local), the new pejabat
penilai of Rudi Hartono, who moved from Diskominfo to Dinas Kesehatan on the first day of this
quarter: Rudi is in his team; the SKP of Rudi's old post and its rated report are there to read,
read-only; the report of the new post waits for him, and he rates it."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import PeriodicReport, Skp

from .conftest import WIDTHS
from .harness import sign_in

ROLE = "penilai-mutasi"


@pytest.mark.parametrize("width", WIDTHS)
def test_new_rater_reads_the_earlier_skp_and_rates_after_a_transfer(journey, width):
    old, new = Skp.objects.filter(employee__email="mutasi@demo.local").order_by("starts_on")
    earlier = PeriodicReport.objects.get(skp=old)
    waiting = PeriodicReport.objects.get(skp=new, status="diajukan")
    page = journey.new_page()

    with journey.step("masuk"):
        sign_in(page, "bambang@demo.local")
        expect(page).to_have_url(re.compile(r"/beranda/$"))

    with journey.step("tim-saya"):
        page.goto("/kinerja/tim/")
        expect(page.get_by_role("heading", name="Tim saya")).to_be_visible()
        expect(page.get_by_test_id(f"anggota-{new.employee_id}")).to_contain_text("Rudi Hartono")

    if old.cycle_id == new.cycle_id:  # (in January the old post's SKP is last year's)
        with journey.step("skp-sebelumnya-di-tim"):
            page.get_by_label("Periode").select_option(str(earlier.period_id))
            page.get_by_role("button", name="Tampilkan").click()
            expect(page.get_by_test_id(f"skp-sebelumnya-{new.employee_id}")).to_be_visible()

        with journey.step("skp-sebelumnya-hanya-baca"):
            page.goto(old.get_absolute_url())
            expect(page.get_by_test_id("hanya-baca")).to_be_visible()
            expect(page.get_by_test_id("skp-berlaku")).to_contain_text("–")
            expect(page.get_by_role("button", name="Setujui SKP")).to_have_count(0)

        with journey.step("laporan-sebelumnya-hanya-baca"):
            page.goto(earlier.get_absolute_url())
            expect(page.get_by_test_id("hanya-baca")).to_contain_text("Rina Marlina")
            expect(page.get_by_test_id("predikat")).to_be_visible()
            expect(page.locator("#penilaian")).to_have_count(0)

    with journey.step("laporan-jabatan-baru"):
        page.goto("/kinerja/tim/")
        page.locator("tr", has_text="Rudi Hartono").get_by_role("link", name="Nilai").click()
        expect(page).to_have_url(re.compile(rf"/kinerja/laporan/{waiting.pk}/$"))
        expect(page.get_by_test_id("hanya-baca")).to_have_count(0)

    with journey.step("penilaian-konfirmasi"):
        rating = page.locator("#penilaian")
        rating.locator("fieldset", has_text="Rating hasil kerja").get_by_label(
            "Sesuai Ekspektasi"
        ).check()
        rating.locator("fieldset", has_text="Rating perilaku kerja").get_by_label(
            "Sesuai Ekspektasi"
        ).check()
        rating.get_by_role("button", name="Lihat predikat dan konfirmasi").click()
        expect(page.locator("#konfirmasi-penilaian")).to_contain_text("Baik")

    with journey.step("laporan-dinilai"):
        page.locator("#konfirmasi-penilaian").get_by_role(
            "button", name="Ya, simpan dan kunci penilaian"
        ).click()
        expect(page.get_by_test_id("predikat")).to_have_text("Predikat: Baik")
    waiting.refresh_from_db()
    assert waiting.status == "dinilai" and waiting.rated_by.email == "bambang@demo.local"

    journey.finish()
