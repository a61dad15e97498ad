"""Security headers: the strict CSP on the public site, the editor's own policy on /admin/ only."""

import re
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz/", "/halaman-tidak-ada/"])
def test_public_pages_get_the_strict_policy(client, path):
    policy = directives(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["connect-src"][0] == "'self'"
    assert all(value.startswith(("'self'", "wss://", "ws://")) for value in policy["connect-src"])
    assert "'unsafe-inline'" not in client.get(path).headers["Content-Security-Policy"]


def test_beranda_gets_the_strict_policy_and_has_no_inline_script(client_for, employee):
    response = client_for(employee).get("/beranda/")
    assert response.status_code == HTTPStatus.OK
    assert directives(response)["script-src"] == ["'self'"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts"
    inline = [tag for tag in scripts if "src=" not in tag and "application/json" not in tag]
    assert inline == []
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_the_editor_workspace_has_its_own_policy_on_its_paths_only(client_for, superuser):
    client = client_for(superuser)
    admin = client.get("/admin/")
    assert admin.status_code == HTTPStatus.OK
    policy = directives(admin)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames admin URLs
    assert policy["object-src"] == ["'none'"]
    # a path that merely starts with the same letters is public, and strict
    assert directives(client.get("/administrasi/"))["script-src"] == ["'self'"]
    # the Django admin works under the strict policy
    assert directives(client.get("/django-admin/"))["script-src"] == ["'self'"]


def test_permissions_and_referrer_policies(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "fullscreen" not in policy  # video embeds may go full screen
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
