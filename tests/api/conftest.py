import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone

from api import services
from api.models import Scope
from portal.models import OrgUnit
from tests.factories import UserFactory


@pytest.fixture
def bkpsdm(db):
    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    return admin


@pytest.fixture
def make_token(bkpsdm):
    """make_token(*scopes, **fields) -> (token, secret)."""

    def make(*scopes, days=30, rate=1000, name="SIMPEG Kota"):
        return services.create_token(
            actor=bkpsdm,
            name=name,
            scopes=list(scopes or Scope.values),
            expires_at=timezone.now() + dt.timedelta(days=days),
            rate_per_minute=rate,
        )

    return make


@pytest.fixture
def bearer(make_token):
    """A token with every scope, as request headers."""
    _token, secret = make_token()
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def dishub(db):
    return OrgUnit.objects.get_or_create(
        code="dinas-perhubungan", defaults={"name": "Dinas Perhubungan", "kind": "dinas"}
    )[0]


def row(nip, name, unit="dinas-perhubungan", atasan="", **extra):
    return {
        "nip": nip,
        "nama_lengkap": name,
        "email": f"{nip}@contoh.go.id",
        "jabatan": "Staf",
        "jenis_jabatan": "pelaksana",
        "status": "PNS",
        "kode_unit": unit,
        "nip_atasan": atasan,
        **extra,
    }


@pytest.fixture
def wsgi_keeps_connection():
    """Django's WSGI handler closes the database connection after each response; the test's
    transaction lives on it (Django's own test client disconnects the same receivers)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
