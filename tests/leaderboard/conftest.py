import pytest
from allauth.mfa.models import Authenticator

from portal.models import ADMIN_BKPSDM, TIM_KOMUNIKASI, OrgUnit
from tests.factories import OrgUnitFactory, UserFactory


@pytest.fixture
def opd(db):
    return OrgUnitFactory(name="Dinas Uji Apresiasi", kind=OrgUnit.Kind.DINAS)


@pytest.fixture
def bidang(opd):
    return OrgUnitFactory(name="Bidang Uji", kind=OrgUnit.Kind.BIDANG, parent=opd)


@pytest.fixture
def boss(bidang):
    """A supervisor with a subtree: boss -> staff -> junior."""
    return UserFactory(org_unit=bidang, full_name="Atasan Uji")


@pytest.fixture
def staff(boss, bidang):
    return UserFactory(org_unit=bidang, atasan=boss, full_name="Staf Uji")


@pytest.fixture
def junior(staff, bidang):
    return UserFactory(org_unit=bidang, atasan=staff, full_name="Junior Uji")


@pytest.fixture
def colleague(opd):
    """Same OPD, not in boss's subtree."""
    return UserFactory(org_unit=opd, full_name="Rekan Uji")


@pytest.fixture
def outsider(db):
    return UserFactory(org_unit=OrgUnitFactory(name="Kecamatan Lain"), full_name="Orang Luar")


@pytest.fixture
def admin(db):
    user = UserFactory(groups=[ADMIN_BKPSDM], full_name="Admin Uji")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def komunikasi(opd):
    return UserFactory(org_unit=opd, groups=[TIM_KOMUNIKASI], full_name="Humas Uji")
