"""/beranda/data-saya/: an employee downloads everything the portal holds about them."""

import json
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from leaderboard.models import ALL_TIME
from leaderboard.services import award_points
from portal.privacy import personal_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/beranda/data-saya/"


def download(client) -> dict:
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-')
    assert response["Cache-Control"].startswith("max-age=0")
    return json.loads(response.content)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_only_get(client_for, employee):
    assert client_for(employee).post(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_profile_section(client_for, employee, supervisor):
    employee.groups.add(Group.objects.get_or_create(name="Tim Komunikasi")[0])
    employee.board_opt_out = True
    employee.save()
    Authenticator.objects.create(user=employee, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    data = download(client_for(employee))
    assert data["format_version"] == 1 and data["nip"] == employee.nip
    profile = data["sections"]["portal"]["profile"]
    assert profile["nip"] == employee.nip
    assert profile["full_name"] == employee.full_name
    assert profile["email"] == employee.email
    assert profile["jabatan"] == employee.jabatan
    assert profile["unit_kerja"]["code"] == employee.org_unit.code
    assert profile["atasan"] == {"nip": supervisor.nip, "full_name": supervisor.full_name}
    assert profile["groups"] == ["Tim Komunikasi"]
    assert profile["board_opt_out"] is True
    assert profile["last_login"] is not None  # force_login set it
    authenticators = data["sections"]["portal"]["authenticators"]
    assert [a["type"] for a in authenticators] == ["totp"]
    assert "JBSWY3DPEHPK3PXP" not in json.dumps(data)


def test_the_leaderboard_section_holds_my_entries_and_scores_only(client_for, employee, supervisor):
    award_points(user=employee, points=5, reason="recognition", key="a", created_by=supervisor)
    award_points(user=employee, points=10, reason="module_completed", key="b")
    award_points(user=supervisor, points=7, reason="recognition", key="someone-else")
    section = download(client_for(employee))["sections"]["leaderboard"]
    assert [(e["key"], e["points"]) for e in section["point_entries"]] == [("a", 5), ("b", 10)]
    assert section["point_entries"][0]["created_by"] == supervisor.full_name
    assert section["point_entries"][0]["reason_label"] == "Apresiasi dari atasan"
    totals = {score["season"]: score["total"] for score in section["scores"]}
    assert totals[ALL_TIME] == 15
    assert len(totals) == 2


def test_another_persons_data_is_never_in_my_file(client_for, employee, supervisor):
    award_points(user=supervisor, points=7, reason="recognition", key="theirs")
    raw = client_for(employee).get(URL, {"user": supervisor.pk, "nip": supervisor.nip}).content
    data = json.loads(raw)
    assert data["nip"] == employee.nip
    assert "theirs" not in raw.decode()
    assert supervisor.email not in raw.decode()


def test_the_profile_card_links_to_the_download(client_for, employee):
    response = client_for(employee).get("/beranda/")
    assert f'href="{URL}"' in response.content.decode()


def test_query_count_does_not_grow_with_data(employee, supervisor):
    def add_entries(n, offset):
        for i in range(n):
            award_points(
                user=employee,
                points=1,
                reason="recognition",
                key=f"q{offset + i}",
                created_by=supervisor,
            )

    add_entries(3, 0)
    with CaptureQueriesContext(connection) as few:
        personal_data(employee)
    add_entries(27, 100)
    with CaptureQueriesContext(connection) as many:
        data = personal_data(employee)
    assert len(data["sections"]["leaderboard"]["point_entries"]) == 30
    assert len(few) > 0
    assert len(many) == len(few)


def test_apps_contribute_sections_through_the_hook(employee):
    def example_section(user):
        return {"contoh": {"user": user.nip}}

    with hooks.register_temporarily("personal_data_export", example_section):
        data = personal_data(employee)
    assert data["sections"]["contoh"] == {"user": employee.nip}
    assert list(data["sections"]) == sorted(data["sections"])


def test_two_apps_cannot_claim_the_same_section(employee):
    with (
        hooks.register_temporarily("personal_data_export", lambda user: {"portal": {}}),
        pytest.raises(ValueError, match="portal"),
    ):
        personal_data(employee)


def test_every_user_can_download(client):
    user = UserFactory(org_unit=None)
    client.force_login(user)
    data = download(client)
    assert data["sections"]["portal"]["profile"]["unit_kerja"] is None
    assert data["sections"]["leaderboard"] == {
        "point_entries": [],
        "scores": [],
        "recognitions": [],
        "badges": [],
    }
