"""A pegawai who opens an address of Wagtail's admin (a link to the register import, say) gets
the portal's 403 page; found on the issue 18 walk as a redirect loop (admin → login → admin)."""

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator

from portal.models import ADMIN_BKPSDM
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/pegawai/impor/", "/admin/pegawai/riwayat/"])
def test_a_pegawai_in_the_admin_gets_the_403_page_not_a_loop(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "hubungi admin BKPSDM" in response.content.decode()
    assert client.post(path, {"action": "confirm"}).status_code == HTTPStatus.FORBIDDEN


def test_admin_bkpsdm_and_visitors_are_unchanged(client):
    assert client.get("/admin/pegawai/impor/")["Location"].startswith("/accounts/login/")
    admin = UserFactory(groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    assert client.get("/admin/pegawai/impor/").status_code == HTTPStatus.OK


def test_a_signed_in_pegawai_can_still_reach_the_admin_login_redirect(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == HTTPStatus.FOUND
