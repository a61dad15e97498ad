"""The journey harness: one `Journey` per role and width, whose `step(name)` watches a page the
way a careful tester would and screenshots it.

Each step, on the pages it touched, checks:
- every HTTP response >= 400 that the step did not name in `expect_status`;
- every console error and uncaught page error;
- horizontal overflow (document.documentElement.scrollWidth > window.innerWidth);
- English UI words in visible text while the portal is in Indonesian (a short, honest list);
- axe-core violations of impact serious or critical.

A problem does not stop the walk: it is recorded with its step, and `Journey.finish()` fails the
test with every problem found, so one run shows all that is wrong on the way. A failed
`expect(...)` (the journey cannot go on) stops it at once; the step still screenshots the page.

axe-core is evaluated through page.evaluate (a CDP call, not an inline <script>): the portal's
Content-Security-Policy forbids inline scripts, so page.add_script_tag would be blocked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
BLOCKING_IMPACTS = {"serious", "critical"}
WIDTHS = {390: 844, 1366: 768}

# English words a user of the Indonesian portal should never meet: UI verbs and labels that
# have an Indonesian string in the catalogue, month and day names. Case-sensitive whole words,
# so "Email" or "online" (used in Indonesian too) and brand names are not caught.
ENGLISH_UI_WORDS = [
    "Submit", "Save", "Cancel", "Delete", "Search", "Settings", "Sign in", "Sign out",
    "Log in", "Log out", "Password", "Username", "Download", "Upload", "Loading", "Welcome",
    "Required", "This field", "Next", "Previous", "Your", "Please", "Training", "Performance",
    "Report", "Reports", "Home", "Dashboard", "Recognition", "Leaderboard", "Stories",
    "January", "February", "March", "June", "July", "August", "October", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
]  # fmt: skip
ENGLISH_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_UI_WORDS) + r")\b")

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= window.innerWidth) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((el) => !el.closest('[hidden], .visually-hidden'))
    .slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : ''));
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide};
}"""


@dataclass
class Problem:
    step: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.step}] {self.kind}: {self.detail}"


@dataclass
class Journey:
    browser: object
    base_url: str
    role: str
    width: int
    problems: list[Problem] = field(default_factory=list)
    _pages: list[Page] = field(default_factory=list)
    _contexts: list = field(default_factory=list)
    _step: str = "(before the first step)"
    _expected: set[int] = field(default_factory=set)
    _count: int = 0
    timings: list[str] = field(default_factory=list)

    @property
    def directory(self) -> Path:
        return ARTIFACTS / f"{self.role}-{self.width}"

    # --- pages ---------------------------------------------------------------------------

    def new_page(self, *, locale: str = "id-ID", width: int | None = None) -> Page:
        """A page in a fresh browser context (its own cookies), watched by this journey."""
        width = width or self.width
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=locale,
            viewport={"width": width, "height": WIDTHS.get(width, 900)},
            timezone_id="Asia/Jakarta",
            accept_downloads=True,
            # no transitions: axe would measure a button's colours half-way through one
            reduced_motion="reduce",
        )
        context.set_default_timeout(15_000)
        self._contexts.append(context)
        context.route("**/media/**", _serve_media)
        context.on("page", self.watch)  # this page, and any tab a link opens
        return context.new_page()

    def watch(self, page: Page) -> Page:
        """Listen to a page from its first request on."""
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problem("page error", str(error)))
        self._pages.append(page)
        return page

    def close(self) -> None:
        for context in self._contexts:
            context.close()

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.status not in self._expected:
            self.problem("HTTP", f"{response.status} {response.request.method} {response.url}")

    def _on_console(self, message) -> None:
        # A failed load is reported by the response listener, with its expected statuses.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problem("console error", f"{message.text[:300]} ({message.location.get('url')})")

    # --- recording -----------------------------------------------------------------------

    def problem(self, kind: str, detail: str) -> None:
        self.problems.append(Problem(self._step, kind, detail))

    def check(self, condition: bool, detail: str) -> bool:
        """A functional check that does not stop the walk (the user could go on)."""
        if not condition:
            self.problem("check", detail)
        return condition

    @contextmanager
    def step(
        self,
        name: str,
        page: Page | None = None,
        *,
        expect_status: tuple[int, ...] = (),
        language: str = "id",
        axe: bool = True,
    ) -> Iterator[Page]:
        """Run one step of the journey; afterwards check `page` (default: the last page made)
        and screenshot it as <nn>-<name>.png."""
        page = page or self._pages[-1]
        started = time.monotonic()
        self._count += 1
        self._step = f"{self._count:02d}-{name}"
        self._expected = set(expect_status)
        try:
            yield page
        except Exception:
            self._screenshot(page, suffix="-GAGAL")
            raise
        walked = time.monotonic()
        _settle(page)
        settled = time.monotonic()
        self._inspect(page, language=language, axe=axe)
        inspected = time.monotonic()
        self._screenshot(page)
        self._expected = set()
        self.timings.append(
            f"{self._step}: walk {walked - started:.1f}s settle {settled - walked:.1f}s "
            f"checks {inspected - settled:.1f}s screenshot {time.monotonic() - inspected:.1f}s"
        )

    def _screenshot(self, page: Page, suffix: str = "") -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", self._step.lower()).strip("-")
        page.screenshot(path=str(self.directory / f"{slug}{suffix}.png"), full_page=True)

    def _inspect(self, page: Page, *, language: str, axe: bool) -> None:
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow:
            self.problem(
                "horizontal overflow",
                f"{page.url}: scrollWidth {overflow['scrollWidth']} > {overflow['innerWidth']}"
                f" (widest: {', '.join(overflow['wide'])})",
            )
        if language == "id":
            text = page.evaluate("document.body.innerText")
            found = sorted(set(ENGLISH_PATTERN.findall(text)))
            if found:
                self.problem("English in Indonesian mode", f"{page.url}: {found}")
        if axe:
            for violation in axe_violations(page):
                self.problem("axe", violation)

    def finish(self) -> None:
        self.close()
        assert not self.problems, (
            f"journey {self.role} at {self.width}px: {len(self.problems)} problem(s) "
            f"(screenshots in {self.directory.relative_to(ROOT)}):\n"
            + "\n".join(str(p) for p in self.problems)
        )


def _settle(page: Page) -> None:
    """Let htmx requests and late scripts finish (sockets keep no request open)."""
    with suppress(Exception):  # a page that keeps polling: check it as it is
        page.wait_for_load_state("networkidle", timeout=5_000)


# Violations inside widgets that Wagtail's page editor draws in the browser, which the portal
# neither renders nor can label from a panel or field definition. Only on /admin/, only this
# rule on an element whose HTML carries this marker; anything else there still fails.
THIRD_PARTY_ADMIN_WIDGETS = [
    # Draftail (rich text in a StreamField block): its contenteditable textbox points
    # aria-labelledby at a label id that the block form does not render.
    ("aria-input-field-name", "public-DraftEditor-content"),
    # Wagtail's tag field (jQuery tag-it): the typing box tag-it adds beside the labelled,
    # hidden <input id="id_tags"> has no label of its own.
    ("label", "ui-autocomplete-input"),
]


def _third_party_admin_widget(url: str, rule: str, node: dict) -> bool:
    if not urlparse(url).path.startswith("/admin/"):
        return False
    return any(
        rule == r and marker in node.get("html", "") for r, marker in THIRD_PARTY_ADMIN_WIDGETS
    )


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in results["violations"]:
        if v["impact"] not in BLOCKING_IMPACTS:
            continue
        nodes = [n for n in v["nodes"] if not _third_party_admin_widget(page.url, v["id"], n)]
        if nodes:
            found.append(
                f"{page.url} {v['id']} ({v['impact']}): "
                + "; ".join(
                    f"{n['target']} {n.get('failureSummary', '')[-140:]!r}" for n in nodes[:3]
                )
            )
    return found


def _serve_media(route) -> None:
    """Uploaded media from MEDIA_ROOT: the test server (DEBUG off) serves static files only,
    as production leaves /media/ to nginx."""
    path = Path(settings.MEDIA_ROOT) / unquote(urlparse(route.request.url).path).removeprefix(
        settings.MEDIA_URL
    )
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404)


def totp_code(secret: str) -> str:
    """The current code of an authenticator app, computed with allauth's own functions; waits
    out the last seconds of a 30-second window so the code is still valid when it arrives."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 26:
        time.sleep(30 - time.time() % 30 + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page: Page, login: str, password: str = "portal-demo") -> None:
    """The login form as a person fills it (the demo password is on the README)."""
    page.goto("/accounts/login/")
    page.get_by_label("NIP atau e-mail").fill(login)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def open_menu(page: Page) -> None:
    """On a phone the navigation sits behind the menu button: open it as a person would."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#nav-utama")).to_be_visible()
