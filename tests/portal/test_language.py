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
