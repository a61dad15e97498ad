"""What the apps register with the page cache (portal.page_cache): the listing filters that
are cached, and the models whose changes retire every cached page. The cache itself, on the
public story pages: tests/cms/test_page_cache.py."""

from http import HTTPStatus

import pytest
from django.apps import apps as django_apps

from portal import page_cache
from tests.factories import OrgUnitFactory, UserFactory
from tests.training.factories import make_module
from training.editorial import ensure_training_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return ensure_training_index(django_apps)


def is_hit(client, url: str) -> bool:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.get("X-Page-Cache") == "hit"


@pytest.mark.parametrize("query", ["", "?jenis=wajib", "?nilai=akuntabel"])
def test_the_training_catalogue_and_its_filters_are_cached(client, catalogue, query):
    # "jenis" and "nilai" are registered by training (TrainingConfig.ready)
    make_module(catalogue, lessons=1, mandatory=True)
    url = "/pelatihan/" + query
    assert not is_hit(client, url)
    assert is_hit(client, url)


def test_a_personal_filter_of_the_catalogue_is_never_cached(client, catalogue):
    make_module(catalogue, lessons=1)
    for _ in range(2):
        assert not is_hit(client, "/pelatihan/?status=selesai")


def test_a_new_module_shows_on_the_cached_catalogue(client, catalogue):
    make_module(catalogue, lessons=1, title="Modul pertama")
    client.get("/pelatihan/")
    assert is_hit(client, "/pelatihan/")
    make_module(catalogue, lessons=1, title="Modul kedua")
    response = client.get("/pelatihan/")
    assert response.get("X-Page-Cache") != "hit"
    assert "Modul kedua" in response.content.decode()


def test_people_retire_the_cache_except_logins_and_new_accounts():
    # as portal registers them (PortalConfig.ready): quiet fields and no bump on creation
    person = UserFactory()
    version = page_cache.current_version()
    UserFactory(org_unit=person.org_unit)  # (a new unit would retire it: see below)
    person.save(update_fields=["last_login"])
    assert page_cache.current_version() == version
    person.full_name = "Nama Baru"
    person.save()
    assert page_cache.current_version() != version


def test_a_unit_change_retires_the_cache():
    unit = OrgUnitFactory()
    version = page_cache.current_version()
    unit.name = "Bidang Baru"
    unit.save()
    assert page_cache.current_version() != version
