"""No page scrolls sideways: every role's main pages at 390 px (phone) and 1366 px (office
laptop), with the demo data. The navigation bar keeps the user menu inside it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from performance.models import PeriodicReport
from portal.demo import demo_user
from tests.e2e.conftest import enter_totp, login, screenshot
from tests.e2e.demo_snapshot import seed_demo

WIDTHS = {"phone": (390, 844), "laptop": (1366, 768)}
PUBLIC = ["/", "/accounts/login/", "/cerita/", "/panduan/"]
SIGNED_IN = ["/beranda/", "/pelatihan/", "/kinerja/", "/papan/", "/cerita/"]
ROLE_PAGES = {
    "pegawai": [*SIGNED_IN, "/papan/beri/", "{report}"],
    "atasan": [*SIGNED_IN, "/kinerja/tim/", "/kinerja/matriks/", "{report}"],
    "komunikasi": SIGNED_IN,
    "moderator": SIGNED_IN,
    "bkpsdm": [
        *SIGNED_IN,
        "/kinerja/pemantauan/",
        "/pelatihan/pemantauan/",
        "/kinerja/admin/",
        "/kinerja/evaluasi/",
    ],
}
# What the page measures: sideways scroll, and the navbar's parts that stick out of it.
MEASURE = """() => {
    const nav = document.querySelector('header nav.navbar');
    const box = nav ? nav.getBoundingClientRect() : null;
    const outside = [];
    if (box) {
        for (const el of nav.querySelectorAll('a, button')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;  // collapsed, not shown
            if (r.right > box.right + 1 || r.left < box.left - 1 || r.bottom > box.bottom + 1)
                outside.push((el.innerText || el.getAttribute('aria-label') || el.tagName).trim());
        }
    }
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && wide.length < 4 && !el.closest('.table-responsive'))
            wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}`.slice(0, 80));
    }
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, outside, wide};
}"""


@pytest.fixture
def demo(transactional_db):
    seed_demo()
    secret = generate_totp_secret()
    TOTP.activate(demo_user("bkpsdm"), secret)
    report = PeriodicReport.objects.filter(skp__employee=demo_user("pegawai")).first()
    return {"secret": secret, "report": report.get_absolute_url()}


def _page(browser, live_server_url, size):
    width, height = WIDTHS[size]
    context = browser.new_context(
        base_url=live_server_url,
        locale="id-ID",
        viewport={"width": width, "height": height},
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _overflows(page, paths, demo, label) -> list[str]:
    found = []
    for template in paths:
        path = template.format(**demo)
        response = page.goto(path)
        assert response.status < 400, f"{label} {path}: {response.status}"
        page.wait_for_load_state("load")
        measured = page.evaluate(MEASURE)
        if measured["scroll"] > measured["inner"] or measured["outside"]:
            name = f"layout-{label}-{path.strip('/').replace('/', '-') or 'home'}"
            screenshot(page, name)
            found.append(f"{label} {path}: {measured}")
    return found


@pytest.mark.parametrize("size", list(WIDTHS))
def test_no_page_scrolls_sideways_for_any_role(browser, live_server_url, demo, size):
    found = []
    context, page = _page(browser, live_server_url, size)
    found += _overflows(page, PUBLIC, demo, f"anon-{size}")
    context.close()
    for role, paths in ROLE_PAGES.items():
        context, page = _page(browser, live_server_url, size)
        login(page, f"{role}@demo.local", "portal-demo")
        if role == "bkpsdm":
            enter_totp(page, demo["secret"])
        expect(page.locator("main")).to_be_visible()
        found += _overflows(page, paths, demo, f"{role}-{size}")
        page.goto("/beranda/")
        screenshot(page, f"layout-{role}-{size}-beranda")
        context.close()
    assert not found, "horizontal overflow:\n" + "\n".join(found)
