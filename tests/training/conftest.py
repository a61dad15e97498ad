import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps

from portal.models import ADMIN_BKPSDM
from tests.factories import UserFactory
from training.editorial import ensure_editorial_setup, ensure_training_index
from training.models import LessonPage, TrainingModulePage

from .factories import make_module, single


@pytest.fixture
def training_index(db):
    """The catalogue page /pelatihan/ (the migration made it; a flush may have removed it)."""
    return ensure_training_index(django_apps)


@pytest.fixture
def editorial(training_index):
    ensure_editorial_setup(django_apps)
    return training_index


@pytest.fixture
def module(training_index) -> TrainingModulePage:
    """A live module with three ordered lessons and a two-question quiz, pass mark 50 %."""
    return make_module(
        training_index,
        lessons=3,
        quiz=[
            single("q1", "Satu tambah satu?", ["1", "2*", "3"]),
            single("q2", "Ibu kota Jawa Barat?", ["Bandung*", "Bogor", "Cirebon"]),
        ],
        pass_mark=50,
        attempt_limit=2,
    )


@pytest.fixture
def lessons(module) -> list[LessonPage]:
    return list(module.lessons())


@pytest.fixture
def bkpsdm_admin(db, org_unit):
    user = UserFactory(org_unit=org_unit, groups=[ADMIN_BKPSDM])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user
