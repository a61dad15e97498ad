"""Fixtures for the annual evaluation: an OPD with its head, a bidang head and staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator

from performance.models import Cycle, Skp
from portal.models import OrgUnit, User
from tests.factories import OrgUnitFactory, UserFactory
from tests.performance.factories import make_cycle, make_skp


@dataclass
class Unit:
    opd: OrgUnit
    bidang: OrgUnit
    head: User  # JPT at the OPD: atasan pejabat penilai of the staff
    penilai: User  # Kepala Bidang: pejabat penilai of the staff
    staff: list[User]
    skps: list[Skp]


def make_unit(cycle: Cycle, n_staff: int = 3) -> Unit:
    opd = OrgUnitFactory()
    bidang = OrgUnitFactory(parent=opd, kind=OrgUnit.Kind.BIDANG)
    head = UserFactory(org_unit=opd, jabatan="Kepala Dinas", jenis_jabatan="jpt")
    penilai = UserFactory(
        org_unit=bidang, atasan=head, jabatan="Kepala Bidang", jenis_jabatan="administrator"
    )
    staff = [UserFactory(org_unit=bidang, atasan=penilai) for _ in range(n_staff)]
    skps = [make_skp(person, cycle) for person in staff]
    return Unit(opd, bidang, head, penilai, staff, skps)


@pytest.fixture
def closed_cycle(db):
    cycle = make_cycle()
    cycle.status = Cycle.Status.CLOSED
    cycle.save()
    return cycle


@pytest.fixture
def unit(closed_cycle):
    return make_unit(closed_cycle)


@pytest.fixture
def bkpsdm_admin(db):
    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    return admin
