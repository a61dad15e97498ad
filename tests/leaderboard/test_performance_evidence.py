"""Recognition received in a period: the evidence performance shows the penilai."""

import datetime as dt

import pytest
from django.utils import timezone

from leaderboard.models import Recognition
from leaderboard.services import give_recognition, revoke_recognition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def evidence(user, start, end):
    return [
        {"value_code": r.value, "giver_name": r.giver.full_name, "message": r.message}
        for r in Recognition.objects.received_between(user, start, end)
    ]


def test_recognition_received_in_the_period_is_evidence(employee, supervisor):
    given = give_recognition(
        giver=supervisor,
        receiver=employee,
        value="kolaboratif",
        message="Membantu tim lain",
        points=10,
    )
    revoked = give_recognition(
        giver=supervisor, receiver=employee, value="adaptif", message="Cepat belajar", points=5
    )
    admin = UserFactory(is_superuser=True)
    revoke_recognition(recognition=revoked, by=admin, reason="Salah pilih penerima")
    today = timezone.localdate()
    rows = evidence(employee, today - dt.timedelta(days=1), today)
    assert [(r["value_code"], r["giver_name"], r["message"]) for r in rows] == [
        ("kolaboratif", supervisor.full_name, given.message)
    ]
    assert evidence(employee, today - dt.timedelta(days=30), today - dt.timedelta(days=2)) == []
