"""Certificate.objects.completion_by_unit: the training figures of the monitoring table."""

import datetime as dt

from django.utils import timezone

from tests.factories import OrgUnitFactory, UserFactory
from training.models import Certificate

from .factories import certify, make_module


def test_completion_counts_holders_of_every_live_mandatory_module(
    training_index, django_assert_num_queries
):
    mandatory = [make_module(training_index, lessons=1, mandatory=True) for _ in range(2)]
    optional = make_module(training_index, lessons=1, mandatory=False)
    unit, other, elsewhere = OrgUnitFactory(), OrgUnitFactory(), OrgUnitFactory()
    staff = [UserFactory(org_unit=unit) for _ in range(3)]
    UserFactory(org_unit=unit, is_active=False)  # not counted
    outsider = UserFactory(org_unit=other)
    UserFactory(org_unit=elsewhere)  # a unit not asked for
    now = timezone.now()
    for module in mandatory:
        certify(staff[0], module, now)
        certify(outsider, module, now + dt.timedelta(days=2))  # issued after `until`
    certify(staff[1], mandatory[0], now)  # one of two: not complete
    certify(staff[2], optional, now)

    with django_assert_num_queries(2):
        completion = Certificate.objects.completion_by_unit(
            [unit.pk, other.pk], until=now + dt.timedelta(days=1)
        )
    assert completion == {unit.pk: (1, 3), other.pk: (0, 1)}


def test_without_a_live_mandatory_module_everyone_has_completed(training_index):
    make_module(training_index, lessons=1, mandatory=False)
    unit = OrgUnitFactory()
    for _ in range(2):
        UserFactory(org_unit=unit)
    assert Certificate.objects.completion_by_unit([unit.pk], until=timezone.now()) == {
        unit.pk: (2, 2)
    }
