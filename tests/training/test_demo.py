import pytest
from django.apps import apps as django_apps

from portal.demo import seed_people
from portal.domain import berakhlak_values
from training.demo import BERAKHLAK_SLUG, SOSIALISASI_SLUG, seed_training_demo
from training.editorial import ensure_training_index
from training.models import LessonPage, TrainingModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    ensure_training_index(django_apps)
    seed_people()
    seed_training_demo()
    seed_training_demo()  # idempotent
    return {
        "sosialisasi": TrainingModulePage.objects.get(slug=SOSIALISASI_SLUG),
        "berakhlak": TrainingModulePage.objects.get(slug=BERAKHLAK_SLUG),
    }


def test_seed_creates_the_two_modules_once_and_live(seeded):
    assert TrainingModulePage.objects.count() == 2
    sosialisasi, berakhlak = seeded["sosialisasi"], seeded["berakhlak"]
    assert sosialisasi.live and berakhlak.live
    assert sosialisasi.mandatory and not berakhlak.mandatory
    assert berakhlak.prerequisite_id == sosialisasi.pk
    assert sosialisasi.url == "/pelatihan/pengenalan-sistem-manajemen-kinerja-asn/"
    titles = [lesson.title for lesson in sosialisasi.lessons()]
    assert len(titles) == 5
    assert "Kisah sukses: Bandung Smart City" in titles
    assert len(sosialisasi.questions()) >= 6
    assert LessonPage.objects.live().count() == LessonPage.objects.count() == 13


def test_berakhlak_module_is_built_from_the_domain_data(seeded):
    berakhlak = seeded["berakhlak"]
    body = " ".join(str(lesson.specific.body) for lesson in berakhlak.lessons())
    for value in berakhlak_values():
        for indicator in value["indicators"]:
            assert indicator.replace(",", "") in body.replace(",", "")
    assert set(berakhlak.berakhlak_values) == {v["code"] for v in berakhlak_values()}


@pytest.mark.parametrize("key", ["sosialisasi", "berakhlak"])
def test_seeded_quizzes_pass_the_editor_validation(seeded, key):
    module = seeded[key]
    block = TrainingModulePage._meta.get_field("quiz").stream_block
    block.clean(module.quiz)  # raises if a question would be refused in the admin
    for question in module.questions():
        assert question.explanation
        assert question.correct_tokens
        assert len({c.token for c in question.choices}) == len(question.choices)
