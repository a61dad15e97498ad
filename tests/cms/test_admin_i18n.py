"""The Wagtail admin screens that editors use read in Indonesian."""

import re
from http import HTTPStatus
from pathlib import Path

import polib
import pytest
import wagtail
from django.urls import reverse

pytestmark = pytest.mark.django_db

WAGTAIL = Path(wagtail.__file__).parent
OURS = Path(__file__).resolve().parents[2] / "locale" / "wagtail-admin" / "id" / "LC_MESSAGES"
CATALOGUES = [
    "admin",
    ".",
    "images",
    "documents",
    "snippets",
    "users",
    "embeds",
    "sites",
    "contrib/forms",
    "contrib/redirects",
]


def wagtail_untranslated(app: str, domain: str) -> set[tuple[str | None, str]]:
    base = WAGTAIL / app / "locale"
    english = polib.pofile(str(base / "en" / "LC_MESSAGES" / f"{domain}.po"))
    shipped = polib.pofile(str(base / "id_ID" / "LC_MESSAGES" / f"{domain}.po"))
    done = {(e.msgctxt, e.msgid) for e in shipped if e.translated()}
    return {(e.msgctxt, e.msgid) for e in english if not e.obsolete} - done


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_wagtail_leaves_in_english_has_our_indonesian(domain):
    ours = polib.pofile(str(OURS / f"{domain}.po"))
    translated = {(e.msgctxt, e.msgid) for e in ours if e.translated()}
    apps = ["admin"] if domain == "djangojs" else CATALOGUES
    missing = set()
    for app in apps:
        missing |= wagtail_untranslated(app, domain) - translated
    assert sorted(missing, key=str) == []


def test_our_wagtail_translations_keep_the_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")
    for entry in polib.pofile(str(OURS / "django.po")):
        source = set(placeholder.findall(entry.msgid)) | set(
            placeholder.findall(entry.msgid_plural or "")
        )
        text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        assert set(placeholder.findall(text)) <= source, entry.msgid


SCREENS = [
    # (url name or path, former English, Indonesian now)
    ("/admin/", ["Reports", "Help", "Search all pages"], ["Laporan", "Bantuan"]),
    (
        "explorer",
        ["Date updated", "Page type", "Show filters"],
        ["Tanggal diperbarui", "Jenis halaman"],
    ),
    (
        "add_story",
        ["Set schedule", "Comment notifications"],
        ["Atur jadwal", "Notifikasi komentar"],
    ),
    ("/admin/images/", ["Sort by", "Newest"], ["Urutkan menurut", "Terbaru"]),
    ("/admin/documents/", ["Show filters", "Add a document"], ["Tampilkan saringan"]),
    ("/admin/account/", ["Profile", "Notifications"], ["Profil", "Notifikasi"]),
    ("/admin/reports/workflow/", ["Requested by", "Workflow history"], ["Diminta oleh"]),
]


@pytest.mark.parametrize(("screen", "english", "indonesian"), SCREENS)
def test_editor_screens_are_in_indonesian(
    client, komunikasi, story_index, screen, english, indonesian
):
    client.force_login(komunikasi)
    url = {
        "explorer": reverse("wagtailadmin_explore", args=[story_index.pk]),
        "add_story": reverse(
            "wagtailadmin_pages:add", args=["cms", "successstorypage", story_index.pk]
        ),
    }.get(screen, screen)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    for text in indonesian:
        assert text in content, text
    visible = re.sub(r"<[^>]+>", " ", content)
    for text in english:
        assert f" {text} " not in f" {' '.join(visible.split())} ", text


def test_the_moderator_sees_the_approval_actions_in_indonesian(
    client, moderator, featured, make_story
):
    from cms.models import ConsentRequest
    from cms.services import answer_consent

    story = make_story("Cerita moderasi", people=[featured])
    story.get_workflow().start(story, story.owner)
    answer_consent(
        consent_request=ConsentRequest.objects.get(page=story), user=featured, approve=True
    )
    client.force_login(moderator)
    content = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert "Minta perubahan" in content  # "Request changes"
    assert "Setujui dengan komentar" in content  # "Approve with comment"
    assert "Request changes" not in content
