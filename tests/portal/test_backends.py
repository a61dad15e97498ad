"""The user is loaded with their groups in one query; a change of role shows on the next
request."""

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user
from django.contrib.auth.models import Group

from portal.backends import AuthenticationBackend, ModelBackend
from portal.models import ADMIN_BKPSDM, TIM_KOMUNIKASI, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
@pytest.mark.parametrize("groups", [[], [TIM_KOMUNIKASI], [ADMIN_BKPSDM, TIM_KOMUNIKASI]])
def test_get_user_reads_the_groups_in_the_same_query(django_assert_num_queries, backend, groups):
    pk = UserFactory(groups=groups).pk
    with django_assert_num_queries(1):
        user = backend().get_user(pk)
        assert user.pk == pk
        assert [name for name in (ADMIN_BKPSDM, TIM_KOMUNIKASI) if user.in_group(name)] == groups
        assert user.is_bkpsdm_admin is (ADMIN_BKPSDM in groups)


def test_get_user_refuses_unknown_and_inactive_people():
    assert ModelBackend().get_user(0) is None
    assert ModelBackend().get_user(UserFactory(is_active=False).pk) is None


def test_aget_user_reads_the_groups_too():
    pk = UserFactory(groups=[TIM_KOMUNIKASI]).pk
    user = async_to_sync(ModelBackend().aget_user)(pk)
    assert user.pk == pk and user._group_names == {TIM_KOMUNIKASI}


def test_a_request_loads_the_user_and_groups_once(
    rf, client_for, django_assert_num_queries, settings
):
    # Sessions from the database, as without REDIS_URL (with it they come from the cache).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    user = UserFactory(groups=[TIM_KOMUNIKASI])
    request = rf.get("/")
    request.session = client_for(user).session
    with django_assert_num_queries(2):  # the session (from the database in tests), the user
        loaded = get_user(request)
        assert loaded.in_group(TIM_KOMUNIKASI) and not loaded.in_group(ADMIN_BKPSDM)


def test_a_new_role_and_its_removal_show_on_the_next_request(client_for):
    user = UserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = client_for(user)
    assert client.get("/papan/tinjau/").status_code == HTTPStatus.FORBIDDEN
    admins = Group.objects.get(name=ADMIN_BKPSDM)
    user.groups.add(admins)
    assert client.get("/papan/tinjau/").status_code == HTTPStatus.OK
    User.objects.get(pk=user.pk).groups.remove(admins)
    assert client.get("/papan/tinjau/").status_code == HTTPStatus.FORBIDDEN


def test_a_group_rename_shows_on_the_next_request(client_for):
    user = UserFactory(groups=[TIM_KOMUNIKASI])
    client = client_for(user)
    assert 'href="/admin/"' in client.get("/papan/").content.decode()
    Group.objects.filter(name=TIM_KOMUNIKASI).update(name="Tim Lama")
    assert 'href="/admin/"' not in client.get("/papan/").content.decode()
