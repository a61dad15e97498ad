"""Who may call the API: tokens (scope, expiry, revocation, rate), sessions (reads only)."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from api.models import ApiToken, Scope, hash_key
from portal.models import OrgUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMPLOYEES = "/api/v1/register/employees"
UNIT = "/api/v1/register/units/dinas-uji-baru"
UNIT_BODY = {"nama": "Dinas Uji Baru", "jenis": "dinas"}


def put_json(client, path, body, **headers):
    return client.put(path, json.dumps(body), content_type="application/json", **headers)


def test_without_credentials_401_in_indonesian(client):
    response = client.get(EMPLOYEES)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Autentikasi diperlukan")


def test_unknown_token_401(client):
    response = client.get(EMPLOYEES, HTTP_AUTHORIZATION="Bearer pka_tidak-ada")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Token API tidak dikenal. Periksa token yang dikirim (Authorization: Bearer …); bila "
        "hilang, minta token baru kepada Admin BKPSDM."
    )


def test_secret_is_stored_hashed(make_token):
    token, secret = make_token()
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_key(secret) and secret not in json.dumps(stored.scopes)
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert secret.startswith(stored.prefix)


def test_revoked_token_401(client, make_token, bkpsdm):
    token, secret = make_token()
    services.revoke_token(actor=bkpsdm, token=token)
    response = client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Token API ini sudah dicabut. Minta token baru kepada Admin BKPSDM."
    )


def test_expired_token_401(client, make_token):
    token, secret = make_token()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Token API ini sudah kedaluwarsa. Minta token baru kepada Admin BKPSDM."
    )


def test_token_without_the_scope_403_and_nothing_saved(client, make_token):
    _token, secret = make_token(Scope.READ_REGISTER)
    response = put_json(client, UNIT, UNIT_BODY, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Token API ini tidak memiliki izin 'write:register' (Ubah register kepegawaian). "
        "Minta Admin BKPSDM membuat token dengan izin itu."
    )
    assert client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_last_used_is_recorded(client, make_token):
    token, secret = make_token()
    assert token.last_used_at is None
    client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_rate_limit_per_token_answers_429(client, make_token):
    _token, secret = make_token(rate=2)
    _other, other_secret = make_token(rate=2)
    codes = [
        client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code for _ in range(3)
    ]
    assert codes[:2] == [200, 200]
    response = client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Terlalu banyak permintaan" in response.json()["detail"]
    # another token has its own allowance
    assert client.get(EMPLOYEES, HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 200


def test_body_over_the_limit_413_json(client, bearer, settings):
    body = json.dumps({"pegawai": [], "pad": "x" * (10 * 1024 * 1024)})
    response = client.post("/api/v1/register/sync", body, content_type="application/json", **bearer)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "terlalu besar" in response.json()["detail"]


def test_body_that_is_not_json_is_refused(client, bearer):
    response = client.post(
        "/api/v1/register/sync", "{bukan json", content_type="application/json", **bearer
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_session_reads_with_own_rights(client):
    me, other = UserFactory(), UserFactory()
    client.force_login(me)
    listing = client.get(EMPLOYEES).json()
    assert [p["nip"] for p in listing["pegawai"]] == [me.nip]
    assert client.get(f"{EMPLOYEES}/{me.nip}").status_code == 200
    assert client.get(f"{EMPLOYEES}/{other.nip}").status_code == 404


def test_session_admin_reads_everyone(client, bkpsdm):
    other = UserFactory()
    client.force_login(bkpsdm)
    assert client.get(f"{EMPLOYEES}/{other.nip}").status_code == 200


def test_session_never_reaches_a_write(bkpsdm):
    """Even Admin BKPSDM's session, even with a CSRF token: writes take tokens only."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bkpsdm)
    response = put_json(browser, UNIT, UNIT_BODY)
    assert response.status_code == 401
    assert not OrgUnit.objects.filter(code="dinas-uji-baru").exists()
