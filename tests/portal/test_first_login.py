"""Issue 15.7: Admin BKPSDM's first login, as they walk it (HTTP): the password once, the word
"Kata sandi" throughout, why two-factor is required, and a way forward from the recovery codes."""

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from portal.models import ADMIN_BKPSDM
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def admin_logged_in(client):
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    return admin


def test_first_login_goes_straight_to_the_totp_setup_without_a_second_password(
    client, admin_logged_in
):
    response = client.get("/beranda/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert 'name="password"' not in body  # no "Konfirmasi Akses" in between
    assert "Verifikasi dua langkah wajib untuk peran Anda" in body
    assert "Admin BKPSDM" in body


def test_the_whole_first_login_ends_on_the_beranda(client, admin_logged_in):
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert Authenticator.objects.filter(user=admin_logged_in, type=Authenticator.Type.TOTP).exists()
    page = client.get(response.url, follow=True)
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert "Lanjutkan" in body
    assert f'href="{reverse("portal:beranda")}"' in body
    assert client.get(reverse("portal:beranda")).status_code == HTTPStatus.OK


def test_an_old_login_is_asked_for_the_password_again(client, admin_logged_in, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the login is no longer recent
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/reauthenticate/", "/accounts/password/change/"]
)
def test_one_word_for_password(client, admin_logged_in, url):
    if url == "/accounts/login/":
        client.logout()
    body = client.get(url).content.decode()
    assert "Kata Kunci" not in body and "kata kunci" not in body
    assert "Kata sandi" in body or "kata sandi" in body
