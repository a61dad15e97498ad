import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from leaderboard.models import ALL_TIME, PointEntry, Score, season_of
from leaderboard.services import award_points

pytestmark = pytest.mark.django_db


def test_award_points_is_idempotent(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = award_points(user=user, points=5, reason="recognition", key="k1")
        second = award_points(user=user, points=5, reason="recognition", key="k1")
    assert first.pk == second.pk
    assert PointEntry.objects.count() == 1
    assert Score.objects.get(user=user, season=ALL_TIME).total == 5
    assert len(callbacks) == 1


def test_scores_per_season_and_all_time(user):
    award_points(user=user, points=5, reason="recognition", key="a")
    award_points(user=user, points=10, reason="module_completed", key="b")
    award_points(user=user, points=-5, reason="recognition_revoked", key="c")
    season = season_of(timezone.now())
    assert Score.objects.get(user=user, season=season).total == 10
    assert Score.objects.get(user=user, season=ALL_TIME).total == 10


def test_season_is_the_jakarta_month():
    # 31 Oct 2026 20:00 UTC is 1 Nov 2026 03:00 in Jakarta
    assert season_of(dt.datetime(2026, 10, 31, 20, 0, tzinfo=dt.UTC)) == "2026-11"


class RecordingLayer:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message))


def test_board_hears_the_entry_after_commit(user, django_capture_on_commit_callbacks):
    layer = RecordingLayer()
    with (
        mock.patch("leaderboard.broadcast.get_channel_layer", return_value=layer),
        django_capture_on_commit_callbacks(execute=True),
    ):
        entry = award_points(user=user, points=5, reason="recognition", key="k9")
    [(group, event)] = layer.sent
    assert group == "board"
    assert event["seq"] == entry.pk and event["points"] == 5


def test_a_broken_channel_layer_does_not_lose_the_award(
    user, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch("leaderboard.broadcast.get_channel_layer", side_effect=ConnectionError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        award_points(user=user, points=5, reason="recognition", key="k10")
    assert PointEntry.objects.filter(key="k10").exists()
    assert "clients will resync" in caplog.text
