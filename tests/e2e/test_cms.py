"""From draft to live in the browser: Tim Komunikasi writes and submits in the Wagtail admin,
the featured employee consents on /beranda/, the moderator approves, the story is public."""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cms.demo import seed_stories
from cms.models import StoryIndexPage
from portal.demo import demo_user, seed_people
from tests.e2e.conftest import login, screenshot

TITLE = "Layanan aduan warga dijawab dalam sehari"


@pytest.fixture
def demo_content(transactional_db):
    seed_people()
    seed_stories()


@pytest.fixture
def open_page(new_page):
    """new_page, plus uploaded media read from MEDIA_ROOT: the test server (DEBUG off) serves
    static files only, as production leaves /media/ to nginx."""

    def serve_media(route):
        path = Path(settings.MEDIA_ROOT) / unquote(urlparse(route.request.url).path).removeprefix(
            settings.MEDIA_URL
        )
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404)

    def make(**kwargs):
        page = new_page(**kwargs)
        page.route("**/media/**", serve_media)
        return page

    return make


def test_story_from_draft_to_live_through_consent_and_moderation(open_page, demo_content):
    # 1. Tim Komunikasi writes the story in the Wagtail admin, in Indonesian
    editor = open_page()
    login(editor, "komunikasi@demo.local", "portal-demo")
    index = StoryIndexPage.objects.get()
    editor.goto(f"/admin/pages/{index.pk}/")
    expect(editor.get_by_role("heading", name=re.compile("Cerita Sukses")).first).to_be_visible()
    screenshot(editor, "cms-admin-explorer-id-desktop")
    editor.goto(f"/admin/pages/add/cms/successstorypage/{index.pk}/")
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_intro").fill(
        "Seksi Pelayanan Umum menata ulang cara menjawab aduan warga agar tidak ada yang terlewat."
    )
    editor.get_by_role("button", name="Sisipkan blok").first.click()
    editor.get_by_role("option", name="Paragraf").click()
    editor.locator(".public-DraftEditor-content").first.click()
    editor.keyboard.type("Setiap aduan dicatat, diberi nomor, dan dijawab sebelum hari berakhir.")
    editor.get_by_label("Kolaboratif").check()
    editor.locator("#id_featured_employees-ADD").click()
    editor.locator("#id_featured_employees-0-user-chooser").get_by_role(
        "button", name="Pilih pegawai"
    ).click()
    modal = editor.locator(".modal-dialog")
    modal.get_by_placeholder("Cari nama pegawai").fill("Dimas")
    modal.get_by_role("link", name=re.compile("Dimas Pratama")).click()
    expect(editor.locator("#id_featured_employees-0-user")).to_have_value(
        str(demo_user("pegawai").pk)
    )
    editor.locator("#id_featured_employees-0-role").fill("pencatat aduan")
    editor.evaluate("document.scrollingElement.scrollLeft = 0")
    editor.locator("#id_title").scroll_into_view_if_needed()
    screenshot(editor, "cms-admin-editor-id-desktop")
    editor.locator("footer .w-dropdown__toggle, .footer .w-dropdown__toggle").first.click()
    editor.locator("button[name='action-submit']").click()
    expect(editor.get_by_text("dikirim untuk dimoderasi")).to_be_visible(timeout=15_000)
    screenshot(editor, "cms-admin-submitted-id-desktop")

    # 2. The featured employee reads it and consents on their own /beranda/
    employee = open_page(phone=True)
    login(employee, "pegawai@demo.local", "portal-demo")
    # the consent card (the notification list names the story too)
    card = employee.locator("li", has_text=TITLE).filter(
        has=employee.get_by_label("Setuju", exact=True)
    )
    expect(card).to_be_visible()
    screenshot(employee, "cms-consent-flow-phone")
    card.get_by_label("Setuju", exact=True).check()
    card.get_by_label("Komentar untuk penulis").fill("Silakan, data saya sudah benar.")
    card.get_by_role("button", name="Kirim jawaban").click()
    expect(employee.get_by_text("persetujuan Anda sudah tercatat")).to_be_visible()

    # 3. The moderator approves from the admin dashboard
    moderator = open_page()
    login(moderator, "moderator@demo.local", "portal-demo")
    moderator.goto("/admin/")
    row = moderator.locator("#awaiting-review-section tr", has_text=TITLE)
    expect(row).to_be_visible()
    screenshot(moderator, "cms-admin-dashboard-moderator-id-desktop")
    row.get_by_role("button", name="Tindakan").first.click()
    row.get_by_role("button", name="Menyetujui", exact=True).click()
    expect(moderator.locator("#awaiting-review-section tr", has_text=TITLE)).to_have_count(0)

    # the editor's screens on a phone, in Indonesian too
    phone_editor = open_page(phone=True)
    login(phone_editor, "komunikasi@demo.local", "portal-demo")
    phone_editor.goto("/admin/")
    expect(phone_editor.get_by_role("link", name="Halaman").first).to_be_attached()
    screenshot(phone_editor, "cms-admin-dashboard-id-phone")

    # 4. The public reads it at /cerita/, on a phone
    visitor = open_page(phone=True)
    visitor.goto("/cerita/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(visitor.get_by_text("Dimas Pratama, S.Kom.")).to_be_visible()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_public_site_screens(open_page, demo_content, phone):
    size = "phone" if phone else "desktop"
    page = open_page(phone=phone)
    page.goto("/")
    expect(page.get_by_role("heading", name="Cerita terbaru")).to_be_visible()
    screenshot(page, f"cms-home-{size}")
    page.goto("/cerita/")
    expect(page.get_by_role("link", name=re.compile("Command Center"))).to_be_visible()
    screenshot(page, f"cms-cerita-{size}")
    page.get_by_role("link", name=re.compile("Command Center")).click()
    expect(page.get_by_text("Fajar Nugraha, S.T.").first).to_be_visible()
    screenshot(page, f"cms-story-{size}")
    page.goto("/cerita/?nilai=tidak-ada")
    expect(page.get_by_text("tidak dikenal sehingga diabaikan")).to_be_visible()

    employee = open_page(phone=phone)
    login(employee, "pegawai@demo.local", "portal-demo")
    expect(employee.get_by_role("heading", name="Persetujuan cerita")).to_be_visible()
    screenshot(employee, f"cms-consent-card-{size}")

    editor = open_page(phone=phone)
    login(editor, "komunikasi@demo.local", "portal-demo")
    editor.goto("/beranda/")
    expect(editor.get_by_role("heading", name="Cerita saya")).to_be_visible()
