"""The pages work under the Content-Security-Policy: the browser reports no violation."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import seed_people
from tests.e2e.conftest import login, screenshot

# Added before any page script runs, so a violation during load is caught too.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI} in ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def demo_people(transactional_db):
    return seed_people()


def watched_page(new_page, *, phone: bool):
    page = new_page(phone=phone)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, console


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_no_csp_violation_on_the_main_pages(new_page, demo_people, phone):
    page, console = watched_page(new_page, phone=phone)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(page) == []

    login(page, "pegawai@demo.local", "portal-demo")  # visits /accounts/login/
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    screenshot(page, f"trust-beranda-csp-{'phone' if phone else 'desktop'}")

    page.goto("/accounts/login/")  # logged in: allauth sends us on, through the page
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    assert console == []


def test_the_board_socket_is_allowed_by_connect_src(new_page, demo_people):
    page, console = watched_page(new_page, phone=False)
    login(page, "pegawai@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    opened = page.evaluate(
        """() => new Promise((resolve) => {
            const scheme = location.protocol === "https:" ? "wss" : "ws";
            const socket = new WebSocket(`${scheme}://${location.host}/ws/board/`);
            socket.onopen = () => { socket.close(); resolve("open"); };
            socket.onerror = () => resolve("error");
            setTimeout(() => resolve("timeout"), 5000);
        })"""
    )
    assert opened == "open"
    assert violations(page) == []
    assert console == []


def test_an_inline_script_would_be_reported(new_page, demo_people):
    """The listener works: a forbidden inline script is caught (so the tests above can fail)."""
    page, console = watched_page(new_page, phone=False)
    page.goto("/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert violations(page)[0].startswith("script-src")
    assert page.evaluate("window.__ran === undefined")


def test_an_employee_downloads_their_data_from_the_profile_card(new_page, demo_people):
    page, console = watched_page(new_page, phone=True)
    login(page, "pegawai@demo.local", "portal-demo")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh data saya (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"data-saya-\d{18}-\d{8}\.json", download.suggested_filename)
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["sections"]["portal"]["profile"]["email"] == "pegawai@demo.local"
    assert violations(page) == []
