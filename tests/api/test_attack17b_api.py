"""Issue 17 attacked again through the API: a token outlives neither its creator's account
nor gives a deactivated person a team (the register sync refuses them as atasan)."""

import json

import pytest

from portal.models import User
from tests.factories import UserFactory

from .conftest import row

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/register/sync"
EMPLOYEES = "/api/v1/register/employees"
STAFF = "199105202015031001"


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_token_of_a_deactivated_creator_neither_reads_nor_writes(client, bearer, bkpsdm, dishub):
    bkpsdm.is_active = False
    bkpsdm.save(update_fields=["is_active"])
    read = client.get(EMPLOYEES, **bearer)
    assert read.status_code == 401
    assert "dinonaktifkan" in read.json()["detail"]
    write = post(client, SYNC, {"pegawai": [row(STAFF, "Deden")]}, bearer)
    assert write.status_code == 401
    assert not User.objects.filter(nip=STAFF).exists()


def test_sync_refuses_a_deactivated_atasan(client, bearer, dishub):
    boss = UserFactory(org_unit=dishub, is_active=False, full_name="Kabid Nonaktif")
    response = post(client, SYNC, {"pegawai": [row(STAFF, "Deden", atasan=boss.nip)]}, bearer)
    assert response.status_code == 422
    assert any("dinonaktifkan" in error["message"] for error in response.json()["errors"])
    assert not User.objects.filter(nip=STAFF).exists()
