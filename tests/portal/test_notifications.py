"""Notifications belong to the portal (issue 15.11): every app writes through `notify()`,
everyone finds the list from the menu, and the menu shows the unread count."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from leaderboard.models import Badge
from leaderboard.services import give_recognition
from portal.notifications import Notification, notify, unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BELL = "data-notifications-nav"


def test_the_model_keeps_its_table_and_the_move_runs_no_sql():
    """`sqlmigrate portal 0005` / `performance 0005` print "(no-op)": every operation of the
    move changes the state only."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import SeparateDatabaseAndState

    assert Notification._meta.app_label == "portal"
    assert Notification._meta.db_table == "performance_notification"
    loader = MigrationLoader(connection)
    for key in (
        ("portal", "0006_notification"),
        ("performance", "0005_move_notification_to_portal"),
    ):
        operations = loader.disk_migrations[key].operations
        assert operations and all(
            isinstance(op, SeparateDatabaseAndState) and op.database_operations == []
            for op in operations
        )


def test_a_recognition_reaches_the_receivers_list(client, supervisor, employee):
    give_recognition(
        giver=supervisor, receiver=employee, value="kompeten", message="Mantap", points=10
    )
    note = Notification.objects.get(recipient=employee)
    assert supervisor.full_name in note.message and note.actor == supervisor
    client.force_login(employee)
    page = client.get(reverse("portal:notifications")).content.decode()
    assert note.message in page


def test_a_badge_earned_is_notified(employee, supervisor):
    Badge.objects.all().delete()
    Badge.objects.create(
        slug="pertama",
        name="Apresiasi Pertama",
        description="Apresiasi pertama yang diterima",
        rule=Badge.Rule.RECOGNITIONS_RECEIVED,
        threshold=1,
    )
    give_recognition(
        giver=supervisor, receiver=employee, value="kompeten", message="Mantap", points=10
    )
    assert Notification.objects.filter(
        recipient=employee, message__contains="Apresiasi Pertama"
    ).exists()


def test_performance_notify_still_writes_through_portal(employee, supervisor):
    notify(recipient=employee, actor=supervisor, message="Hai", url="/x/")
    assert Notification.objects.get(recipient=employee).email_pending is bool(employee.email)


@pytest.mark.parametrize("role", ["employee", "supervisor"])
def test_every_logged_in_page_has_the_bell_with_the_unread_count(client, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("portal:beranda")).content.decode()
    assert BELL in page and reverse("portal:notifications") in page
    notify(recipient=user, message="Satu", url="/")
    notify(recipient=user, message="Dua", url="/")
    page = client.get(reverse("portal:beranda")).content.decode()
    assert "2 belum dibaca" in page
    client.post(reverse("portal:notifications"))
    assert unread_count(user) == 0
    assert "belum dibaca" not in client.get(reverse("portal:beranda")).content.decode()


def test_the_count_costs_no_query_when_warm(django_assert_num_queries, employee):
    for _ in range(3):
        notify(recipient=employee, message="x", url="/")
    assert unread_count(employee) == 3
    with django_assert_num_queries(0):
        assert unread_count(employee) == 3


def test_the_list_shows_only_my_notifications(client, employee):
    other = UserFactory()
    notify(recipient=other, message="Rahasia orang lain", url="/")
    notify(recipient=employee, message="Punya saya", url="/")
    client.force_login(employee)
    response = client.get(reverse("portal:notifications"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Punya saya" in html and "Rahasia orang lain" not in html
    client.post(reverse("portal:notifications"))
    assert Notification.objects.get(recipient=other).read_at is None


def test_the_list_query_count_does_not_grow(client, employee, django_assert_max_num_queries):
    client.force_login(employee)
    for n in range(3):
        notify(recipient=employee, actor=UserFactory(), message=f"n{n}", url="/")
    client.get(reverse("portal:notifications"))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("portal:notifications"))
    for n in range(30):
        notify(recipient=employee, actor=UserFactory(), message=f"m{n}", url="/")
    client.get(reverse("portal:notifications"))
    with django_assert_max_num_queries(20) as big:
        client.get(reverse("portal:notifications"))
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_old_address_leads_to_the_list(client, employee):
    client.force_login(employee)
    response = client.get("/kinerja/notifikasi/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:notifications")
