import dataclasses

import pytest
import requests

from tests.factories import make_nip
from tests.oidc.server import client_for, providers_setting, running_provider

# The provider's people. NIPs with sex digit 2 and these numbers are never made by UserFactory
# (it makes sex 1), so the tests choose who exists in the portal.
NIPS = {
    name: make_nip(n, sex=2)
    for n, name in enumerate(
        ["pegawai", "admin-mfa", "admin-pwd", "admin-acr", "orang-luar", "palsu", "nonaktif"], 101
    )
}
ACCOUNTS = {
    **{
        name: {"nip": nip, "name": f"Uji {name}", "email": f"{name}@idp.bandung.go.id"}
        for name, nip in NIPS.items()
    },
    "tanpa-nip": {"name": "Tanpa NIP", "email": "tanpa-nip@idp.bandung.go.id"},
    "nip-salah": {"nip": "12345", "name": "NIP Salah", "email": "salah@idp.bandung.go.id"},
    # the NIP as people write it, with spaces
    "berspasi": {
        "nip": f"{NIPS['pegawai'][:8]} {NIPS['pegawai'][8:14]} {NIPS['pegawai'][14]} "
        f"{NIPS['pegawai'][15:]}",
        "name": "Berspasi",
        "email": "berspasi@idp.bandung.go.id",
    },
}
ACCOUNTS["admin-mfa"]["amr"] = ["pwd", "otp"]
ACCOUNTS["admin-acr"]["acr"] = "urn:bandung:loa:mfa"
ACCOUNTS["palsu"]["tamper"] = True
# an e-mail that a portal user has: the provider's e-mail must never be enough
ACCOUNTS["orang-luar"]["email"] = "kembar@uji.bandung.go.id"


@pytest.fixture(scope="session")
def identity_provider():
    with running_provider(clients=[client_for("http://testserver")], accounts=ACCOUNTS) as idp:
        yield idp


@pytest.fixture
def idp(settings, identity_provider):
    """The provider configured as the portal's SSO; a fresh browser at the provider."""
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting(
        settings.SOCIALACCOUNT_PROVIDERS, identity_provider.issuer
    )
    return dataclasses.replace(identity_provider, browser=requests.Session())
