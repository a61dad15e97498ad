"""A success story from draft to the public, walked by the people who make it: Tim Komunikasi
(komunikasi@demo.local) writes it in the Wagtail admin featuring Dimas, Dimas consents on his
beranda, the moderator previews ("Pratinjau") and approves it, and a visitor finds it on /cerita/,
through the search and in the RSS feed."""

import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from cms.models import StoryIndexPage, SuccessStoryPage
from portal.demo import demo_user

from .conftest import WIDTHS
from .harness import sign_in

ROLE = "komunikasi"
TITLE = "Aduan warga dijawab dalam sehari lewat aplikasi baru"
INTRO = "Bidang Aplikasi Informatika menata ulang alur aduan warga agar tidak ada yang terlewat."


@pytest.mark.parametrize("width", WIDTHS)
def test_communications_journey(journey, width):
    index = StoryIndexPage.objects.get()
    editor = journey.new_page()

    with journey.step("masuk"):
        sign_in(editor, "komunikasi@demo.local")
        expect(editor).to_have_url(re.compile(r"/beranda/$"))
        expect(editor.get_by_role("heading", name="Cerita saya")).to_be_visible()

    with journey.step("admin-cerita"):
        editor.goto(f"/admin/pages/{index.pk}/")
        expect(
            editor.get_by_role("heading", name=re.compile("Cerita Sukses")).first
        ).to_be_visible()

    # Wagtail's editor autosaves the form while it is typed: a half-filled form answers 400
    # (its validation errors, as JSON) and the editor shows nothing.
    with journey.step("tulis-cerita", expect_status=(400,)):
        editor.goto(f"/admin/pages/add/cms/successstorypage/{index.pk}/")
        editor.locator("#id_title").fill(TITLE)
        editor.locator("#id_title").press("Tab")
        # Wagtail fills the slug from the title in the browser; wait for it as the eye would
        expect(editor.locator("#id_slug")).not_to_have_value("")
        editor.locator("#id_intro").fill(INTRO)
        editor.get_by_role("button", name="Sisipkan blok").first.click()
        editor.get_by_role("option", name="Paragraf").click()
        editor.locator(".public-DraftEditor-content").first.click()
        editor.keyboard.type(
            "Setiap aduan dicatat, diberi nomor, dan dijawab sebelum hari berakhir."
        )
        editor.get_by_label("Kolaboratif").check()
        editor.locator("#id_featured_employees-ADD").click()
        editor.locator("#id_featured_employees-0-user-chooser").get_by_role(
            "button", name="Pilih pegawai"
        ).click()
        modal = editor.locator(".modal-dialog")
        modal.get_by_placeholder(re.compile("Cari nama")).fill("Dimas")
        modal.get_by_role("link", name=re.compile("Dimas Pratama")).click()
        expect(editor.locator("#id_featured_employees-0-user")).to_have_value(
            str(demo_user("pegawai").pk)
        )
        # the chooser closes with a fade: a person waits for it (axe would measure the
        # fading modal's text against the backdrop)
        expect(modal).to_be_hidden()
        editor.locator("#id_featured_employees-0-role").fill("pengembang aplikasi aduan")
        editor.evaluate("document.scrollingElement.scrollLeft = 0")

    with journey.step("ajukan-moderasi", expect_status=(400,)):
        # Wagtail autosaves the new page while it is typed (its first autosave creates it); a
        # writer glances at the indicator before choosing the action, and so does the walk: an
        # action sent while an autosave is on its way opens the draft to choose again
        # (cms/middleware.py), which is not this walk
        editor.wait_for_timeout(800)  # past the autosave's 500 ms pause after the last key
        expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        expect(editor.locator("#w-autosave-indicator")).to_have_attribute(
            "data-w-autosave-state-value", "saved"
        )
        editor.locator("footer .w-dropdown__toggle, .footer .w-dropdown__toggle").first.click()
        editor.locator("button[name='action-submit']").click()
        # "dibuat dan dikirim untuk dimoderasi", or "dikirim untuk moderasi" once autosave
        # has created the draft
        expect(editor.get_by_text(re.compile("dikirim untuk (di)?moderasi"))).to_be_visible()
    story = SuccessStoryPage.objects.get(title=TITLE)
    assert not story.live

    employee = journey.new_page()
    with journey.step("persetujuan-pegawai", employee):
        sign_in(employee, "pegawai@demo.local")
        # the consent card (the notification list names the story too)
        card = employee.locator("li", has_text=TITLE).filter(
            has=employee.get_by_role("button", name="Kirim jawaban")
        )
        expect(card).to_be_visible()
        card.get_by_label("Setuju", exact=True).check()
        card.get_by_label("Komentar untuk penulis").fill("Silakan, data saya sudah benar.")
        card.get_by_role("button", name="Kirim jawaban").click()
        expect(employee.get_by_text("persetujuan Anda sudah tercatat")).to_be_visible()

    moderator = journey.new_page()
    with journey.step("dasbor-moderator", moderator):
        sign_in(moderator, "moderator@demo.local")
        moderator.goto("/admin/")
        expect(moderator.locator("#awaiting-review-section tr", has_text=TITLE)).to_be_visible()

    row = moderator.locator("#awaiting-review-section tr", has_text=TITLE)
    row.get_by_role("button", name="Tindakan").first.click()
    with moderator.context.expect_page() as opened:
        row.get_by_role("link", name="Pratinjau").click()
    preview = opened.value
    with journey.step("pratinjau-moderator", preview):
        preview.wait_for_load_state()
        # Issue 15 item 3: the preview of a story with a consented employee renders.
        journey.check(
            preview.get_by_role("heading", name=TITLE).count() > 0,
            f"moderator preview does not show the story ({preview.url})",
        )
    preview.close()

    with journey.step("terbitkan", moderator):
        row = moderator.locator("#awaiting-review-section tr", has_text=TITLE)
        row.get_by_role("button", name="Tindakan").first.click()
        row.get_by_role("button", name="Menyetujui", exact=True).click()
        expect(moderator.locator("#awaiting-review-section tr", has_text=TITLE)).to_have_count(0)
    story.refresh_from_db()
    assert story.live

    # A visitor whose browser is in English: the portal still opens in Indonesian.
    visitor = journey.new_page(locale="en-US")
    with journey.step("cerita-publik", visitor):
        visitor.goto("/cerita/")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(visitor.get_by_text("Dimas Pratama, S.Kom.").first).to_be_visible()

    with journey.step("pencarian", visitor):
        visitor.goto("/cari/")
        visitor.locator("input[name=q]").first.fill("aduan warga")
        visitor.locator("input[name=q]").first.press("Enter")
        expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()

    with journey.step("umpan-rss", visitor):
        visitor.goto("/cerita/")
        feed_url = visitor.locator("a[href*='/feed/rss/']").first.get_attribute("href")
        response = visitor.request.get(feed_url)
        assert response.status == 200, f"RSS feed {feed_url}: {response.status}"
        titles = [item.findtext("title") for item in ET.fromstring(response.body()).iter("item")]
        journey.check(TITLE in titles, f"the new story is not in the RSS feed: {titles}")

    journey.finish()
