import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.core.files.storage import FileSystemStorage

from performance.models import Evidence, Rhk
from tests.factories import UserFactory
from tests.training.factories import make_module
from training.editorial import ensure_training_index

from .factories import current_period, make_cycle, make_report, make_skp


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, monkeypatch):
    """Evidence files go to a temporary private directory."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def mandatory_module(db):
    """A live mandatory module confirmed by Admin BKPSDM: the training gate of the first
    report (with none live, the gate passes)."""
    return make_module(ensure_training_index(django_apps), lessons=1, mandatory=True)


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def period(cycle):
    return current_period(cycle)


@pytest.fixture
def kepala(db, supervisor):
    """The supervisor's own atasan (top of the tree): the atasan pejabat penilai."""
    head = UserFactory(org_unit=supervisor.org_unit, jabatan="Kepala Dinas", jenis_jabatan="jpt")
    supervisor.atasan = head
    supervisor.save()
    return head


@pytest.fixture
def supervisor_skp(cycle, supervisor, kepala):
    return make_skp(supervisor, cycle)


@pytest.fixture
def supervisor_rhk(supervisor_skp) -> Rhk:
    return supervisor_skp.rhks.get()


@pytest.fixture
def employee_skp(cycle, employee, supervisor_rhk):
    return make_skp(employee, cycle, parent=supervisor_rhk, indicators=2)


@pytest.fixture
def report(employee_skp, period):
    return make_report(employee_skp, period)


@pytest.fixture
def submitted_report(employee_skp, period):
    return make_report(employee_skp, period, status="diajukan")


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def bkpsdm_admin(db):
    admin = UserFactory(groups=["Admin BKPSDM"])
    Authenticator.objects.create(user=admin, type="totp", data={"secret": "x"})
    return admin
