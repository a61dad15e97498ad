from http import HTTPStatus
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client):
    from django.db import OperationalError

    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/healthz/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "error"


class BrokenLayer:
    async def group_send(self, group, message):
        raise ConnectionError("redis down")


def test_healthz_says_degraded_when_the_channel_layer_fails(client):
    with mock.patch("portal.health.get_channel_layer", return_value=BrokenLayer()):
        response = client.get("/healthz/")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["channel_layer"] == "degraded"
