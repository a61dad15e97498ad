"""Fixtures for the annual evaluation: an OPD with its head, a bidang head and staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator

from performance.models import Cycle, Skp
from performance.services import evaluation
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
    leader: User | None = None  # the head's atasan (give_leader): sets the capaian


def give_leader(unit: Unit) -> User:
    """A Sekretaris Daerah above the unit's head: the leader who sets the OPD's capaian."""
    setda = OrgUnitFactory(name="Sekretariat Daerah Uji", kind=OrgUnit.Kind.SEKRETARIAT)
    leader = UserFactory(org_unit=setda, jabatan="Sekretaris Daerah", jenis_jabatan="jpt")
    User.objects.filter(pk=unit.head.pk).update(atasan=leader)
    unit.head.atasan = leader
    unit.leader = leader
    return leader


def set_capaian(unit: Unit, capaian: str):
    """The unit's capaian, set by its leader above (given one when it has none)."""
    return evaluation.set_capaian(
        actor=unit.leader or give_leader(unit),
        cycle=unit.skps[0].cycle,
        opd=unit.opd,
        capaian=capaian,
    )


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
