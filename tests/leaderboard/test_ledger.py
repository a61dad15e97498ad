import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from leaderboard import board
from leaderboard.broadcast import entry_event
from leaderboard.models import ALL_TIME, Badge, BadgeAward, PointEntry, Score, season_of
from leaderboard.services import award_points, give_recognition
from tests.factories import UserFactory

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


def _badge_for_every_rule(threshold: int) -> list[Badge]:
    rules = [
        ("reason_count", "report_on_time"),
        ("total_points", ""),
        ("distinct_values", ""),
        ("recognitions_received", ""),
        ("recognitions_given", ""),
    ]
    return [
        Badge.objects.create(
            name=rule,
            slug=rule.replace("_", "-"),
            description="d",
            rule=rule,
            reason=reason,
            threshold=threshold,
        )  # fmt: skip
        for rule, reason in rules
    ]


@pytest.mark.parametrize("earlier_entries", [0, 3])
def test_an_award_is_three_statements_whatever_the_badges_and_scores(
    bidang, earlier_entries, django_assert_num_queries
):
    """The ledger entry, both scores in one upsert and one badge check: the same whether the
    score rows exist or not and however many badge rules there are (none met here)."""
    person = UserFactory(org_unit=bidang)
    _badge_for_every_rule(threshold=1000)
    for n in range(earlier_entries):
        award_points(user=person, points=1, reason="module_completed", key=f"e{n}")
    with django_assert_num_queries(3):
        entry = award_points(user=person, points=10, reason="report_on_time", key="now")
    assert PointEntry.objects.get(key="now").pk == entry.pk
    season = season_of(entry.created_at)
    assert Score.objects.get(user=person, season=season).total == 10 + earlier_entries
    assert Score.objects.get(user=person, season=ALL_TIME).total == 10 + earlier_entries
    assert not BadgeAward.objects.exists()


def test_every_badge_rule_is_checked_in_the_one_query(boss, staff):
    """Each of the five rules awards when met (the giver's through recognitions given)."""
    badges = {badge.rule: badge for badge in _badge_for_every_rule(threshold=1)}
    give_recognition(giver=boss, receiver=staff, value="kompeten", message="Bagus", points=5)
    award_points(user=staff, points=10, reason="report_on_time", key="r1")
    earned = set(BadgeAward.objects.filter(user=staff).values_list("badge__rule", flat=True))
    assert earned == {"reason_count", "total_points", "distinct_values", "recognitions_received"}
    assert list(BadgeAward.objects.filter(user=boss).values_list("badge", flat=True)) == [
        badges["recognitions_given"].pk
    ]


def test_crossing_a_level_is_one_more_statement(user, settings, django_assert_num_queries):
    settings.LEADERBOARD_LEVELS = [(0, "Pemula"), (20, "Penggerak")]
    award_points(user=user, points=15, reason="module_completed", key="a")
    with django_assert_num_queries(4):
        award_points(user=user, points=10, reason="module_completed", key="b")
    assert Score.objects.get(user=user, season=ALL_TIME).level == 1


def test_a_failed_award_fails_the_callers_transaction_and_saves_nothing(user):
    """award_points adds no savepoint inside a caller's transaction: a refused entry (zero
    points break the ledger's check) rolls the caller's writes back with it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        award_points(user=user, points=5, reason="module_completed", key="kept?")
        award_points(user=user, points=0, reason="module_completed", key="zero")
    assert not PointEntry.objects.exists()
    assert not Score.objects.exists()


def test_the_board_event_needs_no_query_and_matches_the_database(
    staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """A report's or a module's award publishes totals from its own score update and names
    from the cached unit map: the event equals the one read from the database."""
    award_points(user=staff, points=7, reason="module_completed", key="before")
    board.board_meta()  # the unit map is cached as the board keeps it
    layer = RecordingLayer()
    with mock.patch("leaderboard.broadcast.get_channel_layer", return_value=layer):
        with django_capture_on_commit_callbacks() as callbacks:
            entry = award_points(user=staff, points=10, reason="report_on_time", key="r9")
        with django_assert_num_queries(0):
            for callback in callbacks:
                callback()
        [(_group, event)] = layer.sent
        assert event == entry_event(PointEntry.objects.get(pk=entry.pk))  # read from the DB
    assert (event["season_total"], event["all_total"]) == (17, 17)
    assert event["unit_name"] == staff.org_unit.display_name
    assert event["opd_name"] == staff.org_unit.perangkat_daerah.display_name
    assert event["recognition"] is None


def test_a_recognition_event_carries_the_recognition(
    boss, staff, django_capture_on_commit_callbacks
):
    layer = RecordingLayer()
    with (
        mock.patch("leaderboard.broadcast.get_channel_layer", return_value=layer),
        django_capture_on_commit_callbacks(execute=True),
    ):
        recognition = give_recognition(
            giver=boss, receiver=staff, value="kompeten", message="Rapi sekali", points=5
        )
    [(_group, event)] = layer.sent
    assert event["recognition"]["id"] == recognition.pk
    assert event["recognition"]["message"] == "Rapi sekali"
    assert event["recognition"]["giver"] == boss.full_name


def test_a_thank_you_checks_the_points_badge_from_the_stored_total(boss, staff):
    """A thank-you writes no ledger entry; the badge check then reads the all-time total."""
    award_points(user=staff, points=30, reason="module_completed", key="m")
    badge = Badge.objects.create(
        name="Tiga puluh", slug="tiga-puluh", description="d", rule="total_points", threshold=30
    )
    give_recognition(giver=boss, receiver=staff, value="harmonis", message="Terima kasih", points=0)
    assert BadgeAward.objects.filter(user=staff, badge=badge).exists()
    assert not BadgeAward.objects.filter(user=boss, badge=badge).exists()
