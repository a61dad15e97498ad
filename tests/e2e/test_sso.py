"""Single sign-on in a real browser: the portal (Daphne) and a real OpenID Connect provider
(tests/oidc/provider.mjs), from the login page's button to the provider's logout."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.models import ADMIN_BKPSDM
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.oidc.conftest import ACCOUNTS, NIPS
from tests.oidc.server import (
    client_for,
    free_port,
    providers_setting,
    require_node,
    running_provider,
)


@pytest.fixture(scope="module")
def sso_live_server(request, django_db_setup, django_db_blocker):
    """The portal's live server, configured (before it forks) for a provider on a port chosen
    now; the provider starts once the portal's address, its redirect URI, is known."""
    require_node()
    port = free_port()
    saved = settings.SOCIALACCOUNT_PROVIDERS, settings.CONTENT_SECURITY_POLICY
    issuer = f"http://127.0.0.1:{port}"
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting(saved[0], issuer)
    directives = saved[1]["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **saved[1],
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], issuer]},
    }
    try:
        base_url = request.getfixturevalue("live_server_url")
        with running_provider(clients=[client_for(base_url)], accounts=ACCOUNTS, port=port):
            yield base_url
    finally:
        settings.SOCIALACCOUNT_PROVIDERS, settings.CONTENT_SECURITY_POLICY = saved


def sign_in_at_provider(page, login: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Masuk dengan SSO Kota Uji").click()
    page.get_by_label("Nama pengguna").fill(login)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_sign_in_by_nip_through_the_provider_and_sign_out_of_both(sso_live_server, new_page):
    person = UserFactory(nip=NIPS["pegawai"], full_name="Ayu Lestari")
    page = new_page()
    sign_in_at_provider(page, "pegawai")
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    screenshot(page, "sso-beranda")
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="Keluar").click()
    # the provider asks, then sends the person back to the portal's home page
    page.get_by_role("button", name="Ya, keluar").click()
    expect(page).to_have_url(f"{sso_live_server}/")
    page.goto("/beranda/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # signed out at the provider too: the button leads to its login form again
    page.get_by_role("button", name="Masuk dengan SSO Kota Uji").click()
    expect(page.get_by_label("Nama pengguna")).to_be_visible()
    assert person.socialaccount_set.count() == 1


def test_an_unknown_nip_gets_a_page_that_says_what_to_do(sso_live_server, new_page):
    page = new_page()
    sign_in_at_provider(page, "orang-luar")
    expect(page.get_by_role("alert")).to_contain_text(f"NIP {NIPS['orang-luar']} belum terdaftar")
    expect(page.get_by_text("Hubungi Admin BKPSDM")).to_be_visible()
    screenshot(page, "sso-nip-unknown")


def test_admin_bkpsdm_without_mfa_at_the_provider_is_asked_to_set_up_totp(
    sso_live_server, new_page
):
    UserFactory(nip=NIPS["admin-pwd"], groups=[ADMIN_BKPSDM])
    page = new_page()
    sign_in_at_provider(page, "admin-pwd")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
