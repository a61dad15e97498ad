"""Accessibility in the browser: axe-core on every main page, for the roles that see it, on a
phone (390px) and a desktop viewport; then one flow done with the keyboard alone.

axe-core is evaluated through page.evaluate (a CDP call, not an inline <script>), so the
portal's strict CSP stays as it is in production.
"""

import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from cms.models import SuccessStoryPage
from performance.models import PeriodicReport
from portal.demo import demo_user
from tests.e2e.conftest import enter_totp, login, screenshot
from tests.e2e.demo_snapshot import seed_demo

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

PUBLIC = ["/", "/accounts/login/", "/cerita/", "{story}", "/sertifikat/TIDAK-ADA-123/"]
SIGNED_IN = ["/beranda/", "/pelatihan/", "{module}", "/papan/", "/papan/beri/", "/kinerja/"]
ROLE_PAGES = {
    "pegawai": SIGNED_IN + ["{report}"],
    "atasan": SIGNED_IN + ["/kinerja/tim/", "{report}"],
    "bkpsdm": SIGNED_IN,
}


@pytest.fixture
def demo(transactional_db):
    seed_demo()
    secret = generate_totp_secret()
    TOTP.activate(demo_user("bkpsdm"), secret)
    from training.models import TrainingModulePage

    report = (
        PeriodicReport.objects.filter(skp__employee=demo_user("pegawai")).order_by("pk").first()
    )
    return {
        "secret": secret,
        "story": SuccessStoryPage.objects.live().first().url,
        "module": TrainingModulePage.objects.live().first().url,
        "report": report.get_absolute_url(),
    }


def axe_violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} {v['id']} ({v['impact']}): {[(n['target'], n.get('failureSummary', '')[-160:]) for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def sign_in(page, role: str, secret: str) -> None:
    login(page, f"{role}@demo.local", "portal-demo")
    if role == "bkpsdm":
        enter_totp(page, secret)
    expect(page).to_have_url(re.compile(r"/beranda/$"))


def check_pages(page, paths, demo, label) -> list[str]:
    found = []
    for template in paths:
        path = template.format(**demo)
        response = page.goto(path)
        assert response.status < 500, f"{path}: {response.status}"
        page.wait_for_load_state("networkidle")
        found += axe_violations(page)
    screenshot(page, f"a11y-{label}")
    return found


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_no_serious_axe_violations(new_page, demo, phone):
    viewport = "phone" if phone else "desktop"
    found = check_pages(new_page(phone=phone), PUBLIC, demo, f"anon-{viewport}")
    for role, paths in ROLE_PAGES.items():
        page = new_page(phone=phone)
        sign_in(page, role, demo["secret"])
        found += check_pages(page, paths, demo, f"{role}-{viewport}")
    assert not found, "axe serious/critical violations:\n" + "\n".join(found)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const rect = el.getBoundingClientRect();
            return {
                id: el.id, text: (el.innerText || el.value || '').trim(), tag: el.tagName,
                visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
                ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
            };
        }"""
    )


def tab_to(page, predicate, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            assert state["visible"] and state["ring"], f"focus not visible on {state}"
            return state
    raise AssertionError(f"never reached by Tab; last focus {focused(page)}")


def test_keyboard_only_login_menu_and_apresiasi(new_page, demo):
    page = new_page(phone=True)
    page.goto("/accounts/login/")
    first = tab_to(page, lambda s: True, limit=1)
    assert first["text"] == "Langsung ke konten utama", first
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "konten"

    tab_to(page, lambda s: s["tag"] == "INPUT" and s["id"] == "id_login")
    page.keyboard.type("pegawai@demo.local")
    tab_to(page, lambda s: s["id"] == "id_password")
    page.keyboard.type("portal-demo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/beranda/$"))

    menu = page.locator("#nav-utama")
    expect(menu).to_be_hidden()
    tab_to(
        page,
        lambda s: (
            s["tag"] == "BUTTON"
            and "navbar-toggler" in page.evaluate("document.activeElement.className")
        ),
    )
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    tab_to(page, lambda s: s["tag"] == "A" and "Papan" in s["text"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/papan/$"))
    tab_to(page, lambda s: s["tag"] == "A" and s["text"] == "Beri Apresiasi", limit=80)
    screenshot(page, "a11y-keyboard-focus-phone")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/papan/beri/$"))
    expect(page.get_by_role("heading", name="Beri Apresiasi")).to_be_visible()
