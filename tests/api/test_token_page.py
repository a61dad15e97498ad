"""Admin BKPSDM's token page: create (secret shown once), list, revoke; nobody else."""

import pytest
from django.urls import reverse

from api.models import ApiToken, hash_key
from portal.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/kepegawaian/token-api/"


def test_only_admin_bkpsdm(client):
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_create_shows_the_secret_once_and_stores_its_hash(client, bkpsdm):
    client.force_login(bkpsdm)
    response = client.post(
        PAGE,
        {
            "name": "SIMPEG",
            "scopes": ["read:register", "write:register"],
            "expires_on": "2099-01-01",
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 302  # a reload does not make a second token
    response = client.get(response["Location"])
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith("pka_") and secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(secret) and token.scopes == [
        "read:register",
        "write:register",
    ]
    assert token.created_by == bkpsdm and token.rate_per_minute == 60
    assert secret not in client.get(PAGE).content.decode()  # never again
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.API_TOKEN)
    assert entry.actor == bkpsdm and "SIMPEG" in entry.new and secret not in entry.new


def test_bad_form_keeps_what_was_typed(client, bkpsdm):
    client.force_login(bkpsdm)
    response = client.post(
        PAGE, {"name": "SIMPEG", "scopes": [], "expires_on": "2000-01-01", "rate_per_minute": 60}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="SIMPEG"' in html
    assert not ApiToken.objects.exists()


def test_past_expiry_is_refused_by_the_service(client, bkpsdm):
    client.force_login(bkpsdm)
    response = client.post(
        PAGE,
        {
            "name": "SIMPEG",
            "scopes": ["read:register"],
            "expires_on": "2000-01-01",
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 400
    assert "Tanggal kedaluwarsa harus di masa depan." in response.content.decode()


def test_revoke(client, bkpsdm, make_token):
    token, secret = make_token()
    client.force_login(UserFactory())
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 403
    client.force_login(bkpsdm)
    response = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked and token.revoked_by == bkpsdm
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.API_TOKEN).count() == 2
    client.logout()
    refused = client.get("/api/v1/register/units", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401
