"""SSO is configured from the environment only (portal/settings/accounts.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.portal.test_settings import PRODUCTION, run_manage

ROOT = Path(__file__).resolve().parents[2]
SSO_ENV = {
    "OIDC_ISSUER": "https://sso.bandung.go.id/realms/asn/",
    "OIDC_CLIENT_ID": "portal-kinerja",
    "OIDC_CLIENT_SECRET": "rahasia",
    "OIDC_NIP_CLAIM": "nip_asn",
    "OIDC_NAME": "SSO Pemkot Bandung",
    "OIDC_MFA_ACR": "urn:bandung:loa:2,urn:bandung:loa:3",
    "LOCAL_PASSWORD_LOGIN": "0",
}
PRINT = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'apps': settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'], "
    "'nip': settings.PORTAL_OIDC_NIP_CLAIM, 'acr': settings.PORTAL_OIDC_MFA_ACR, "
    "'local': settings.PORTAL_LOCAL_PASSWORD_LOGIN, "
    "'form_action': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']}))"
)


def settings_with(env: dict) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "OIDC_"))}
    base.pop("LOCAL_PASSWORD_LOGIN", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_environment_configures_the_provider():
    found = settings_with(SSO_ENV)
    (app,) = found["apps"]
    assert app["provider_id"] == "kota"
    assert app["name"] == "SSO Pemkot Bandung"
    assert (app["client_id"], app["secret"]) == ("portal-kinerja", "rahasia")
    assert app["settings"]["server_url"] == "https://sso.bandung.go.id/realms/asn"
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert found["nip"] == "nip_asn"
    assert found["acr"] == ["urn:bandung:loa:2", "urn:bandung:loa:3"]
    assert found["local"] is False
    assert found["form_action"] == ["'self'", "https://sso.bandung.go.id"]


def test_without_an_issuer_there_is_no_sso_and_passwords_stay():
    found = settings_with({})
    assert found["apps"] == []
    assert found["nip"] == "nip"
    assert found["local"] is True
    assert found["form_action"] == ["'self'"]


def test_check_deploy_is_clean_with_sso_configured():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **SSO_ENV}
    )
    assert result.returncode == 0, result.stdout + result.stderr
