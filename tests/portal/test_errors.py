from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from portal.views import error_403

pytestmark = pytest.mark.django_db


def test_403_page_shows_the_reason_a_service_gave(employee):
    request = RequestFactory().get("/kinerja/")
    request.user = employee
    response = error_403(
        request, PermissionDenied("Hanya pejabat penilai yang dapat menilai laporan ini.")
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.content.decode()
    assert "Hanya pejabat penilai yang dapat menilai laporan ini." in body
    assert "Anda tidak berwenang" in body


def test_unknown_page_is_an_indonesian_404(client):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Halaman tidak ditemukan" in response.content.decode()
