"""Single sign-on against a real OpenID Connect provider (tests/oidc/provider.mjs): the
portal's side through Django's test client, the person's browser at the provider through
`requests` (tests/oidc/server.py)."""

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse

from portal.models import ADMIN_BKPSDM
from tests.factories import UserFactory
from tests.oidc.conftest import NIPS
from tests.oidc.server import (
    CALLBACK_PATH,
    CLIENT_ID,
    PROVIDER_ID,
    free_port,
    providers_setting,
    query,
)

pytestmark = pytest.mark.django_db
PORTAL = "http://testserver"
LOGIN_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/"


def start(client):
    """Press the login page's SSO button: the redirect to the provider's authorization URL."""
    response = client.post(LOGIN_PATH)
    assert response.status_code == HTTPStatus.FOUND
    return response["Location"]


def sso_login(client, idp, login: str):
    back = idp.authorize(start(client), login)
    assert back.startswith(f"{PORTAL}{CALLBACK_PATH}?")
    return client.get(back.removeprefix(PORTAL))


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_discovery_gives_the_endpoints_and_the_login_uses_code_with_pkce(client, idp):
    discovery = requests.get(f"{idp.issuer}/.well-known/openid-configuration", timeout=5).json()
    url = start(client)
    assert url.startswith(discovery["authorization_endpoint"] + "?")
    params = query(url)
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == f"{PORTAL}{CALLBACK_PATH}"
    assert set(params["scope"].split()) >= {"openid", "profile", "email"}
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["state"]


def test_login_page_offers_the_identity_provider(client, idp):
    body = client.get(reverse("account_login")).content.decode()
    assert f'action="{LOGIN_PATH}?process=login"' in body or f'action="{LOGIN_PATH}"' in body
    assert "Masuk dengan SSO Kota Uji" in body
    assert 'name="password"' in body  # local passwords stay on by default


def test_a_person_is_matched_by_the_nip_claim(client, idp):
    user = UserFactory(nip=NIPS["pegawai"], email="lain@uji.bandung.go.id")
    response = sso_login(client, idp, "pegawai")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:beranda")
    assert logged_in_user_id(client) == str(user.pk)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, "pegawai")
    assert client.get(reverse("portal:beranda")).status_code == HTTPStatus.OK


def test_the_nip_may_come_with_spaces_and_a_second_login_reuses_the_link(client, idp):
    user = UserFactory(nip=NIPS["pegawai"])
    sso_login(client, idp, "berspasi")
    assert logged_in_user_id(client) == str(user.pk)
    client.logout()
    idp.browser.cookies.clear()
    sso_login(client, idp, "berspasi")
    assert logged_in_user_id(client) == str(user.pk)
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_an_email_alone_never_logs_anybody_in(client, idp):
    twin = UserFactory(email="kembar@uji.bandung.go.id")  # the provider's e-mail, another NIP
    response = sso_login(client, idp, "orang-luar")
    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.content.decode()
    assert f"NIP {NIPS['orang-luar']} belum terdaftar di Portal Kinerja ASN." in body
    assert "Hubungi Admin BKPSDM" in body
    assert logged_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    assert twin.socialaccount_set.count() == 0


@pytest.mark.parametrize("login", ["tanpa-nip", "nip-salah"])
def test_a_missing_or_invalid_nip_is_refused(client, idp, login):
    response = sso_login(client, idp, login)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "tidak mengirim NIP yang sah" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_an_inactive_account_is_refused(client, idp):
    UserFactory(nip=NIPS["nonaktif"], is_active=False)
    response = sso_login(client, idp, "nonaktif")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "tidak aktif" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_subject_linked_to_another_person_is_refused(client, idp):
    first = UserFactory(nip=NIPS["pegawai"])
    sso_login(client, idp, "pegawai")
    client.logout()
    # the register changed the NIP of the linked account; another person now holds it
    first.nip = NIPS["nonaktif"]
    first.save()
    UserFactory(nip=NIPS["pegawai"])
    idp.browser.cookies.clear()
    response = sso_login(client, idp, "pegawai")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "sudah terhubung ke pegawai lain" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_tampered_id_token_is_refused(client, idp):
    """The provider's token answer carries an ID token whose payload was changed to claim MFA
    (signature of the original): the portal checks the signature and refuses."""
    UserFactory(nip=NIPS["palsu"], groups=[ADMIN_BKPSDM])
    response = sso_login(client, idp, "palsu")
    assert response.status_code == HTTPStatus.UNAUTHORIZED  # allauth's error page
    assert "Gagal masuk lewat penyedia identitas" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_identity_provider_apps_stored_in_the_database_are_ignored(client):
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="dari-db",
        name="Dari basis data",
        client_id="x",
        secret="y",
        settings={"server_url": "http://127.0.0.1:9"},
    )
    assert "Dari basis data" not in client.get(reverse("account_login")).content.decode()
    assert client.post("/accounts/oidc/dari-db/login/").status_code == HTTPStatus.NOT_FOUND


def test_nobody_signs_up_through_the_provider(client, idp, django_user_model):
    before = django_user_model.objects.count()
    sso_login(client, idp, "orang-luar")
    assert django_user_model.objects.count() == before


def test_connecting_a_provider_account_by_hand_is_refused(client, idp):
    user = UserFactory(nip=NIPS["admin-pwd"])
    client.force_login(user)
    url = client.post(LOGIN_PATH + "?process=connect")["Location"]
    back = idp.authorize(url, "pegawai")
    response = client.get(back.removeprefix(PORTAL))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not SocialAccount.objects.exists()


# --- MFA: Admin BKPSDM ----------------------------------------------------------------------


def test_admin_bkpsdm_whose_provider_proved_mfa_needs_no_totp_here(client, idp):
    UserFactory(nip=NIPS["admin-mfa"], groups=[ADMIN_BKPSDM])  # no TOTP in the portal
    response = sso_login(client, idp, "admin-mfa")
    assert response["Location"] == reverse("portal:beranda")
    assert client.get(reverse("portal:beranda")).status_code == HTTPStatus.OK


def test_an_acr_listed_as_mfa_counts_too(client, idp, settings):
    settings.PORTAL_OIDC_MFA_ACR = ["urn:bandung:loa:mfa"]
    UserFactory(nip=NIPS["admin-acr"], groups=[ADMIN_BKPSDM])
    sso_login(client, idp, "admin-acr")
    assert client.get(reverse("portal:beranda")).status_code == HTTPStatus.OK


def test_an_acr_not_listed_is_no_proof(client, idp):
    UserFactory(nip=NIPS["admin-acr"], groups=[ADMIN_BKPSDM])
    sso_login(client, idp, "admin-acr")
    response = client.get(reverse("portal:beranda"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_admin_bkpsdm_with_totp_still_types_the_code_after_a_password_only_login(client, idp):
    user = UserFactory(nip=NIPS["admin-pwd"], groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = sso_login(client, idp, "admin-pwd")
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None


def test_admin_bkpsdm_without_totp_must_set_it_up_after_a_password_only_login(client, idp):
    UserFactory(nip=NIPS["admin-pwd"], groups=[ADMIN_BKPSDM])
    sso_login(client, idp, "admin-pwd")
    response = client.get(reverse("portal:beranda"))
    assert response["Location"] == reverse("mfa_activate_totp")
    # the fresh login at the provider counts as recent authentication: no password asked
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.OK


def test_a_password_login_after_an_sso_one_keeps_nothing_of_it(client, idp, password):
    UserFactory(nip=NIPS["admin-mfa"], groups=[ADMIN_BKPSDM])
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    sso_login(client, idp, "admin-mfa")
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": admin.nip, "password": password})
    assert client.get(reverse("portal:beranda"))["Location"] == reverse("mfa_activate_totp")


# --- Logout ---------------------------------------------------------------------------------


def test_logout_ends_the_session_here_and_at_the_provider(client, idp):
    UserFactory(nip=NIPS["pegawai"])
    sso_login(client, idp, "pegawai")
    discovery = requests.get(f"{idp.issuer}/.well-known/openid-configuration", timeout=5).json()
    response = client.post(reverse("account_logout"))
    assert logged_in_user_id(client) is None
    url = response["Location"]
    assert url.startswith(discovery["end_session_endpoint"] + "?")
    params = query(url)
    assert params["post_logout_redirect_uri"] == f"{PORTAL}/"
    assert params["client_id"] == CLIENT_ID
    assert params["id_token_hint"].count(".") == 2
    assert idp.end_session(url) == f"{PORTAL}/"
    # the provider's session is over: the next login asks who you are again
    again = idp.browser.get(start(client))
    assert urlsplit(again.url).path.startswith("/interaction/")
    assert 'name="login"' in again.text


def test_logout_still_ends_the_portal_session_when_the_provider_is_down(client, idp, settings):
    UserFactory(nip=NIPS["pegawai"])
    sso_login(client, idp, "pegawai")
    down = f"http://127.0.0.1:{free_port()}"
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting(settings.SOCIALACCOUNT_PROVIDERS, down)
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None


def test_logout_after_a_password_login_stays_in_the_portal(client, employee, password):
    client.post(reverse("account_login"), {"login": employee.nip, "password": password})
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"


# --- LOCAL_PASSWORD_LOGIN=0 ------------------------------------------------------------------


def test_without_local_passwords_the_page_shows_only_the_provider(client, idp, settings):
    settings.PORTAL_LOCAL_PASSWORD_LOGIN = False
    body = client.get(reverse("account_login")).content.decode()
    assert "Masuk dengan SSO Kota Uji" in body
    assert 'name="password"' not in body


def test_without_local_passwords_a_posted_password_is_refused(client, settings, employee, password):
    settings.PORTAL_LOCAL_PASSWORD_LOGIN = False
    response = client.post(reverse("account_login"), {"login": employee.nip, "password": password})
    assert response.status_code == HTTPStatus.OK
    assert "Masuk dengan kata sandi tidak lagi dipakai" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_without_local_passwords_a_superuser_still_has_the_break_glass_path(
    client, settings, password
):
    settings.PORTAL_LOCAL_PASSWORD_LOGIN = False
    root = UserFactory(is_superuser=True, is_staff=True)
    body = client.get(reverse("account_login") + "?darurat=1").content.decode()
    assert 'name="password"' in body
    response = client.post(reverse("account_login"), {"login": root.nip, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert logged_in_user_id(client) == str(root.pk)
