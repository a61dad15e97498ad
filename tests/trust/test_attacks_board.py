"""Issue 14.3 and 14.4, tried as an attacker would: a live board feed that outlives the
revocation of what opened it, and an opt-out that the board's own keys undo."""

import json
import uuid
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from leaderboard.models import KioskLink
from leaderboard.routing import websocket_urlpatterns
from leaderboard.services import award_points, revoke_kiosk_link
from portal.models import ADMIN_BKPSDM, User
from portal.sockets import SESSION_CLOSED_CODE
from tests.factories import OrgUnitFactory, UserFactory
from tests.helpers import with_user

pytestmark = [pytest.mark.django_db(transaction=True)]

CLOSED = {"type": "websocket.close", "code": SESSION_CLOSED_CODE}


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def _admin(**extra):
    admin = UserFactory(groups=[ADMIN_BKPSDM], full_name="Admin Uji", **extra)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return admin


async def board_socket(user, path="/ws/board/") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), path)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def _kiosk_ticket(client, link) -> str:
    """The ticket the kiosk page hands its screen (as a TV would get it)."""
    response = client.get(reverse("leaderboard:snapshot"), {"k": link.token})
    assert response.status_code == HTTPStatus.OK
    return response.json()["ticket"]


# --- 14.3: revocation reaches what is open -------------------------------------------------


async def test_revoking_a_kiosk_link_closes_its_screens_and_its_old_ticket(client):
    admin = await sync_to_async(_admin)()
    link = await sync_to_async(KioskLink.objects.create)(
        org_unit=await sync_to_async(OrgUnitFactory)()
    )
    other = await sync_to_async(KioskLink.objects.create)(org_unit=link.org_unit)
    ticket = await sync_to_async(_kiosk_ticket)(client, link)
    other_ticket = await sync_to_async(_kiosk_ticket)(client, other)
    screen = await board_socket(AnonymousUser(), f"/ws/board/?ticket={ticket}")
    other_screen = await board_socket(AnonymousUser(), f"/ws/board/?ticket={other_ticket}")

    await sync_to_async(client.force_login)(admin)
    response = await sync_to_async(client.post)(
        reverse("leaderboard:kiosk_link_revoke", args=[link.pk])
    )
    assert response.status_code == HTTPStatus.FOUND

    assert await screen.receive_output(timeout=2) == CLOSED
    assert await other_screen.receive_nothing(timeout=0.3)  # another screen stays
    # the ticket is still within its 15 minutes, but its link is revoked
    again = WebsocketCommunicator(
        with_user(URLRouter(websocket_urlpatterns), AnonymousUser()),
        f"/ws/board/?ticket={ticket}",
    )
    connected, _ = await again.connect()
    assert not connected
    await other_screen.disconnect()


async def test_deactivation_through_the_wagtail_bulk_action_closes_the_sockets(client):
    admin = await sync_to_async(_admin)(is_superuser=True, is_staff=True)
    victim, bystander = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    theirs, others = await board_socket(victim), await board_socket(bystander)

    await sync_to_async(client.force_login)(admin)
    url = reverse("wagtail_bulk_action", args=("portal", "user", "set_active_state"))
    response = await sync_to_async(client.post)(f"{url}?id={victim.pk}", {"mark_as_active": False})
    assert response.status_code == HTTPStatus.FOUND
    assert not (await User.objects.aget(pk=victim.pk)).is_active

    assert await theirs.receive_output(timeout=2) == CLOSED
    assert await others.receive_nothing(timeout=0.3)
    await others.disconnect()


async def test_deactivation_by_any_save_closes_the_sockets():
    """The Wagtail user form, Django admin, a shell: all end in `save()`."""
    victim = await sync_to_async(UserFactory)()
    socket = await board_socket(victim)

    def deactivate():
        person = User.objects.get(pk=victim.pk)
        person.is_active = False
        person.save()

    await sync_to_async(deactivate)()
    assert await socket.receive_output(timeout=2) == CLOSED


async def test_a_password_change_through_allauth_closes_the_other_sockets(client, password):
    victim = await sync_to_async(UserFactory)()
    stolen = await board_socket(victim)  # e.g. a board left open on a shared computer

    await sync_to_async(client.force_login)(victim)
    response = await sync_to_async(client.post)(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "Kata-sandi-baru-2026",
            "password2": "Kata-sandi-baru-2026",
        },
    )
    assert response.status_code == HTTPStatus.FOUND

    assert await stolen.receive_output(timeout=2) == CLOSED


async def test_set_password_closes_the_sockets_and_ordinary_saves_do_not():
    victim = await sync_to_async(UserFactory)()
    socket = await board_socket(victim)

    def edit(change):
        person = User.objects.get(pk=victim.pk)
        change(person)
        person.save()

    await sync_to_async(edit)(lambda p: setattr(p, "jabatan", "Analis Kebijakan"))
    await sync_to_async(edit)(lambda p: setattr(p, "is_active", True))
    assert await socket.receive_nothing(timeout=0.3)

    await sync_to_async(edit)(lambda p: p.set_password("lain-sekali-2026"))  # Django admin's way
    assert await socket.receive_output(timeout=2) == CLOSED


async def test_a_deactivation_by_bulk_update_closes_only_those_deactivated():
    """An import that writes `is_active` with bulk_update (a CASE expression)."""
    leaving, staying = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    gone, kept = await board_socket(leaving), await board_socket(staying)

    def run_import():
        people = list(User.objects.filter(pk__in=[leaving.pk, staying.pk]).order_by("pk"))
        for person in people:
            person.is_active = person.pk != leaving.pk
        User.objects.bulk_update(people, ["is_active"])

    await sync_to_async(run_import)()
    assert await gone.receive_output(timeout=2) == CLOSED
    assert await kept.receive_nothing(timeout=0.3)
    await kept.disconnect()


async def test_a_password_written_in_bulk_closes_the_sockets():
    victim = await sync_to_async(UserFactory)()
    socket = await board_socket(victim)
    await sync_to_async(User.objects.filter(pk=victim.pk).update)(password="!unusable")
    assert await socket.receive_output(timeout=2) == CLOSED


def test_updates_that_revoke_nothing_cost_no_extra_query(django_assert_num_queries, employee):
    with django_assert_num_queries(1):
        User.objects.filter(pk=employee.pk).update(jabatan="Analis")
    with django_assert_num_queries(2):  # the active ids, then the update
        User.objects.filter(pk=employee.pk).update(is_active=False)


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL (CI's second suite)")
async def test_through_redis_revocations_reach_the_sockets_of_another_process(settings, client):
    """With the production layer the close is published to Redis (portal.layer's synchronous
    client, as another process would) and heard by this process's listener."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [django_settings.REDIS_URL], "prefix": f"t{uuid.uuid4().hex}"},
        }
    }
    layer = get_channel_layer()
    victim = await sync_to_async(UserFactory)()
    admin = await sync_to_async(_admin)()
    link = await sync_to_async(KioskLink.objects.create)(
        org_unit=await sync_to_async(OrgUnitFactory)()
    )
    ticket = await sync_to_async(_kiosk_ticket)(client, link)
    mine = await board_socket(victim)
    screen = await board_socket(AnonymousUser(), f"/ws/board/?ticket={ticket}")
    try:
        await sync_to_async(User.objects.filter(pk=victim.pk).update)(is_active=False)
        assert await mine.receive_output(timeout=5) == CLOSED
        await sync_to_async(revoke_kiosk_link)(link=link, by=admin)
        assert await screen.receive_output(timeout=5) == CLOSED
    finally:
        for socket in (mine, screen):
            await socket.disconnect()
        await layer.flush()


# --- 14.4: an opt-out is not undone by what the board showed before -------------------------


def _rows(client) -> list[dict]:
    response = client.get(reverse("leaderboard:snapshot"), {"musim": "semua", "lingkup": "kota"})
    assert response.status_code == HTTPStatus.OK
    return response.json()["panels"][0]["rows"]


async def test_an_opt_out_leaves_no_key_or_unit_that_links_to_the_named_row(client):
    opd = await sync_to_async(OrgUnitFactory)(name="Dinas Besar")
    small_unit = await sync_to_async(OrgUnitFactory)(name="Seksi Kecil", parent=opd)
    hider = await sync_to_async(UserFactory)(org_unit=small_unit, full_name="Budi Sembunyi")
    watcher = await sync_to_async(UserFactory)()
    await sync_to_async(award_points)(user=hider, points=40, reason="recognition", key="t:1")

    await sync_to_async(client.force_login)(watcher)
    before = next(r for r in await sync_to_async(_rows)(client) if r["name"] == "Budi Sembunyi")

    hider_client = Client()
    await sync_to_async(hider_client.force_login)(hider)
    response = await sync_to_async(hider_client.post)(
        reverse("leaderboard:privacy"), {"board_opt_out": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND

    socket = await board_socket(watcher)
    rows = await sync_to_async(_rows)(client)
    assert not any(r["name"] == "Budi Sembunyi" for r in rows)
    anonymous = [r for r in rows if r["total"] == before["total"]]
    assert anonymous, rows
    for row in anonymous:  # what a watcher could match: the key and the unit
        assert row["row"] != before["row"]
        assert row["unit"] is None and "Seksi Kecil" not in json.dumps(row)

    await sync_to_async(hider.refresh_from_db)()
    await sync_to_async(award_points)(user=hider, points=5, reason="recognition", key="t:2")
    event = json.loads(await socket.receive_from(timeout=2))
    assert event["row"] != before["row"] and event["row"] == anonymous[0]["row"]
    assert event["user"] is None and event["unit"] is None
    assert "Budi" not in json.dumps(event) and "Seksi Kecil" not in json.dumps(event)
    await socket.disconnect()


def test_the_opted_out_person_still_finds_their_own_row(client, employee):
    award_points(user=employee, points=30, reason="recognition", key="t:3")
    employee.board_opt_out = True
    employee.save()
    client.force_login(employee)
    response = client.get(reverse("leaderboard:board"), {"musim": "semua", "lingkup": "kota"})
    html = response.content.decode()
    mine = next(r for r in _rows(client) if r["me"])
    assert mine["name"] == employee.full_name
    assert f'data-my-row="{mine["row"]}"' in html  # live events about me update my row
