import pytest
from django.db.models import Sum

from benchmarks.board_data import generate
from leaderboard.models import ALL_TIME, PointEntry, Score
from portal.models import User
from portal.validators import validate_nip

pytestmark = pytest.mark.django_db


def _generated():
    return User.objects.filter(email__endswith="@bench.local")


def test_generates_people_ledger_and_matching_scores():
    generate(users=30, entries=400)
    people = _generated()
    assert people.count() == 30
    assert len({p.nip for p in people}) == 30
    for person in people:
        validate_nip(person.nip, status="PNS")  # raises if a generated NIP is invalid
        assert person.org_unit_id is not None
    entries = PointEntry.objects.filter(user__in=people)
    assert entries.count() == 400
    ledger = entries.aggregate(s=Sum("points"))["s"]
    assert (
        ledger
        == Score.objects.filter(season=ALL_TIME, user__in=people).aggregate(s=Sum("total"))["s"]
    )
    assert (
        ledger
        == Score.objects.filter(user__in=people)
        .exclude(season=ALL_TIME)
        .aggregate(s=Sum("total"))["s"]
    )


def test_a_rerun_replaces_only_generated_data(employee):
    generate(users=10, entries=50)
    generate(users=5, entries=20)
    assert _generated().count() == 5
    assert PointEntry.objects.count() == 20
    assert User.objects.filter(pk=employee.pk).exists()
