"""portal.sql.Compiled: an ORM query compiled once, run with other values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OrgUnit
from portal.sql import Compiled
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_each_call_runs_the_query_with_its_own_values():
    a, b = OrgUnitFactory(name="Dinas A"), OrgUnitFactory(name="Dinas B")
    built = []

    def build(unit: int, other: int):
        built.append((unit, other))
        return OrgUnit.objects.filter(pk=unit).exclude(pk=other).values_list("name")

    names = Compiled(build)
    with CaptureQueriesContext(connection) as queries:
        assert names.fetchone(unit=a.pk, other=b.pk) == ("Dinas A",)
        assert names.fetchone(unit=b.pk, other=a.pk) == ("Dinas B",)
        assert names.fetchone(unit=b.pk, other=b.pk) is None
    assert len(queries) == 3
    assert len(built) == 1  # built and compiled once


def test_an_argument_that_is_not_a_parameter_is_refused():
    with pytest.raises(ValueError, match="not a parameter"):
        Compiled(lambda unit: OrgUnit.objects.all()).fetchone(unit=1)


def test_the_key_compiles_again_when_what_the_sql_depends_on_changes(settings):
    unit = OrgUnitFactory(name="Dinas A")
    settings.PORTAL_TEST_FIELD = "name"
    named = Compiled(
        lambda pk: OrgUnit.objects.filter(pk=pk).values_list(settings.PORTAL_TEST_FIELD),
        key=lambda: settings.PORTAL_TEST_FIELD,
    )
    assert named.fetchone(pk=unit.pk) == ("Dinas A",)
    settings.PORTAL_TEST_FIELD = "pk"
    assert named.fetchone(pk=unit.pk) == (unit.pk,)
