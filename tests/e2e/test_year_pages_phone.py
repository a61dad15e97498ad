"""The year's pages on a phone (390 px) and a desktop (issue 17 walk gaps): the SKP's indicator
table stacks so "Hapus" is on screen without scrolling sideways; the kurva's predikat labels are
upright and fit their slot; the Plt reads "oleh Plt …" on the unit and annual pages."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from performance.demo import seed_performance_demo
from performance.evaluation_demo import seed_evaluation_demo
from performance.models import Cycle, Indicator, Rhk, Skp
from performance.transfer_demo import seed_transfer_demo
from portal.demo import demo_user, seed_people
from portal.models import OrgUnit
from tests.e2e.conftest import PHONE, login, screenshot

LONG = "Jumlah konten informasi publik terverifikasi yang dipublikasikan pada kanal resmi kota"


@pytest.fixture
def demo(transactional_db):
    seed_people()
    seed_performance_demo()
    seed_evaluation_demo()
    seed_transfer_demo()


def draft_with_indicators() -> Skp:
    """A draft SKP of the demo's Tim Komunikasi member with three indicators, one long."""
    person = demo_user("komunikasi")
    cycle = Cycle.objects.current()
    skp = Skp.objects.filter(employee=person, cycle=cycle).first()
    if skp is None:
        from performance import services

        skp = services.create_skp(employee=person, cycle=cycle)
    rhk = Rhk.objects.create(skp=skp, jenis="utama", text="Layanan informasi publik meningkat")
    for aspek, text, unit in [
        ("kuantitas", LONG, "konten"),
        ("kualitas", "Konten tanpa koreksi setelah terbit", "persen"),
        ("waktu", "Waktu tanggap pertanyaan publik", "hari kerja"),
    ]:
        Indicator.objects.create(rhk=rhk, aspek=aspek, text=text, target=Decimal(5), unit=unit)
    return skp


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_indicator_delete_is_on_screen_and_works(new_page, demo, phone):
    skp = draft_with_indicators()
    page = new_page(phone=phone)
    login(page, "komunikasi@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.goto(skp.get_absolute_url())
    table = page.locator("table.table-stack").first
    expect(table).to_be_visible()
    width = page.viewport_size["width"]
    buttons = table.get_by_role("button", name=re.compile("^Hapus indikator"))
    expect(buttons).to_have_count(3)
    for i in range(3):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # nothing to scroll sideways: neither the page nor the table's wrapper
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    if phone:  # each cell says which column it is
        expect(table.get_by_text(LONG)).to_be_visible()
        label = table.locator("td[data-label]").first.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert label == '"Aspek"'
    screenshot(page, f"ui17-indikator-{'phone' if phone else 'desktop'}")
    buttons.first.click()
    expect(page.get_by_text("Indikator dihapus.")).to_be_visible()
    expect(page.locator("table.table-stack").first.get_by_text(LONG)).to_have_count(0)


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_the_plt_reads_oleh_plt_and_the_kurva_labels_fit(new_page, demo, phone):
    dishub = OrgUnit.objects.get(code="dinas-perhubungan")
    cycle = Cycle.objects.current()
    lalin = Skp.objects.get(employee=demo_user("kabid.lalin"), cycle=cycle)
    plt = demo_user("plt.dishub")
    page = new_page(phone=phone)
    login(page, "plt.dishub@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.goto(f"/kinerja/evaluasi/{cycle.year}/unit/{dishub.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Dinas Perhubungan"))).to_be_visible()
    # the row's penilai, on a phone under the name, on a desktop in its column
    shown = page.locator("[data-testid=pelaksana]:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_have_text(f"oleh Plt {plt.full_name}")
    ticks = page.evaluate(
        """() => {
          const chart = Chart.getChart("kurva-chart");
          const x = chart.scales.x;
          return {rotation: x.labelRotation, widest: x._labelSizes.widest.width,
                  slot: x.width / x.ticks.length, n: x.ticks.length};
        }"""
    )
    assert ticks["rotation"] == 0 and ticks["n"] == 5, ticks  # every predikat, upright
    assert ticks["widest"] <= ticks["slot"], ticks  # no label wider than its slot
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, f"ui17-unit-plt-{'phone' if phone else 'desktop'}")
    page.goto(f"/kinerja/evaluasi/skp/{lalin.pk}/")
    expect(page.get_by_test_id("penilai")).to_contain_text(f"oleh Plt {plt.full_name}")
    screenshot(page, f"ui17-annual-plt-{'phone' if phone else 'desktop'}")


def test_phone_viewport_is_390():
    assert PHONE["width"] == 390
