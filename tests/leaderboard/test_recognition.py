import pytest
from django.core.exceptions import ValidationError

from leaderboard.models import ALL_TIME, Badge, BadgeAward, PointEntry, Recognition, Score
from leaderboard.services import (
    award_points,
    give_recognition,
    reciprocal_pairs,
    revoke_recognition,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def give(giver, receiver, points=10, value="kompeten", message="Kerja bagus", token=None):
    return give_recognition(
        giver=giver, receiver=receiver, value=value, message=message, points=points, token=token
    )


def total(user, season=ALL_TIME):
    return Score.objects.filter(user=user, season=season).values_list("total", flat=True).first()


def test_supervisor_recognises_someone_in_the_subtree(boss, staff, junior):
    recognition = give(boss, junior, points=25)
    assert recognition.entry.points == 25
    assert recognition.entry.reason == PointEntry.Reason.RECOGNITION
    assert recognition.entry.created_by == boss
    assert total(junior) == 25


def test_the_same_form_token_awards_once(boss, staff):
    first = give(boss, staff, token="t1")
    second = give(boss, staff, token="t1")
    assert first.pk == second.pk
    assert Recognition.objects.count() == 1
    assert total(staff) == 10


@pytest.mark.parametrize(
    ("who", "field", "message"),
    [
        ("self", "receiver", "diri sendiri"),
        ("colleague", "receiver", "di bawah kepemimpinan"),
        ("outsider", "receiver", "di bawah kepemimpinan"),
    ],
)
def test_points_outside_scope_are_refused(boss, colleague, outsider, who, field, message):
    receiver = {"self": boss, "colleague": colleague, "outsider": outsider}[who]
    with pytest.raises(ValidationError) as error:
        give(boss, receiver)
    assert message in " ".join(error.value.message_dict[field])
    assert not Recognition.objects.exists() and not PointEntry.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": "jujur"}, "value"),
        ({"points": 7}, "points"),
        ({"points": -5}, "points"),
        ({"message": "   "}, "message"),
    ],
)
def test_bad_input_awards_nothing(boss, staff, kwargs, field):
    with pytest.raises(ValidationError) as error:
        give(boss, staff, **kwargs)
    assert field in error.value.message_dict
    assert not PointEntry.objects.exists()


def test_admin_bkpsdm_may_recognise_anyone(admin, outsider):
    assert give(admin, outsider, points=50).points == 50


def test_monthly_budget_holds(boss, staff, settings):
    settings.LEADERBOARD_MONTHLY_BUDGET = 30
    give(boss, staff, points=25)
    with pytest.raises(ValidationError) as error:
        give(boss, staff, points=10)
    assert "tersisa 5 dari 30" in error.value.message_dict["points"][0]
    give(boss, staff, points=5)
    assert total(staff) == 30


def test_budget_is_per_month(boss, staff, settings):
    settings.LEADERBOARD_MONTHLY_BUDGET = 25
    give(boss, staff, points=25)
    with pytest.raises(ValidationError):
        give(boss, staff, points=5)
    Recognition.objects.update(season="2026-01")  # as if given in an earlier month
    give(boss, staff, points=25)
    assert total(staff) == 50


def test_colleagues_thank_within_their_opd_and_quota(staff, colleague, outsider, settings):
    settings.LEADERBOARD_MONTHLY_THANKS = 2
    thanks = give(colleague, staff, points=0, message="Terima kasih bantuannya")
    assert thanks.entry is None and thanks.is_thanks
    give(colleague, staff, points=0)
    with pytest.raises(ValidationError) as error:
        give(colleague, staff, points=0)
    assert "Kuota" in error.value.message_dict["points"][0]
    with pytest.raises(ValidationError):
        give(staff, outsider, points=0)
    assert not PointEntry.objects.exists()


def test_a_colleague_cannot_give_points(colleague, staff):
    with pytest.raises(ValidationError):
        give(colleague, staff, points=5)


def test_revocation_is_a_negative_entry_once(
    boss, staff, admin, django_capture_on_commit_callbacks
):
    recognition = give(boss, staff, points=25)
    with django_capture_on_commit_callbacks() as callbacks:
        revoked = revoke_recognition(recognition=recognition, by=admin, reason="Penilaian ganda")
    assert revoked.revoke_entry.points == -25
    assert revoked.revoke_entry.reason == PointEntry.Reason.RECOGNITION_REVOKED
    assert total(staff) == 0
    assert len(callbacks) == 1  # broadcast like any other entry
    with pytest.raises(ValidationError) as error:
        revoke_recognition(recognition=recognition, by=admin, reason="lagi")
    assert "sudah dicabut" in error.value.message_dict["reason"][0]
    assert PointEntry.objects.filter(user=staff).count() == 2


def test_only_admin_bkpsdm_revokes(boss, staff):
    recognition = give(boss, staff)
    with pytest.raises(ValidationError):
        revoke_recognition(recognition=recognition, by=boss, reason="tidak suka")
    assert not Recognition.objects.get(pk=recognition.pk).is_revoked


def test_revocation_needs_a_reason(boss, staff, admin):
    recognition = give(boss, staff)
    with pytest.raises(ValidationError):
        revoke_recognition(recognition=recognition, by=admin, reason=" ")


def test_levels_rise_with_points_and_are_never_lowered(boss, staff, admin, settings):
    settings.LEADERBOARD_LEVELS = [(0, "Pemula"), (20, "Penggerak"), (60, "Teladan")]
    recognition = give(boss, staff, points=25)
    assert Score.objects.get(user=staff, season=ALL_TIME).level == 1
    revoke_recognition(recognition=recognition, by=admin, reason="salah orang")
    score = Score.objects.get(user=staff, season=ALL_TIME)
    assert (score.total, score.level) == (0, 1)


def test_badges_follow_the_ledger_once(boss, staff):
    first = Badge.objects.create(
        name="Pertama", slug="pertama", description="d", rule=Badge.Rule.RECOGNITIONS_RECEIVED
    )
    thirty = Badge.objects.create(
        name="Tiga puluh", slug="tiga-puluh", description="d", rule="total_points", threshold=30
    )
    twice = Badge.objects.create(
        name="Dua kali",
        slug="dua-kali",
        description="d",
        rule="reason_count",
        reason="recognition",
        threshold=2,
    )
    values = Badge.objects.create(
        name="Dua nilai", slug="dua-nilai", description="d", rule="distinct_values", threshold=2
    )
    give(boss, staff, points=25, value="kompeten")
    assert set(BadgeAward.objects.filter(user=staff).values_list("badge", flat=True)) == {first.pk}
    give(boss, staff, points=5, value="kompeten")
    assert set(BadgeAward.objects.filter(user=staff).values_list("badge", flat=True)) == {
        first.pk,
        thirty.pk,
        twice.pk,
    }
    give(boss, staff, points=5, value="harmonis")
    assert BadgeAward.objects.filter(user=staff, badge=values).exists()
    assert BadgeAward.objects.filter(user=staff).count() == 4  # each once


def test_inactive_badges_are_not_awarded(user):
    Badge.objects.create(
        name="Mati", slug="mati", description="d", rule="total_points", threshold=1, active=False
    )
    award_points(user=user, points=5, reason="module_completed", key="m1")
    assert not BadgeAward.objects.exists()


def test_reciprocal_pairs_are_listed_for_review(admin, settings):
    settings.LEADERBOARD_RECIPROCAL_MIN = 2
    other_admin = UserFactory(groups=["Admin BKPSDM"])
    loner = UserFactory()
    for _ in range(2):
        give(admin, other_admin, points=5)
        give(other_admin, admin, points=5)
    give(admin, loner, points=5)
    pairs = reciprocal_pairs()
    assert len(pairs) == 1
    assert {pairs[0]["a"], pairs[0]["b"]} == {admin.pk, other_admin.pk}
    assert pairs[0]["points"] == 20


def test_ledger_equals_scores_after_mixed_activity(boss, staff, junior, admin):
    give(boss, staff, points=25)
    r = give(boss, junior, points=10)
    give(staff, junior, points=5)
    revoke_recognition(recognition=r, by=admin, reason="x")
    award_points(user=staff, points=3, reason="module_completed", key="mod-1")
    ledger = sum(PointEntry.objects.values_list("points", flat=True))
    assert ledger == sum(Score.objects.filter(season=ALL_TIME).values_list("total", flat=True))
    assert ledger == sum(Score.objects.exclude(season=ALL_TIME).values_list("total", flat=True))
