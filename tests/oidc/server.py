"""The OpenID Connect provider of the SSO tests: panva's `oidc-provider` (an independent,
certified implementation, an npm devDependency) run by Node from tests/oidc/provider.mjs.

Without Node or the npm package the tests are skipped with the reason, unless
OIDC_REQUIRED=1 or E2E_REQUIRED=1 (CI: `make install-dev` runs `npm ci`), which makes them fail.
"""

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "portal-kinerja"
CLIENT_SECRET = "rahasia-klien-uji-0123456789"
PROVIDER_ID = "kota"
CALLBACK_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client_for(base_url: str) -> dict:
    """The portal registered as a client at the provider, for a portal at `base_url`."""
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{base_url}{CALLBACK_PATH}"],
        "post_logout_redirect_uris": [f"{base_url}/"],
        "token_endpoint_auth_method": "client_secret_post",
    }


def require_node() -> str:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        message = (
            "the SSO tests need Node.js and the npm package oidc-provider (npm ci) to run a "
            "real OpenID Connect provider"
        )
        if "1" in (os.environ.get("OIDC_REQUIRED"), os.environ.get("E2E_REQUIRED")):
            pytest.fail(message)
        pytest.skip(message)
    return node


def providers_setting(current: dict, issuer: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS with the portal's app at `issuer`, as the environment makes it
    (portal/settings/accounts.py)."""
    app = {
        "provider_id": PROVIDER_ID,
        "name": "SSO Kota Uji",
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "settings": {
            "server_url": issuer,
            "fetch_userinfo": True,
            "oauth_pkce_enabled": True,
            "scope": ["openid", "profile", "email"],
        },
    }
    return {**current, "openid_connect": {**current["openid_connect"], "APPS": [app]}}


@dataclass
class IdentityProvider:
    issuer: str
    accounts: dict
    # the person's browser at the provider (its session cookies)
    browser: requests.Session = field(default_factory=requests.Session)

    def authorize(self, url: str, login: str) -> str:
        """Walk the person's browser through the provider from the authorization URL, signing
        in as `login` if asked, up to the redirect back to the portal (returned)."""
        response = self.browser.get(url, allow_redirects=False)
        while response.is_redirect:
            location = requests.compat.urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            response = self.browser.get(location, allow_redirects=False)
        form = re.search(r'action="(/interaction/[^"]+/login)"', response.text)
        assert form, response.text
        response = self.browser.post(
            f"{self.issuer}{form.group(1)}", data={"login": login}, allow_redirects=False
        )
        while response.is_redirect:
            location = requests.compat.urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            response = self.browser.get(location, allow_redirects=False)
        raise AssertionError(f"the provider did not send the person back: {response.text}")

    def end_session(self, url: str) -> str:
        """Confirm the provider's logout page; return where the provider sends the person."""
        page = self.browser.get(url)
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page.text, re.S)
        assert form, page.text
        data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
        response = self.browser.post(
            requests.compat.urljoin(page.url, form.group(1)),
            data={**data, "logout": "yes"},
            allow_redirects=False,
        )
        assert response.is_redirect, response.text
        return response.headers["Location"]


@contextmanager
def running_provider(
    *, clients: list[dict], accounts: dict, port: int | None = None
) -> Iterator[IdentityProvider]:
    node = require_node()
    port = port or free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_ACCOUNTS": json.dumps(accounts),
    }
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            raise RuntimeError(f"the OpenID Connect provider did not start: {line!r}")
        yield IdentityProvider(issuer=line.split()[1], accounts=accounts)
    finally:
        process.terminate()
        process.wait(timeout=10)


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
