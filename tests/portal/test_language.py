"""The portal opens in Indonesian whatever the browser asks for, and switches on request."""

from http import HTTPStatus

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "en-GB,en;q=0.8,id;q=0.5"])
def test_an_english_browser_gets_indonesian(client, accept):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="id">' in html
    assert "Kata sandi" in html and "Password" not in html


def test_the_switcher_chooses_english_and_back(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="en">' in response.content.decode()
    # ...and stays English on the next page, whatever the browser says
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in html and "Password" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in html


def test_an_unknown_language_cookie_means_indonesian():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "fr"
    assert '<html lang="id">' in client.get("/accounts/login/").content.decode()


def _demo_chrome():
    """The navigation and footer links as the demo sets them (cms.demo.seed_stories)."""
    import json

    from wagtail.models import Site

    from cms.models import SiteChrome

    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.nav_links = json.dumps(
        [
            {"type": "link", "value": {"label": "Panduan", "url": "/panduan/"}},
            {"type": "link", "value": {"label": "Cari", "url": "/cari/"}},
        ]
    )
    chrome.footer_links = json.dumps(
        [{"type": "link", "value": {"label": "RSS cerita", "url": "/cerita/feed/rss/"}}]
    )
    chrome.save()


def _visible(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))


def test_english_mode_translates_the_menu_and_footer_links_it_knows(client, employee):
    _demo_chrome()
    client.force_login(employee)
    client.cookies["django_language"] = "en"
    text = _visible(client.get("/beranda/").content.decode())
    for english in ("Guide", "Search", "Stories RSS", "Dashboard", "Training", "Sign out"):
        assert english in text, english
    for indonesian in ("Panduan", " Cari ", "RSS cerita", "Pelatihan", "Keluar"):
        assert indonesian not in text, indonesian
    client.cookies["django_language"] = "id"
    text = _visible(client.get("/beranda/").content.decode())
    assert "Panduan" in text and "RSS cerita" in text


def test_signed_in_message_has_one_period_after_a_degree(client, employee, password):
    employee.full_name = "Dimas Pratama, S.Kom."
    employee.save()
    response = client.post(
        "/accounts/login/", {"login": employee.email, "password": password}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Berhasil masuk sebagai Dimas Pratama, S.Kom."], shown


def test_signed_in_message_ends_with_a_period_otherwise(client, employee, password):
    employee.full_name = "Rina Marlina"
    employee.save()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/accounts/login/", {"login": employee.email, "password": password}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Signed in as Rina Marlina."]


def test_one_word_for_recognition_and_no_reduplicated_halaman():
    """'Apresiasi' everywhere in the UI (never 'Rekognisi'); no clumsy 'halaman-halaman'."""
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2] / "locale"
    for path in root.glob("**/id/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(path)):
            shown = entry.msgstr or entry.msgid
            assert "Rekognisi" not in shown and "Rekognisi" not in entry.msgid, entry.msgid
            assert "halaman-halaman" not in shown, entry.msgid
