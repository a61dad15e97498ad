"""Rate limits hold (issue 9): allauth's login limit, and the burst limit on "Beri Apresiasi"
(LEADERBOARD_GIVE_RATE) on top of the monthly budget."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.utils import translation

from leaderboard.models import PointEntry, Recognition
from portal.models import OrgUnit
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def too_many_logins() -> str:
    with translation.override("id"):
        return translation.gettext("Too many failed login attempts. Try again later.")


def test_the_login_limit_holds_even_for_the_right_password(client, employee, supervisor):
    for _attempt in range(5):  # ACCOUNT_LOGIN_ATTEMPTS_LIMIT (allauth's default: 5 per 5 min)
        response = client.post(
            "/accounts/login/", {"login": employee.email, "password": "salah-sekali"}
        )
        assert response.status_code == HTTPStatus.OK
    response = client.post("/accounts/login/", {"login": employee.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    message = too_many_logins()
    assert message != "Too many failed login attempts. Try again later."  # in Indonesian
    assert message in response.content.decode()
    assert employee.email in response.content.decode()  # what was typed is kept
    # the limit is per account: a colleague on the same machine still logs in
    response = client.post("/accounts/login/", {"login": supervisor.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(supervisor.pk)


def test_the_login_limit_is_kept_in_the_cache(client, employee):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": employee.email, "password": "salah-sekali"})
    cache.clear()  # the lock lives in the cache (Redis in production) and nowhere else
    response = client.post("/accounts/login/", {"login": employee.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND


# --- recognition ---------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    opd = OrgUnitFactory(kind=OrgUnit.Kind.DINAS)
    boss = UserFactory(org_unit=opd)
    return boss, [UserFactory(org_unit=opd, atasan=boss) for _ in range(3)]


def give(client, receiver, *, points="5", **headers):
    return client.post(
        "/papan/beri/",
        {
            "receiver": receiver.pk,
            "value": "kolaboratif",
            "points": points,
            "message": "Rapat koordinasi selesai cepat",
            "token": uuid.uuid4().hex,
        },
        **headers,
    )


def test_a_burst_of_recognitions_beyond_the_rate_is_refused(client_for, team, settings):
    assert settings.LEADERBOARD_GIVE_RATE == "10/m"
    boss, staff = team
    client = client_for(boss)
    for n in range(10):  # 50 points, well inside the monthly budget of 200
        assert give(client, staff[n % 3]).status_code == HTTPStatus.FOUND
    response = give(client, staff[0])
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "Terlalu banyak apresiasi dalam waktu singkat" in html
    assert "Rapat koordinasi selesai cepat" in html  # the typed message is kept
    assert Recognition.objects.count() == 10 and PointEntry.objects.count() == 10
    # an htmx request is refused the same way, and so is a thank-you
    response = give(client, staff[1], points="0", HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Recognition.objects.count() == 10


def test_the_rate_is_per_giver_and_per_window(client_for, team, settings, monkeypatch):
    settings.LEADERBOARD_GIVE_RATE = "2/m"
    boss, staff = team
    client = client_for(boss)
    now = 1_800_000_000.0
    monkeypatch.setattr("leaderboard.services.time.time", lambda: now)
    assert give(client, staff[0]).status_code == HTTPStatus.FOUND
    assert give(client, staff[1]).status_code == HTTPStatus.FOUND
    assert give(client, staff[2]).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # a colleague of the same team is not slowed down by the boss's burst
    assert give(client_for(staff[0]), staff[1], points="0").status_code == HTTPStatus.FOUND
    client = client_for(boss)
    now += 60  # the next minute
    assert give(client, staff[2]).status_code == HTTPStatus.FOUND
    assert Recognition.objects.filter(giver=boss).count() == 3
