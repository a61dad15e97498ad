import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core import signing

from leaderboard.consumers import KIOSK_TICKET_SALT
from leaderboard.models import KioskLink
from leaderboard.routing import websocket_urlpatterns
from leaderboard.services import award_points, give_recognition
from tests.helpers import with_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    """ORM calls through sync_to_async run in asgiref's worker thread; close its connection
    so that PostgreSQL can drop the test database at the end."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def board_socket(user, path="/ws/board/"):
    return WebsocketCommunicator(with_user(URLRouter(websocket_urlpatterns), user), path)


async def test_event_carries_what_a_board_needs(boss, staff):
    communicator = board_socket(staff)
    connected, _ = await communicator.connect()
    assert connected
    recognition = await sync_to_async(give_recognition)(
        giver=boss, receiver=staff, value="kompeten", message="Hebat", points=25
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event["seq"] == recognition.entry_id
    assert event["user"] == staff.pk and event["name"] == staff.full_name
    assert event["opd"] == staff.org_unit.parent_id and event["unit"] == staff.org_unit_id
    assert (event["points"], event["season_total"], event["all_total"]) == (25, 25, 25)
    assert event["recognition"]["giver"] == boss.full_name
    assert event["recognition"]["value"] == "Kompeten"
    assert event["level"] and len(event["row"]) == 16
    assert "type" not in event
    await communicator.disconnect()


async def test_seq_increases_and_totals_are_absolute(staff):
    communicator = board_socket(staff)
    await communicator.connect()
    first = await sync_to_async(award_points)(
        user=staff, points=5, reason="module_completed", key="a"
    )
    second = await sync_to_async(award_points)(
        user=staff, points=7, reason="module_completed", key="b"
    )
    events = []
    while len(events) < 2:  # with Redis the listener may hear both at once: one array frame
        frame = await communicator.receive_json_from(timeout=2)
        events.extend(frame if isinstance(frame, list) else [frame])
    one, two = events
    assert (one["seq"], two["seq"]) == (first.pk, second.pk)
    assert two["seq"] > one["seq"]
    assert two["all_total"] == 12
    await communicator.disconnect()


async def test_opted_out_person_is_anonymous_in_events(boss, staff):
    staff.board_opt_out = True
    await sync_to_async(staff.save)()
    communicator = board_socket(boss)
    await communicator.connect()
    await sync_to_async(give_recognition)(
        giver=boss, receiver=staff, value="kompeten", message="Hebat", points=10
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event["user"] is None
    assert (
        event["name"] == "Pegawai anonim" and event["recognition"]["receiver"] == "Pegawai anonim"
    )
    assert staff.full_name not in str(event)
    await communicator.disconnect()


async def test_anonymous_socket_is_refused():
    communicator = board_socket(AnonymousUser())
    connected, _ = await communicator.connect()
    assert not connected


async def test_kiosk_ticket_opens_the_socket_without_a_session(opd):
    link = await sync_to_async(KioskLink.objects.create)(org_unit=opd)
    ticket = signing.dumps({"kiosk": link.pk}, salt=KIOSK_TICKET_SALT)
    communicator = board_socket(AnonymousUser(), f"/ws/board/?ticket={ticket}")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()


@pytest.mark.parametrize(
    "ticket",
    ["", "rubbish", signing.dumps({"kiosk": 1}, salt="other")],
    # fixed ids: the signed ticket carries a timestamp, and pytest-xdist workers must collect
    # the same test names
    ids=["empty", "rubbish", "other-salt"],
)
async def test_bad_kiosk_ticket_is_refused(ticket):
    communicator = board_socket(AnonymousUser(), f"/ws/board/?ticket={ticket}")
    connected, _ = await communicator.connect()
    assert not connected


async def test_client_frames_are_ignored(staff):
    communicator = board_socket(staff)
    await communicator.connect()
    await communicator.send_json_to({"type": "board.entry", "seq": 1})
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
