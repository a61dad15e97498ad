"""Issue 17 attacked again (approval): nobody approves their own SKP, on any path. Admin
BKPSDM approves on behalf for the SKPs nobody in the portal rates, but never their own: it is
not listed for them, "Pilih semua" does not tick it, and every approval path refuses it."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from performance import services
from performance.models import Skp
from performance.services.leaders import awaiting_approval_by
from portal.models import ADMIN_BKPSDM
from tests.factories import UserFactory

from .factories import make_skp

pytestmark = pytest.mark.django_db

TEAM = reverse("performance:team")
BULK = reverse("performance:skp_bulk_approve")


@pytest.fixture
def admins_own(bkpsdm_admin, cycle):
    """The Admin BKPSDM's own submitted SKP: no atasan, nobody designated (it waits)."""
    return make_skp(bkpsdm_admin, cycle, status="diajukan")


@pytest.fixture
def waiting(cycle):
    """Someone else's SKP nobody in the portal rates: Admin BKPSDM approves it on behalf."""
    return make_skp(UserFactory(atasan=None), cycle, status="diajukan")


def test_admins_own_skp_is_not_awaiting_his_approval(bkpsdm_admin, admins_own, waiting):
    assert list(awaiting_approval_by(bkpsdm_admin)) == [waiting]


def test_another_admin_sees_it(admins_own, waiting):
    other = UserFactory()
    other.groups.add(Group.objects.get_or_create(name=ADMIN_BKPSDM)[0])
    assert set(awaiting_approval_by(other)) == {admins_own, waiting}


def test_admin_may_not_approve_his_own_skp_on_behalf(bkpsdm_admin, admins_own):
    with pytest.raises(PermissionDenied):
        services.approve_skp(actor=bkpsdm_admin, skp=admins_own, document_ref="800/1")
    result = services.approve_skps(actor=bkpsdm_admin, skps=[admins_own])
    assert result.done == [] and len(result.refused) == 1
    assert Skp.objects.get(pk=admins_own.pk).status == "diajukan"


def test_team_page_does_not_offer_the_admins_own_skp(client, bkpsdm_admin, admins_own, waiting):
    client.force_login(bkpsdm_admin)
    response = client.get(TEAM)
    assert response.status_code == 200
    assert [skp.pk for skp in response.context["approvals"]] == [waiting.pk]


def test_select_all_does_not_tick_the_admins_own_skp(client, bkpsdm_admin, admins_own, waiting):
    client.force_login(bkpsdm_admin)
    response = client.post(BULK, {"semua": "1"})
    assert response.status_code == 200
    assert list(response.context["selected"]) == [waiting.pk]


def test_bulk_approval_of_his_own_skp_is_refused(client, bkpsdm_admin, admins_own):
    client.force_login(bkpsdm_admin)
    response = client.post(BULK, {"skp": [admins_own.pk], "konfirmasi": "ya"}, follow=True)
    assert "sendiri" in response.content.decode()
    assert Skp.objects.get(pk=admins_own.pk).status == "diajukan"


def test_on_behalf_approval_page_refuses_his_own_skp(client, bkpsdm_admin, admins_own):
    client.force_login(bkpsdm_admin)
    client.post(reverse("performance:skp_approve", args=[admins_own.pk]), {"document_ref": "800/2"})
    assert Skp.objects.get(pk=admins_own.pk).status == "diajukan"


def test_his_own_skp_page_offers_no_approval_on_behalf(client, bkpsdm_admin, admins_own):
    client.force_login(bkpsdm_admin)
    response = client.get(admins_own.get_absolute_url())
    assert response.status_code == 200
    assert response.context["waiting_for_rater"] and not response.context["approve_on_behalf"]


def test_he_is_not_told_to_approve_his_own_skp(bkpsdm_admin, cycle):
    other = UserFactory()
    other.groups.add(Group.objects.get_or_create(name=ADMIN_BKPSDM)[0])
    skp = make_skp(bkpsdm_admin, cycle, status="draf")
    assert services.answered_by(skp) == (services.WAITING, [other.pk])
