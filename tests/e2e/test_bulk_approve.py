"""Bulk approval of SKPs in the browser (issue 17), as Rina (atasan@demo.local): tick two of
three submitted SKPs on the team page, read the confirmation, approve, read the summary with the
one a second tab approved meanwhile refused and why. At 390 and 1366 px with the journey
harness (overflow, console errors, axe, English words), and once with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from performance.demo import seed_performance_demo
from performance.models import Cycle, Skp
from portal.demo import demo_user, seed_people
from tests.e2e.journeys.harness import Journey, sign_in
from tests.factories import UserFactory
from tests.performance.factories import make_skp

NAMES = ["Ayu Kartika", "Budi Santoso", "Citra Lestari"]


@pytest.fixture
def waiting(transactional_db) -> list[Skp]:
    """The demo's people, and three new members of Rina's team whose SKPs wait for her."""
    seed_people()
    seed_performance_demo()
    rina = demo_user("atasan")
    cycle = Cycle.objects.current()
    return [
        make_skp(
            UserFactory(full_name=name, org_unit=rina.org_unit, atasan=rina),
            cycle,
            status="diajukan",
        )
        for name in NAMES
    ]


def status(skp: Skp) -> str:
    return Skp.objects.get(pk=skp.pk).status


@pytest.mark.parametrize("width", [390, 1366])
def test_supervisor_approves_several_skps_at_once(browser, live_server_url, waiting, width):
    walk = Journey(browser=browser, base_url=live_server_url, role="setujui-skp", width=width)
    page = walk.new_page()
    ayu, budi, citra = waiting

    with walk.step("tim-saya"):
        sign_in(page, "atasan@demo.local")
        expect(page).to_have_url(re.compile(r"/beranda/$"))
        page.goto("/kinerja/tim/")
        listing = page.locator("#skp-menunggu")
        expect(listing).to_contain_text("3 SKP menunggu persetujuan Anda")

    with walk.step("pilih"):
        listing.get_by_label(re.compile("Ayu Kartika")).check()
        listing.get_by_label(re.compile("Budi Santoso")).check()
        listing.get_by_role("button", name="Setujui yang dipilih").click()
        confirm = page.locator("#konfirmasi-setujui")
        expect(confirm).to_contain_text("Setujui 2 SKP?")
        expect(confirm).to_contain_text("Ayu Kartika")
        expect(confirm).not_to_contain_text("Citra Lestari")
    walk.check(status(ayu) == status(budi) == "diajukan", "the confirmation approved already")

    # Meanwhile Budi's SKP is approved in another tab: the summary must say so.
    Skp.objects.filter(pk=budi.pk).update(status="disetujui", approved_at=budi.submitted_at)

    with walk.step("ringkasan"):
        confirm.get_by_role("button", name="Ya, setujui 2 SKP").click()
        expect(page).to_have_url(re.compile(r"/kinerja/tim/$"))
        expect(page.get_by_text(re.compile(r"1 SKP disetujui: Ayu Kartika"))).to_be_visible()
        expect(
            page.get_by_text(re.compile(r"Tidak disetujui: Budi Santoso .*yang diajukan"))
        ).to_be_visible()
        expect(page.locator("#skp-menunggu")).to_contain_text("1 SKP menunggu persetujuan Anda")
    assert (status(ayu), status(citra)) == ("disetujui", "diajukan")
    walk.finish()


def test_bulk_approval_works_without_javascript(browser, live_server_url, waiting):
    context = browser.new_context(
        base_url=live_server_url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page, "atasan@demo.local")
    page.goto("/kinerja/tim/")
    page.locator("#skp-menunggu").get_by_role(
        "button", name=re.compile(r"Pilih semua \(3\)")
    ).click()
    confirm = page.locator("#konfirmasi-setujui")
    expect(confirm).to_contain_text("Setujui 3 SKP?")
    confirm.get_by_role("button", name="Kembali").click()
    expect(page.locator("#skp-menunggu").get_by_label(re.compile("Citra Lestari"))).to_be_checked()
    page.locator("#skp-menunggu").get_by_label(re.compile("Ayu Kartika")).uncheck()
    page.locator("#skp-menunggu").get_by_role("button", name="Setujui yang dipilih").click()
    page.locator("#konfirmasi-setujui").get_by_role("button", name="Ya, setujui 2 SKP").click()
    expect(page.get_by_text(re.compile(r"2 SKP disetujui"))).to_be_visible()
    assert [status(skp) for skp in waiting] == ["diajukan", "disetujui", "disetujui"]
    context.close()
